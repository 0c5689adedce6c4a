import Foundation
import ShiftAWS
import ShiftCore
import ShiftTestSupport
import XCTest

/// The AWS platform's own rules, against a scripted transport: waiting for Lambda to apply a change, a retried
/// UpdateAlias, validation before any call.
final class AWSPlatformTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func platform(_ transport: ScriptedTransport, clock: InstantClock = InstantClock()) throws -> AWSPlatform {
        try AWSPlatform(
            settings: AccountSettings(platform: .aws, region: "eu-west-1", endpointURL: "http://127.0.0.1:1"),
            environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"],
            transport: transport, clock: clock, random: { 0 })
    }

    func configuration(_ status: String, reason: String? = nil) -> ScriptedTransport.Answer {
        let reasonField = reason.map { #", "LastUpdateStatusReason": "\#($0)""# } ?? ""
        return ScriptedTransport.json(200, #"{"FunctionName": "f", "CodeSha256": "abc=", "State": "Active", "LastUpdateStatus": "\#(status)"\#(reasonField)}"#)
    }

    func code() throws -> URL {
        try directory.writeScript("code/bootstrap", "echo hi").deletingLastPathComponent()
    }

    func testCodeUpdate_waitsUntilLambdaHasAppliedIt() async throws {
        let transport = ScriptedTransport([configuration("InProgress"), configuration("InProgress"), configuration("Successful")])
        let clock = InstantClock()
        let updated = try await platform(transport, clock: clock).updateFunction("f", change: FunctionChange(codePath: try code()))
        XCTAssertEqual(updated.lastUpdateStatus, "Successful")
        XCTAssertEqual(transport.requests.map(\.method), ["PUT", "GET", "GET"])
        XCTAssertEqual(clock.slept, [1, 1])
    }

    func testFailedUpdate_isAnErrorWithLambdasReason() async throws {
        let transport = ScriptedTransport([configuration("InProgress"), configuration("Failed", reason: "bad zip")])
        do {
            _ = try await platform(transport).updateFunction("f", change: FunctionChange(codePath: try code()))
            XCTFail("expected an error")
        } catch let error as AWSPlatformError {
            XCTAssertEqual(error, .functionUpdateFailed(function: "f", reason: "bad zip"))
            XCTAssertEqual(error.category, .failed)
        }
    }

    func testBadTimeout_isRefusedBeforeAnyCall() async throws {
        let transport = ScriptedTransport([])
        do {
            _ = try await platform(transport).updateFunction("f", change: FunctionChange(timeout: 901))
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
        }
        XCTAssertEqual(transport.requests.count, 0)
    }

    func testPayloadOverSixMegabytes_isRefusedBeforeAnyCall() async throws {
        let transport = ScriptedTransport([])
        let payload = Data(("\"" + String(repeating: "a", count: 6 * 1024 * 1024) + "\"").utf8)
        do {
            _ = try await platform(transport).invoke("f", qualifier: .latest, payload: payload)
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("at most 6291456 bytes") == true, "\(error)")
        }
        XCTAssertEqual(transport.requests.count, 0)
    }

    func testUpdateAliasRetried_afterAnAppliedAttemptLostItsAnswer_isAcceptedWhenTheAliasRoutesAsAsked() async throws {
        let split = try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 2, weight: Weight(0.1)))
        let transport = ScriptedTransport([
            .failure(HTTPTransportError.connectionLost),
            ScriptedTransport.json(412, #"{"message": "The Revision Id provided does not match"}"#, headers: ["X-Amzn-ErrorType": "PreconditionFailedException"]),
            ScriptedTransport.json(200, #"{"Name": "live", "FunctionVersion": "1", "RoutingConfig": {"AdditionalVersionWeights": {"2": 0.1}}, "RevisionId": "r2"}"#),
        ])
        let alias = try await platform(transport).updateAlias("live", of: "f", routing: split, revisionId: "r1")
        XCTAssertEqual(alias.routing, split)
        XCTAssertEqual(alias.revisionId, "r2")
    }

    func testUpdateAliasRefusedAtFirstAttempt_isAConflict() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(412, #"{"message": "The Revision Id provided does not match"}"#, headers: ["X-Amzn-ErrorType": "PreconditionFailedException"]),
        ])
        do {
            _ = try await platform(transport).updateAlias("live", of: "f", routing: .single(2), revisionId: "r1")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .conflict)
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testAliasAtLATEST_isBadInputNamingIt_andLeftOutOfListings() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(200, #"{"Name": "dev", "FunctionVersion": "$LATEST", "RevisionId": "r"}"#),
            ScriptedTransport.json(200, #"{"Aliases": [{"Name": "dev", "FunctionVersion": "$LATEST"}, {"Name": "live", "FunctionVersion": "3"}]}"#),
        ])
        let aws = try platform(transport)
        do {
            _ = try await aws.alias("dev", of: "f")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
            XCTAssertTrue(error.localizedDescription.contains("f:dev"), error.localizedDescription)
        }
        let aliases = try await aws.aliases(of: "f")
        XCTAssertEqual(aliases.map(\.name), ["live"])
    }

    func testUnansweredCreateAlias_isNotSentAgain() async throws {
        let transport = ScriptedTransport([.failure(HTTPTransportError.timedOut), ScriptedTransport.json(200, "{}")])
        _ = try? await platform(transport).createAlias("live", of: "f", routing: .single(1), description: "")
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testRegionThatCannotNameAHost_isBadInput_notACrash() {
        XCTAssertThrowsError(try CredentialsChain(environment: ["AWS_REGION": "eu west 1"]).resolveRegion()) { error in
            XCTAssertEqual(error as? AWSPlatformError, .invalidRegion(source: "AWS_REGION", value: "eu west 1"))
        }
        XCTAssertThrowsError(try CredentialsChain(environment: [:]).resolveRegion(override: "us-east-1/../x"))
    }

    func testFunctionGet_throughTheCatalog_isGetFunctionConfigurationWithLambdasFields() async throws {
        let transport = ScriptedTransport([ScriptedTransport.json(200, #"""
            {"FunctionName": "f", "FunctionArn": "arn:aws:lambda:eu-west-1:123456789012:function:f", "Runtime": "provided.al2023",
             "Handler": "bootstrap", "Timeout": 30, "CodeSha256": "abc=", "LastModified": "2026-11-25T17:00:36.123+0000",
             "Environment": {"Variables": {"MODE": "fast"}}, "State": "Active", "LastUpdateStatus": "Successful"}
            """#)])
        let catalog: any FunctionCatalog = try platform(transport)
        let function = try await catalog.function("f")
        XCTAssertEqual(transport.requests.map(\.method), ["GET"])
        XCTAssertEqual(function.name, "f")
        XCTAssertEqual(function.arn, "arn:aws:lambda:eu-west-1:123456789012:function:f")
        XCTAssertEqual(function.runtime, "provided.al2023")
        XCTAssertEqual(function.configuration.handler, "bootstrap")
        XCTAssertEqual(function.configuration.timeout, 30)
        XCTAssertEqual(function.configuration.environment, ["MODE": "fast"])
        XCTAssertEqual(function.codeSHA256, "abc=")
        XCTAssertEqual(try XCTUnwrap(function.lastModified).timeIntervalSince1970, 1_795_626_036.123, accuracy: 0.001)
        XCTAssertNil(function.codePath)
        XCTAssertNil(function.versionCount)
    }

    func testFunctionCreate_withReservedConcurrency_isRefusedBeforeAnyCall() async throws {
        let transport = ScriptedTransport([])
        let catalog: any FunctionCatalog = try platform(transport)
        do {
            _ = try await catalog.createFunction("f", code: try code(), configuration: try FunctionConfiguration(handler: "bootstrap"), creation: FunctionCreation(reservedConcurrency: 1, role: "arn:aws:iam::123456789012:role/r"))
            XCTFail("expected an error")
        } catch let error as AWSPlatformError {
            XCTAssertEqual(error.category, .badInput)
            XCTAssertTrue(error.localizedDescription.contains("--reserved-concurrency"), error.localizedDescription)
        }
        XCTAssertEqual(transport.requests.count, 0)
    }

    func testMetrics_throughTheCatalog_isATypedBadInputError_withoutAnyCall() async throws {
        let transport = ScriptedTransport([])
        let metrics: any MetricsCatalog = try platform(transport)
        do {
            _ = try await metrics.metrics(of: "f", alias: nil, version: nil, since: Date(timeIntervalSince1970: 0), period: 60)
            XCTFail("expected an error")
        } catch let error as AWSPlatformError {
            guard case .unsupported = error else { return XCTFail("\(error)") }
            XCTAssertEqual(error.category, .badInput)
        }
        XCTAssertEqual(transport.requests.count, 0)
    }
}

import Foundation
import ShiftAWS
import ShiftCore
import ShiftPlatforms
import ShiftLocal
@testable import ShiftPipeline
import ShiftStorage
import ShiftTestSupport
import XCTest

/// The AWS deploy target's rules, over a transport that answers from a script: nothing reaches a network.
final class AWSDeployTargetTests: XCTestCase {
    private var directory: TemporaryDirectory!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory("shift-aws-target")
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("code"), withIntermediateDirectories: true)
        try Data("def handler(event, context):\n    return event\n".utf8).write(to: directory.url.appendingPathComponent("code/index.py"))
    }

    override func tearDown() {
        directory.remove()
    }

    private func target(_ answers: [String], clock: ManualClock = ManualClock()) throws -> (AWSDeployTarget, CannedTransport) {
        let transport = CannedTransport(answers)
        let settings = AccountSettings(platform: .aws, region: "eu-west-1", endpointURL: "http://127.0.0.1:9", role: "arn:aws:iam::123456789012:role/r", runtime: "python3.12")
        let platform = try AWSPlatform(settings: settings, environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"],
                                       transport: transport, clock: clock, retryPolicy: RetryPolicy(maxAttempts: 1))
        let state = try StateDirectory(root: directory.url.appendingPathComponent("state"), account: "prod")
        return (AWSDeployTarget(platform: platform, state: state, clock: clock), transport)
    }

    private let function = PipelineFunction(name: "orders", artifact: "orders", handler: "index.handler")

    func testCodeSHA256_isTheBase64SHA256OfTheBytes() {
        XCTAssertEqual(AWSPlatform.codeSHA256(of: Data("abc".utf8)), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
    }

    func testPublish_createsTheFunctionFromTheZip_andAcceptsAMatchingCodeSha256() async throws {
        let zip = try ZipArchive.archive(directory: directory.url.appendingPathComponent("code"))
        let sha = AWSPlatform.codeSHA256(of: zip)
        let (target, transport) = try target([
            #"404 {"__type": "ResourceNotFoundException", "message": "Function not found"}"#,
            #"201 {"FunctionName": "orders", "Version": "$LATEST"}"#,
            // The created function is then updated with exactly the artifact and published with its CodeSha256.
            #"200 {"FunctionName": "orders", "Version": "$LATEST"}"#,
            #"200 {"FunctionName": "orders", "Version": "$LATEST"}"#,
            #"200 {"Versions": []}"#,
            #"201 {"FunctionName": "orders", "Version": "1", "CodeSha256": "\#(sha)"}"#,
        ])
        let published = try await target.publish(function, code: directory.url.appendingPathComponent("code"), environment: [:], description: "d")
        XCTAssertEqual(published.version.number, 1)
        XCTAssertTrue(published.isNew)
        XCTAssertEqual(published.version.codeSHA256, sha)
        let create = try XCTUnwrap(JSONSerialization.jsonObject(with: transport.requests[1].body) as? [String: Any])
        XCTAssertEqual((create["Code"] as? [String: String])?["ZipFile"], zip.base64EncodedString(), "the bytes hashed are the bytes sent")
        XCTAssertEqual(create["Role"] as? String, "arn:aws:iam::123456789012:role/r")
        XCTAssertEqual(create["Runtime"] as? String, "python3.12")
    }

    func testPublish_refusesAVersionWhoseCodeSha256IsNotTheUploadedZips() async throws {
        let (target, _) = try target([
            #"200 {"FunctionName": "orders", "Version": "$LATEST"}"#,
            #"200 {"FunctionName": "orders", "Version": "$LATEST"}"#,
            #"200 {"FunctionName": "orders", "Version": "$LATEST"}"#,
            #"200 {"Versions": [{"FunctionName": "orders", "Version": "1"}]}"#,
            #"201 {"FunctionName": "orders", "Version": "2", "CodeSha256": "c29tZXRoaW5nIGVsc2U="}"#,
        ])
        do {
            _ = try await target.publish(function, code: directory.url.appendingPathComponent("code"), environment: [:], description: "d")
            XCTFail("published")
        } catch {
            XCTAssertTrue(error.localizedDescription.contains("version 2 has CodeSha256 c29tZXRoaW5nIGVsc2U="), error.localizedDescription)
        }
    }

    func testPublish_waitsWhileLambdaAppliesTheCreate_thenPublishes() async throws {
        let sha = AWSPlatform.codeSHA256(of: try ZipArchive.archive(directory: directory.url.appendingPathComponent("code")))
        let clock = ManualClock()
        let (target, transport) = try target([
            #"404 {"__type": "ResourceNotFoundException", "message": "Function not found"}"#,
            #"201 {"FunctionName": "orders", "Version": "$LATEST", "State": "Pending"}"#,
            #"200 {"FunctionName": "orders", "Version": "$LATEST", "State": "Active", "LastUpdateStatus": "Successful"}"#,
            #"200 {"FunctionName": "orders", "Version": "$LATEST"}"#,
            #"200 {"FunctionName": "orders", "Version": "$LATEST"}"#,
            #"200 {"Versions": []}"#,
            #"201 {"FunctionName": "orders", "Version": "1", "CodeSha256": "\#(sha)"}"#,
        ], clock: clock)
        let code = directory.url.appendingPathComponent("code")
        let function = self.function
        let publishing = Task { try await target.publish(function, code: code, environment: [:], description: "d") }
        let slept = await clock.waitForSleepers(1)
        XCTAssertTrue(slept)
        XCTAssertEqual(transport.requests.count, 2, "nothing more is sent while the function is Pending")
        clock.advance(by: 1)
        let published = try await publishing.value
        XCTAssertEqual(published.version.number, 1)
        XCTAssertEqual(transport.requests.map(\.method), ["GET", "POST", "GET", "PUT", "PUT", "GET", "POST"])
    }

    func testPublish_refusesWhenLambdaReportsTheUpdateFailed() async throws {
        let (target, _) = try target([
            #"200 {"FunctionName": "orders", "Version": "$LATEST"}"#,
            #"200 {"FunctionName": "orders", "Version": "$LATEST", "LastUpdateStatus": "Failed", "LastUpdateStatusReason": "bad zip"}"#,
        ])
        do {
            _ = try await target.publish(function, code: directory.url.appendingPathComponent("code"), environment: [:], description: "d")
            XCTFail("published")
        } catch {
            XCTAssertTrue(error.localizedDescription.contains("did not apply the change to orders: bad zip"), error.localizedDescription)
        }
    }

    func testInlineAlarmsAndParameterReferences_areRefusedByThePlatform_beforeAnyChange() async throws {
        let (target, transport) = try target([#"200 {"FunctionName": "orders", "Version": "$LATEST"}"#])
        let alarm = try AlarmDefinition(name: "errors", functionName: "orders", alias: "live", metric: .errors, statistic: .sum, period: 60,
                                        evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 1, comparison: .greaterThanThreshold)
        do {
            try await target.putAlarms([alarm], description: "d")
            XCTFail("an inline alarm was put")
        } catch {
            XCTAssertTrue(error.localizedDescription.contains("CloudWatch"), error.localizedDescription)
        }
        XCTAssertTrue(transport.requests.isEmpty)
        do {
            _ = try await target.publish(function, code: directory.url.appendingPathComponent("code"), environment: ["TOKEN": "{{param:/orders/token}}"], description: "d")
            XCTFail("published a {{param:...}} variable")
        } catch {
            XCTAssertTrue(error.localizedDescription.contains("{{param:...}}"), error.localizedDescription)
        }
        XCTAssertEqual(transport.requests.map(\.method), ["GET"], "only the function was read")
    }
}

/// Answers each request with the next `"STATUS JSON"` line, recording the requests.
private final class CannedTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var answers: [String]
    private var received: [HTTPRequest] = []

    init(_ answers: [String]) { self.answers = answers }

    var requests: [HTTPRequest] { lock.withLock { received } }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        let answer = lock.withLock { () -> String in
            received.append(request)
            return answers.isEmpty ? "599 {}" : answers.removeFirst()
        }
        let status = Int(answer.prefix(3)) ?? 599
        return HTTPResponse(status: status, headers: ["content-type": "application/json"], body: Data(answer.dropFirst(4).utf8))
    }
}

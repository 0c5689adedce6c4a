import Foundation
import ShiftAWS
import ShiftCore
import ShiftTestSupport
import XCTest

/// The AWS platform against a real moto server: Lambda versions, aliases, invocations and deployments,
/// CloudWatch alarms changed by an independent second client (boto3), and errors as AWS sends them.
final class AWSPlatformMotoTests: XCTestCase {
    var moto: MotoServer!
    var role: String!
    var platform: AWSPlatform!
    /// Unique per test: moto's state is shared by every test of the run.
    var function: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        do {
            (moto, role) = try MotoServer.shared()
        } catch let unavailable as MotoServer.Unavailable {
            throw XCTSkip(unavailable.description)
        }
        platform = try AWSPlatform(
            settings: AccountSettings(platform: .aws, endpointURL: moto.endpoint.absoluteString),
            environment: MotoServer.environment)
        function = "shift-\(name.filter(\.isLetter).suffix(20))-\(Int.random(in: 1000...9999))"
    }

    func createFunction(_ name: String, code: String = "def handler(event, context):\n    return event\n", description: String = "") async throws {
        _ = try await platform.lambda.createFunction(
            name, zip: ZipArchive.archive([.init(path: "index.py", data: Data(code.utf8))]), handler: "index.handler",
            runtime: "python3.12", role: role!, timeout: 3, environment: [:], description: description)
    }

    /// A function with versions 1 and 2 and alias `live` at version 1.
    func makeTwoVersions() async throws {
        try await createFunction(function)
        _ = try await platform.publish(function, description: "v1")
        _ = try await platform.lambda.updateFunctionConfiguration(function, handler: nil, timeout: 5, environment: nil, description: nil)
        _ = try await platform.publish(function, description: "v2")
        _ = try await platform.lambda.createAlias("live", of: function, routing: .single(1), description: "")
    }

    // MARK: Versions

    func testPublish_numbersVersions_andUnchangedCodeMakesNoNewVersion() async throws {
        try await createFunction(function)
        let first = try await platform.publish(function, description: "first")
        XCTAssertEqual(first.version.number, 1)
        XCTAssertTrue(first.isNew)
        let again = try await platform.publish(function, description: "again")
        XCTAssertEqual(again.version.number, 1, "unchanged code and configuration: Lambda returns the latest version")
        XCTAssertFalse(again.isNew)

        _ = try await platform.lambda.updateFunctionConfiguration(function, handler: nil, timeout: 7, environment: nil, description: nil)
        let configured = try await platform.publish(function, description: "timeout 7")
        XCTAssertEqual(configured.version.number, 2, "a configuration-only change publishes")
        XCTAssertEqual(configured.version.configuration.timeout, 7)
        let versions = try await platform.versions(of: function).map(\.number)
        XCTAssertEqual(versions, [1, 2])
        let version = try await platform.version(1, of: function)
        XCTAssertEqual(version.codeSHA256, first.version.codeSHA256)
    }

    // MARK: Aliases

    func testAliasRouting_roundTripsThroughRoutingConfig() async throws {
        try await makeTwoVersions()
        let split = try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 2, weight: Weight(0.1)))
        let before = try await platform.alias("live", of: function)
        let updated = try await platform.updateAlias("live", of: function, routing: split, revisionId: before.revisionId)
        XCTAssertEqual(updated.routing, split)
        let read = try await platform.alias("live", of: function)
        XCTAssertEqual(read.routing, split)

        let cleared = try await platform.updateAlias("live", of: function, routing: .single(2), revisionId: nil)
        XCTAssertEqual(cleared.routing, .single(2), "an empty AdditionalVersionWeights removes the additional version")
        let second = try moto.boto3("print(json.dumps(client('lambda').get_alias(FunctionName='\(function!)', Name='live').get('RoutingConfig', {})))")
        XCTAssertFalse(second.contains("\"1\""), "the second client sees no weight left for version 1: \(second)")
    }

    // MARK: Invocation

    func testInvoke_echoesThePayload_andReportsTheVersionItCanKnow() async throws {
        try await makeTwoVersions()
        let result = try await platform.invoke(function, qualifier: .version(2), payload: Data(#"{"order": 7}"#.utf8))
        XCTAssertNil(result.functionError)
        XCTAssertEqual(try JSONSerialization.jsonObject(with: result.payload) as? [String: Int], ["order": 7])
        XCTAssertEqual(result.executedVersion, "2")
    }

    // MARK: Errors

    func testMissingFunction_isResourceNotFound_asBadInput() async throws {
        do {
            _ = try await platform.alias("live", of: "shift-no-such-function")
            XCTFail("expected an error")
        } catch let error as AWSPlatformError {
            XCTAssertEqual(error.category, .badInput)
            let message = error.errorDescription ?? ""
            XCTAssertTrue(message.hasPrefix("ResourceNotFoundException: Function not found"), message)
            XCTAssertFalse(message.contains("moto-secret-never-printed"))
        }
    }

    func testMissingAlarm_isNamed() async throws {
        do {
            _ = try await platform.alarmStates(named: ["shift-no-such-alarm"])
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
            XCTAssertTrue("\(error.localizedDescription)".contains("shift-no-such-alarm"))
        }
    }

    // MARK: Parameters

    func testSSMResolver_decryptsSecureStrings_andNamesAMissingParameter() async throws {
        let name = "/\(function!)/db-password"
        let version = try await platform.ssm.putParameter(name, value: "hunter2-\(function!)", type: "SecureString", description: nil, overwrite: false)
        XCTAssertEqual(version, 1)
        let resolver: any ParameterResolver = SSMParameterResolver(ssm: platform.ssm)
        let value = try await resolver.resolve(name)
        XCTAssertEqual(value, "hunter2-\(function!)")
        let stored = try await platform.ssm.getParameter(name, decrypt: false)
        XCTAssertEqual(stored.masked(true).Value, "****")
        do {
            _ = try await resolver.resolve("/\(function!)/missing")
            XCTFail("expected an error")
        } catch let error as ShiftCoreError {
            XCTAssertEqual(error.category, .badInput)
            XCTAssertTrue(error.localizedDescription.contains("/\(function!)/missing"))
        }
    }

    // MARK: Deployments

    func makeEngine() -> (DeploymentEngine, InMemoryJournal) {
        let journal = InMemoryJournal()
        return (DeploymentEngine(platform: platform, alarms: platform, journal: journal, clock: SystemClock()), journal)
    }

    func putAlarm(_ name: String, state: String = "OK") throws {
        try moto.boto3("""
        cw = client("cloudwatch")
        cw.put_metric_alarm(AlarmName="\(name)", MetricName="Errors", Namespace="AWS/Lambda", Statistic="Sum", Period=60,
            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold")
        cw.set_alarm_state(AlarmName="\(name)", StateValue="\(state)", StateReason="set by the test")
        """)
    }

    func testCanaryDeployment_succeeds_withAlarmWatched() async throws {
        try await makeTwoVersions()
        let alarm = "\(function!)-errors"
        try putAlarm(alarm)
        let (engine, _) = makeEngine()
        let request = DeploymentRequest(
            functionName: function, alias: "live", targetVersion: 2, preference: try DeploymentPreference.named("Canary50Percent1Seconds"),
            alarms: [alarm], pollInterval: 0.2)
        guard case let .ready(deployment, _) = try await engine.prepare(request, id: "d-MOTO1") else { return XCTFail("not ready") }
        let final = await engine.run(deployment)

        XCTAssertEqual(final.status, .succeeded, final.events.map(\.message).joined(separator: "\n"))
        let alias = try await platform.alias("live", of: function)
        XCTAssertEqual(alias.routing, .single(2))
        XCTAssertTrue(final.events.contains { $0.kind == .shifted && $0.weight == 50 })
    }

    func testAlarmSetToALARMBySecondClientMidCanary_rollsBackToTheOriginalVersion() async throws {
        try await makeTwoVersions()
        let alarm = "\(function!)-errors"
        try putAlarm(alarm)
        let (engine, _) = makeEngine()
        let request = DeploymentRequest(
            functionName: function, alias: "live", targetVersion: 2, preference: try DeploymentPreference.named("Canary10Percent30Seconds"),
            alarms: [alarm], pollInterval: 0.2)
        guard case let .ready(deployment, _) = try await engine.prepare(request, id: "d-MOTO2") else { return XCTFail("not ready") }
        let moto = self.moto!
        let function = self.function!
        let platform = self.platform!
        let drill = Task.detached {
            // Wait until the canary is live, then let "CloudWatch" fire, as an operator's drill would.
            await waitForCanary(platform, function)
            try moto.boto3("client('cloudwatch').set_alarm_state(AlarmName='\(alarm)', StateValue='ALARM', StateReason='Threshold Crossed: drill')")
        }
        let final = await engine.run(deployment)
        try await drill.value

        XCTAssertEqual(final.status, .failed)
        XCTAssertTrue(final.rolledBack)
        XCTAssertEqual(final.phase.reason, .alarm(name: alarm, reason: "Threshold Crossed: drill"))
        let alias = try await platform.alias("live", of: function)
        XCTAssertEqual(alias.routing, .single(1), "rolled back: 100 % of version 1, no additional weight")
        let elapsed = final.updatedAt.timeIntervalSince(final.createdAt)
        XCTAssertLessThan(elapsed, 20, "the alarm, not the 30 s hold, ended the deployment")
    }

    func testAliasChangedBySecondClientMidDeployment_isDetectedNotOverwritten() async throws {
        try await makeTwoVersions()
        let (engine, _) = makeEngine()
        let request = DeploymentRequest(
            functionName: function, alias: "live", targetVersion: 2, preference: try DeploymentPreference.named("Linear50PercentEvery2Seconds"),
            pollInterval: 0.2)
        guard case let .ready(deployment, _) = try await engine.prepare(request, id: "d-MOTO3") else { return XCTFail("not ready") }
        let moto = self.moto!
        let function = self.function!
        let platform = self.platform!
        let meddler = Task.detached {
            await waitForCanary(platform, function)
            // moto 5.2.1 accepts a stale RevisionId, so only the comparison of what was read with what was written can catch this.
            try moto.boto3("client('lambda').update_alias(FunctionName='\(function)', Name='live', FunctionVersion='1', RoutingConfig={'AdditionalVersionWeights': {}})")
        }
        let final = await engine.run(deployment)
        try await meddler.value

        XCTAssertEqual(final.status, .stopped, final.events.map(\.message).joined(separator: "\n"))
        guard case let .aliasChangedExternally(detail) = final.phase.reason else { return XCTFail("\(final.phase)") }
        XCTAssertTrue(detail.contains("found 1"), detail)
        let alias = try await platform.alias("live", of: function)
        XCTAssertEqual(alias.routing, .single(1), "the second client's change stands")
    }
}

/// Returns once the alias has an additional version (the canary is live), or after 10 s.
func waitForCanary(_ platform: AWSPlatform, _ function: String) async {
    for _ in 0..<100 {
        if let alias = try? await platform.alias("live", of: function), alias.routing.hasAdditionalVersion { return }
        try? await Task.sleep(nanoseconds: 100_000_000)
    }
}

import Foundation
import ShiftTestSupport
import XCTest

/// `shift pipeline run` deploying to an aws account backed by moto: the artifact is zipped and published, the
/// alias is created on the first deployment and shifted by the engine on the next, alarms are CloudWatch alarms,
/// and build commands read parameters from SSM.
final class PipelineAWSTests: MotoTestCase {
    override class var functionPrefix: String { "pipe" }

    /// A pipeline deploying `function` to the moto account with `deploy` (the function entry's extra fields).
    private func writePipeline(_ name: String, source: URL, deploy: String) throws -> String {
        let file = directory.url.appendingPathComponent("\(name).yml")
        let text = """
            name: \(name)
            accounts:
              moto: {platform: aws, region: \(MotoServer.region), endpoint: '\(moto.endpoint.absoluteString)', role: '\(role!)', runtime: python3.12}
            source: {directory: \(source.path)}
            parameters: [/\(function!)/token]
            functions: {\(function!): {artifact: code, handler: index.handler, timeout: 5}}
            stages:
              - {name: build, type: build, account: moto, commands: ['test "{{param:/\(function!)/token}}" = "$(echo czNjcmV0 | base64 -d)" && mkdir -p out && cp index.py out/'], artifacts: {code: out}}
              - {name: ship, type: deploy, account: moto, functions: [{function: \(function!), alias: live, \(deploy)}]}
            """
        try Data(text.utf8).write(to: file)
        return file.path
    }

    private func writeSource(_ body: String) throws -> URL {
        let source = directory.url.appendingPathComponent("source-\(function!)")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try Data("def handler(event, context):\n    \(body)\n".utf8).write(to: source.appendingPathComponent("index.py"))
        return source
    }

    /// The build's parameter in SSM, and a CloudWatch alarm in state OK, both made by a second client.
    private func prepare(alarm: String) throws {
        try moto.boto3("""
        client("ssm").put_parameter(Name="/\(function!)/token", Value="s3cret", Type="SecureString")
        cw = client("cloudwatch")
        cw.put_metric_alarm(AlarmName="\(alarm)", MetricName="Errors", Namespace="AWS/Lambda", Statistic="Sum", Period=60,
            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold")
        cw.set_alarm_state(AlarmName="\(alarm)", StateValue="OK", StateReason="quiet")
        """)
    }

    private func alias() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(moto.boto3("""
        a = client("lambda").get_alias(FunctionName="\(function!)", Name="live")
        print(json.dumps({"FunctionVersion": a["FunctionVersion"], "Weights": a.get("RoutingConfig", {}).get("AdditionalVersionWeights", {})}))
        """).utf8)) as? [String: Any] ?? [:]
    }

    func testAllAtOnceThenCanary_onMoto_createsThenShiftsTheAlias_andChecksCodeSha256() throws {
        let alarm = "\(function!)-errors"
        try prepare(alarm: alarm)
        let source = try writeSource("return event")
        let first = try writePipeline("first", source: source, deploy: "preference: AllAtOnce")
        let created = shift.run(["pipeline", "run", first], environment: MotoServer.environment)
        XCTAssertEqual(created.exitCode, 0, "\(created)")
        XCTAssertFalse("\(created.stdout)\(created.stderr)".contains("moto-secret-never-printed"), "a credential leaked")
        XCTAssertFalse("\(created.stdout)\(created.stderr)".contains("s3cret"), "a parameter leaked")
        XCTAssertEqual(try alias()["FunctionVersion"] as? String, "1")

        // The code Lambda holds is the zip of the artifact, byte for byte.
        let reported = try moto.boto3("print(client('lambda').get_function_configuration(FunctionName='\(function!)', Qualifier='1')['CodeSha256'])")
        let log = shift.run(["pipeline", "logs", try latestRun(), "--stage", "ship"], environment: MotoServer.environment)
        XCTAssertTrue(log.stdout.contains("published version 1 (CodeSha256 \(reported))"), log.stdout)

        try writeSource("return {'v': 2, 'event': event}")
        let second = try writePipeline("second", source: source, deploy: "preference: Canary50Percent2Seconds, alarms: [\(alarm)], pollInterval: 0.5")
        let canary = shift.run(["pipeline", "run", second], environment: MotoServer.environment)
        XCTAssertEqual(canary.exitCode, 0, "\(canary)")
        let shipped = shift.run(["pipeline", "logs", try latestRun(), "--stage", "ship"], environment: MotoServer.environment).stdout
        XCTAssertTrue(shipped.contains("published version 2"), shipped)
        XCTAssertTrue(shipped.contains("from version 1 to 2 with Canary50Percent2Seconds"), shipped)
        XCTAssertTrue(shipped.contains("alarms: \(alarm) OK"), shipped)
        XCTAssertTrue(shipped.contains("routes 1 (50%) + 2 (50%)"), shipped)
        let after = try alias()
        XCTAssertEqual(after["FunctionVersion"] as? String, "2", "\(after)")
        XCTAssertEqual(after["Weights"] as? [String: Double] ?? [:], [:])
        // shift itself reads the same alias once the account is registered under the pipeline's name.
        XCTAssertEqual(shift.run(["account", "add", "moto", "--platform", "aws", "--endpoint-url", moto.endpoint.absoluteString], environment: MotoServer.environment).exitCode, 0)
        let got = try shift.run(["--account", "moto", "alias", "get", function, "live", "--output", "json"], environment: MotoServer.environment).jsonObject()
        XCTAssertEqual(got["FunctionVersion"] as? String, "2", "\(got)")
    }

    func testStageRollback_onMoto_putsTheFinishedFunctionBackWithUpdateAlias() throws {
        let other = "\(function!)-b"
        let alarm = "\(other)-errors"
        try prepare(alarm: alarm)
        let source = try writeSource("return event")
        // Two functions from one artifact, one after the other (concurrency 1): the first finishes before the second fails.
        func write(_ name: String) throws -> String {
            let file = try writePipeline(name, source: source, deploy: "preference: AllAtOnce")
            var text = try String(contentsOfFile: file, encoding: .utf8)
            text = text.replacingOccurrences(of: "functions: {\(function!): {artifact: code, handler: index.handler, timeout: 5}}",
                                             with: "functions: {\(function!): {artifact: code, handler: index.handler, timeout: 5}, \(other): {artifact: code, handler: index.handler}}")
            text = text.replacingOccurrences(of: "{name: ship, type: deploy, account: moto, functions: [",
                                             with: "{name: ship, type: deploy, account: moto, concurrency: 1, functions: [")
            text = text.replacingOccurrences(of: "preference: AllAtOnce}]}", with: "preference: AllAtOnce}, {function: \(other), alias: live, preference: AllAtOnce, alarms: [\(alarm)]}]}")
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            return file
        }
        let first = shift.run(["pipeline", "run", try write("both")], environment: MotoServer.environment)
        XCTAssertEqual(first.exitCode, 0, "\(first)")

        try writeSource("return {'v': 2}")
        try moto.boto3("client('cloudwatch').set_alarm_state(AlarmName='\(alarm)', StateValue='ALARM', StateReason='Threshold Crossed: drill')")
        let second = shift.run(["pipeline", "run", try write("both-again")], environment: MotoServer.environment)
        XCTAssertEqual(second.exitCode, 1, "\(second)")
        let shipped = shift.run(["pipeline", "logs", try latestRun(), "--stage", "ship"], environment: MotoServer.environment).stdout
        XCTAssertTrue(shipped.contains("rolled back \(function!):live to version 1"), shipped)
        XCTAssertEqual(try alias()["FunctionVersion"] as? String, "1")
        XCTAssertEqual(try alias()["Weights"] as? [String: Double] ?? [:], [:])
    }

    private func latestRun() throws -> String {
        let result = shift.run(["pipeline", "list", "--output", "json"], environment: MotoServer.environment)
        let runs = try XCTUnwrap(try result.jsonObject()["runs"] as? [[String: Any]])
        return try XCTUnwrap(runs.first?["runId"] as? String)
    }
}

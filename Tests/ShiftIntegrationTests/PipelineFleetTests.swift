import Foundation
import ShiftTestSupport
import XCTest

/// `shift pipeline run` with one deploy stage of 20 functions on moto, 8 at a time, each watching its own
/// CloudWatch alarm: the stage finishes green within a minute, and the stage's alarms are read together (a read
/// of all 20 names per poll) rather than once per deployment per poll.
final class PipelineFleetTests: MotoTestCase {
    override class var functionPrefix: String { "fleet" }

    func testStageOfTwentyFunctions_concurrencyEight_onMoto_finishesWithinAMinute_readingAlarmsTogether() throws {
        let functions = (0..<20).map { "\(function!)-\($0)" }
        try moto.boto3("""
        cw = client("cloudwatch")
        for name in \(functions):
            cw.put_metric_alarm(AlarmName=name + "-errors", MetricName="Errors", Namespace="AWS/Lambda", Statistic="Sum", Period=60,
                EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold")
            cw.set_alarm_state(AlarmName=name + "-errors", StateValue="OK", StateReason="quiet")
        """)
        let source = directory.url.appendingPathComponent("source")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        let file = directory.url.appendingPathComponent("fleet.yml")
        func write(release: Int) throws {
            try Data("def handler(event, context):\n    return {'release': \(release)}\n".utf8).write(to: source.appendingPathComponent("index.py"))
            let entries = functions.map { "{function: \($0), alias: live, preference: Canary50Percent2Seconds, pollInterval: 0.5, alarms: [\($0)-errors]}" }
            try Data("""
                name: fleet
                accounts:
                  moto: {platform: aws, region: \(MotoServer.region), endpoint: '\(moto.endpoint.absoluteString)', role: '\(role!)', runtime: python3.12}
                source: {directory: \(source.path)}
                functions: {\(functions.map { "\($0): {artifact: code, handler: index.handler}" }.joined(separator: ", "))}
                stages:
                  - {name: build, type: build, commands: ['mkdir -p out && cp index.py out/'], artifacts: {code: out}}
                  - {name: ship, type: deploy, account: moto, concurrency: 8, functions: [\(entries.joined(separator: ", "))]}
                """.utf8).write(to: file)
        }

        // The first run creates the functions and their aliases; the second shifts every alias with the engine.
        try write(release: 1)
        let created = shift.run(["pipeline", "run", file.path], environment: MotoServer.environment)
        XCTAssertEqual(created.exitCode, 0, "\(created)")
        try write(release: 2)
        let started = Date()
        let shifted = shift.run(["pipeline", "run", file.path], environment: MotoServer.environment)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(shifted.exitCode, 0, "\(shifted)")
        XCTAssertLessThan(elapsed, 60, "20 functions, 8 at a time, a 2 s canary each")

        let aliases = try JSONSerialization.jsonObject(with: Data(moto.boto3("""
        lam = client("lambda")
        print(json.dumps({name: lam.get_alias(FunctionName=name, Name="live")["FunctionVersion"] for name in \(functions)}))
        """).utf8)) as? [String: String] ?? [:]
        XCTAssertEqual(aliases, Dictionary(uniqueKeysWithValues: functions.map { ($0, "2") }))

        // Each deployment polls every 0.5 s through a hold of 2 s (5 polls or more): alone, at least 100 reads.
        let line = try XCTUnwrap(shifted.stdout.split(separator: "\n").first { $0.contains("alarm names of 20 functions read in") }, shifted.stdout)
        let calls = try XCTUnwrap(Int(line.components(separatedBy: "read in ").last?.split(separator: " ").first ?? ""), String(line))
        XCTAssertTrue(line.contains("alarms: 20 alarm names"), String(line))
        XCTAssertLessThan(calls, 100, String(line))
    }
}

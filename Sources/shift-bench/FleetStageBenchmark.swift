import Foundation
import ShiftLocal

/// A pipeline deploy stage of 100 functions on moto against the same stage with one function, in the same run:
/// `shift pipeline run` of a real pipeline file (a build stage, then one deploy stage, `concurrency: 50`, every
/// function a Canary50Percent5Seconds with its own CloudWatch alarm polled every second).
///
/// Each pipeline runs twice: the first run creates the functions and their aliases (not timed), the second, with
/// new code, publishes version 2 of every function and shifts every alias with the engine (timed: the wall time
/// of the whole `shift pipeline run` process). The number of DescribeAlarms calls is shift's own count, from the
/// stage's log ("read in N platform calls"): moto does not count them.
enum FleetStageBenchmark {
    static let fleet = 100
    static let concurrency = 50

    struct Figure {
        var seconds: Double
        var alarmCalls: Int
    }

    static func run(shift: String, scratch: URL, endpoint: String, environment: [String: String]) throws {
        func sh(_ command: String) throws -> (output: String, duration: Double) {
            let process = HandlerProcess(command: command, workingDirectory: scratch, environment: environment, timeout: 900)
            let outcome = try process.runBlocking(input: Data())
            let output = String(decoding: outcome.stdout, as: UTF8.self)
            precondition(outcome.termination == .exited(0), "failed: \(command)\n\(output.suffix(2000))\n\(String(decoding: outcome.stderrTail, as: UTF8.self))")
            return (output, outcome.duration)
        }
        _ = try sh("curl -fsS -X POST '\(endpoint)/moto-api/config' -d '{\"lambda\": {\"use_docker\": false}}'")
        let tag = UUID().uuidString.prefix(8).lowercased()
        let role = try sh("""
            python3 -c "import boto3; iam = boto3.client('iam', endpoint_url='\(endpoint)', region_name='us-east-1'); \
            print(iam.create_role(RoleName='fleet-role-\(tag)', AssumeRolePolicyDocument='{}')['Role']['Arn'])"
            """).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let many = (0..<fleet).map { "fleet-\(tag)-\($0)" }
        let one = ["solo-\(tag)"]
        let script = """
            import boto3
            cw = boto3.client('cloudwatch', endpoint_url='\(endpoint)', region_name='us-east-1')
            for name in \(many + one):
                cw.put_metric_alarm(AlarmName=name + '-errors', MetricName='Errors', Namespace='AWS/Lambda', Statistic='Sum', Period=60,
                    EvaluationPeriods=1, Threshold=1, ComparisonOperator='GreaterThanOrEqualToThreshold')
                cw.set_alarm_state(AlarmName=name + '-errors', StateValue='OK', StateReason='quiet')
            """
        let alarmScript = scratch.appendingPathComponent("fleet-alarms.py")
        try Data(script.utf8).write(to: alarmScript)
        _ = try sh("python3 '\(alarmScript.path)'")

        func stage(_ functions: [String], name: String) throws -> Figure {
            let source = scratch.appendingPathComponent("\(name)-source")
            try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
            let file = scratch.appendingPathComponent("\(name).yml")
            let entries = functions.map { "{function: \($0), alias: live, preference: Canary50Percent5Seconds, pollInterval: 1, alarms: [\($0)-errors]}" }
            let pipeline = """
                name: \(name)
                accounts:
                  moto: {platform: aws, region: us-east-1, endpoint: '\(endpoint)', role: '\(role)', runtime: python3.12}
                source: {directory: \(source.path)}
                functions: {\(functions.map { "\($0): {artifact: code, handler: index.handler}" }.joined(separator: ", "))}
                stages:
                  - {name: build, type: build, commands: ['mkdir -p out && cp index.py out/'], artifacts: {code: out}}
                  - {name: ship, type: deploy, account: moto, concurrency: \(concurrency), functions: [\(entries.joined(separator: ", "))]}
                """
            try Data(pipeline.utf8).write(to: file)
            var figure = Figure(seconds: 0, alarmCalls: 0)
            for release in 1...2 {
                try Data("def handler(event, context):\n    return {'release': \(release)}\n".utf8).write(to: source.appendingPathComponent("index.py"))
                let (output, seconds) = try sh("'\(shift)' pipeline run '\(file.path)'")
                guard release == 2 else { continue }
                figure.seconds = seconds
                let line = output.split(separator: "\n").first { $0.contains("platform calls") } ?? ""
                figure.alarmCalls = Int(line.components(separatedBy: "read in ").last?.split(separator: " ").first ?? "") ?? -1
            }
            return figure
        }
        let single = try stage(one, name: "fleet-one")
        let hundred = try stage(many, name: "fleet-hundred")
        // Alone, each deployment reads its alarms at every 1 s poll of its 5 s hold, and once before: 6 calls or more.
        print("""

        pipeline deploy stage on moto (\(endpoint)): Canary50Percent5Seconds, an alarm per function polled every 1 s, concurrency \(concurrency)
          1 function                   \(String(format: "%.1f", single.seconds)) s, \(single.alarmCalls) DescribeAlarms calls
          \(fleet) functions                \(String(format: "%.1f", hundred.seconds)) s, \(hundred.alarmCalls) DescribeAlarms calls (alone: at least \(fleet * 6))
          ratio                        \(String(format: "%.1f", hundred.seconds / single.seconds))x the wall time of one
        """)
    }
}

import Foundation
import ShiftTestSupport
import XCTest

/// `shift sam convert` with the real binary: the converted pipeline validates and runs on the local platform.
final class SAMConvertCommandTests: ShiftIntegrationTestCase {
    private func convert(_ arguments: String...) -> ProcessResult {
        shift.run(["sam", "convert"] + arguments, passesStateDirectory: false)
    }

    func testConvertedExample_validates_shipsAHealthyVersion_andRollsBackAFailingOneByItsAlarm() throws {
        let (app, template, pipeline, text) = try convertExample("sam")
        XCTAssertTrue(text.contains("preference: Canary50Percent4Seconds  # DeploymentPreference.Type Canary50Percent4Seconds at \(template):"), text)
        XCTAssertTrue(text.contains("preTraffic: \"CodeDeployHook_orders-prod:live\""), text)
        succeed("pipeline", "validate", pipeline)

        // The first run creates the functions and their aliases.
        let first = run("pipeline", "run", pipeline, timeout: 120)
        XCTAssertEqual(first.exitCode, 0, "\(first)")
        XCTAssertEqual(try aliasRouting("orders-prod").version, "1")

        // A healthy release shifts through the canary, its hook passing and its alarm quiet.
        try Data("2\n".utf8).write(to: app.appendingPathComponent("orders/RELEASE"))
        let healthy = run("pipeline", "run", pipeline, timeout: 120)
        XCTAssertEqual(healthy.exitCode, 0, "\(healthy)")
        XCTAssertEqual(try aliasRouting("orders-prod").version, "2")
        XCTAssertEqual(try aliasRouting("orders-prod").weights, [:])
        let invoked = succeed("invoke", "orders-prod:live", "--payload", "{}")
        XCTAssertTrue(invoked.stdout.contains("\"table\": \"prod-orders\""), invoked.stdout)

        // A failing release: its errors trip the alarm during the canary and the alias goes back.
        try Data().write(to: app.appendingPathComponent("orders/FAILING"))
        let failing = run("pipeline", "run", pipeline, timeout: 120)
        XCTAssertEqual(failing.exitCode, 1, "\(failing)")
        XCTAssertTrue(failing.stderr.contains("orders-prod-errors") || failing.stdout.contains("orders-prod-errors"), "\(failing)")
        XCTAssertEqual(try aliasRouting("orders-prod").version, "2")
        XCTAssertEqual(try aliasRouting("orders-prod").weights, [:])
    }

    /// Examples/sam-runtimes: a Python function and a Node.js function, each with a canary, a PreTraffic hook (a
    /// Python handler) and an Errors alarm, run as real Lambda handlers on the local platform.
    func testConvertedPythonAndNodeApp_shipsAHealthyRelease_andItsAlarmsRollBackOneThatRaisesOnHalfItsEvents() throws {
        // The interpreters from the system, not a version manager's shims (which cost a second per start under load).
        addEnvironment(["PATH": "/usr/bin:/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
        let (app, _, pipeline, text) = try convertExample("sam-runtimes")
        XCTAssertTrue(text.contains("runtime: python3.12"), text)
        XCTAssertTrue(text.contains("runtime: nodejs20.x"), text)
        succeed("pipeline", "validate", pipeline)

        let first = run("pipeline", "run", pipeline, timeout: 180)
        XCTAssertEqual(first.exitCode, 0, "\(first)")
        for function in ["prices-py", "prices-js"] { XCTAssertEqual(try aliasRouting(function).version, "1") }

        // A healthy release of both: the hook (a Python handler) passes, the canaries go to 100 %.
        for directory in ["prices-py", "prices-js"] {
            try Data("2\n".utf8).write(to: app.appendingPathComponent("\(directory)/RELEASE"))
        }
        let healthy = run("pipeline", "run", pipeline, timeout: 180)
        XCTAssertEqual(healthy.exitCode, 0, "\(healthy)")
        let logs = run("pipeline", "logs", try latestRunID(), "--stage", "deploy").stdout
        XCTAssertTrue(logs.contains("PreTraffic hook CodeDeployHook_check-prices:live passed"), logs)
        for function in ["prices-py", "prices-js"] {
            XCTAssertEqual(try aliasRouting(function).version, "2")
            XCTAssertEqual(try aliasRouting(function).weights, [:])
        }
        let priced = succeed("invoke", "prices-js:live", "--payload", #"{"items": [{"quantity": 2, "price": 4.5}]}"#)
        XCTAssertTrue(priced.stdout.contains("\"total\":9") || priced.stdout.contains("\"total\": 9"), priced.stdout)

        // A release that raises on half its events: its alarm fires during the canary and both go back to 2.
        for directory in ["prices-py", "prices-js"] {
            try Data().write(to: app.appendingPathComponent("\(directory)/FAILING"))
        }
        let failing = run("pipeline", "run", pipeline, timeout: 180)
        XCTAssertEqual(failing.exitCode, 1, "\(failing)")
        let failedLog = run("pipeline", "logs", try latestRunID(), "--stage", "deploy").stdout
        XCTAssertTrue(failedLog.contains("-errors is in ALARM"), failedLog)
        for function in ["prices-py", "prices-js"] {
            XCTAssertEqual(try aliasRouting(function).version, "2", function)
            XCTAssertEqual(try aliasRouting(function).weights, [:], function)
        }
    }

    /// A copy of an example SAM app converted with a 4-second canary, 1-second alarm periods and traffic, and
    /// where its pipeline file went and what it says.
    private func convertExample(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws -> (app: URL, template: String, pipeline: String, text: String) {
        let app = try copyOfExample(name)
        let template = app.appendingPathComponent("template.yaml").path
        let pipeline = app.appendingPathComponent("pipeline.yml").path
        let converted = convert(template, "--parameter-overrides", "DeploymentType=Canary50Percent4Seconds", "AlarmPeriod=1",
                                "--traffic", "10", "--out", pipeline, "--strict")
        XCTAssertEqual(converted.exitCode, 0, "\(converted)", file: file, line: line)
        XCTAssertTrue(converted.stderr.contains("wrote \(pipeline)"), converted.stderr, file: file, line: line)
        return (app, template, pipeline, try String(contentsOfFile: pipeline, encoding: .utf8))
    }

    private func latestRunID() throws -> String {
        let runs = try XCTUnwrap(try json("pipeline", "list")["runs"] as? [[String: Any]])
        return try XCTUnwrap(runs.first?["runId"] as? String)
    }

    func testPrintsToStdout_andListsWhatDoesNotCarryOver_strictMakesItExit2() throws {
        let app = try copyOfExample("sam")
        let template = app.appendingPathComponent("template.yaml")
        var text = try String(contentsOf: template, encoding: .utf8)
        text = text.replacingOccurrences(of: "      AutoPublishAlias: live\n", with: "      AutoPublishAlias: live\n      Layers: [arn:aws:lambda:us-east-1:123456789012:layer:deps:1]\n")
        try Data(text.utf8).write(to: template)
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("Layers:") }! + 1

        let printed = convert(template.path)
        XCTAssertEqual(printed.exitCode, 0, "\(printed)")
        XCTAssertTrue(printed.stdout.hasPrefix("# Converted by 'shift sam convert' from \(template.path)"), printed.stdout)
        XCTAssertEqual(printed.stderr, "\(template.path):\(line):7: Resources.OrdersFunction.Properties.Layers: shift ships the CodeUri directory only: copy the layer's files into it in the build stage\n")

        let out = app.appendingPathComponent("strict.yml")
        let strict = convert(template.path, "--strict", "--out", out.path)
        XCTAssertEqual(strict.exitCode, 2, "\(strict)")
        XCTAssertTrue(strict.stderr.contains("1 part of the template cannot carry over"), strict.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out.path), "nothing is written under --strict when a part does not carry over")
    }

    func testBadTemplate_isOneLineWithPosition_exit2() throws {
        let file = directory.url.appendingPathComponent("bad.yaml")
        try Data("Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: !Nope x}\n".utf8).write(to: file)
        let result = convert(file.path)
        XCTAssertEqual(result.exitCode, 2, "\(result)")
        XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file.path):5:27: Resources.F.Properties.CodeUri: uses !Nope, which is not a CloudFormation intrinsic function"), result.stderr)
        XCTAssertEqual(result.stdout, "")
        XCTAssertEqual(convert(file.path, "--platform", "gcp").exitCode, 2)
    }
}

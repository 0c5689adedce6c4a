import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

/// What an adversarial audit (issue 11) fed the real binary: durations and numbers that overflowed, busy-polled or
/// waited for centuries, and pipeline files nested thousands of levels deep. Each is bad input: exit 2, one line
/// naming the option or field and the allowed range, and nothing written, journalled or half-started.
final class HostileInputTests: ShiftIntegrationTestCase {
    /// `echo` has versions 1 and 2; `echo:live` points at 1.
    override func setUpWithError() throws {
        try super.setUpWithError()
        createFunctionWithTwoVersions("echo")
        succeed("alias", "create", "echo", "live", "--version", "1")
    }

    private var deploymentsDirectory: URL { stateDirectory.appendingPathComponent("accounts/default/deployments") }
    private let deploy = ["deploy", "echo", "--alias", "live", "--version", "2", "--preference", "AllAtOnce"]

    // MARK: Durations

    /// `--hook-timeout 2e10` passed `--dry-run`, then trapped after the deployment was journalled, leaving it InProgress.
    func testDeployDurationsOutOfBounds_exit2_beforeAnythingIsJournalled() throws {
        let cases: [(option: String, value: String, range: String)] = [
            ("--hook-timeout", "2e10", "from 0.001s to 7d"), ("--hook-timeout", "604801", "from 0.001s to 7d"),
            ("--bake", "1e308", "from 0s to 7d"), ("--bake", "8d", "from 0s to 7d"),
            ("--poll-interval", "1e-300", "from 0.01s to 1h"), ("--poll-interval", "0.001", "from 0.01s to 1h"),
            ("--poll-interval", "nan", "from 0.01s to 1h"), ("--hook-timeout", "inf", "from 0.001s to 7d"),
        ]
        for (option, value, range) in cases {
            for dryRun in [[], ["--dry-run"]] {
                let result = try assertStateUnchanged { shift.run(deploy + [option, value] + dryRun) }
                assertBadInput(result, mentions: ["\(option) is '\(value)'", range])
            }
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: deploymentsDirectory.path), "a deployment was journalled")
        XCTAssertEqual(try json("alias", "get", "echo", "live")["FunctionVersion"] as? String, "1")
    }

    /// The CLI's `7d` and the pipeline's `7d` are one reading: the largest hold is accepted, one second more is not.
    func testDurationUnits_areAcceptedUpToTheBound() throws {
        let plan = shift.run(deploy + ["--bake", "7d", "--hook-timeout", "1d12h", "--poll-interval", "0.01", "--dry-run"])
        XCTAssertEqual(plan.exitCode, 0, "\(plan)")
        XCTAssertTrue(plan.stdout.contains("bake: 168h at 100%"), plan.stdout)
        assertBadInput(shift.run(deploy + ["--bake", "7d1s", "--dry-run"]), mentions: ["--bake is '7d1s'", "from 0s to 7d"])
    }

    func testOtherCommandsDurations_outOfBounds_exit2() throws {
        let rule = ["--metric", "Errors", "--statistic", "Sum", "--evaluation-periods", "1", "--threshold", "1", "--comparison", "GreaterThanThreshold"]
        let cases: [([String], String)] = [
            (["traffic", "echo:live", "--rate", "5", "--duration", "9.3e18"], "--duration is '9.3e18'"),
            (["traffic", "echo:live", "--rate", "5", "--duration", "inf"], "--duration is 'inf'"),
            (["metrics", "echo", "--since", "1e308"], "--since is '1e308'"),
            (["metrics", "echo", "--period", "inf"], "--period is 'inf'"),
            (["alarm", "put", "a1", "--function", "echo", "--period", "inf"] + rule, "--period is 'inf'"),
        ]
        for (arguments, fragment) in cases {
            let result = try assertStateUnchanged { shift.run(arguments) }
            assertBadInput(result, mentions: [fragment, "expected a duration from"])
        }
    }

    // MARK: Pipeline files

    private func writePipeline(_ text: String) throws -> String {
        let file = directory.url.appendingPathComponent("pipeline-\(UUID().uuidString.prefix(6)).yml")
        try Data(text.utf8).write(to: file)
        return file.path
    }

    private func pipeline(buildTimeout: String = "60", hookTimeout: String = "60", bake: String = "0", pollInterval: String = "0.5",
                          approvalTimeout: String = "1h", concurrency: String = "2", traffic: String = "5", period: String = "60", threshold: String = "1") -> String {
        """
        name: hostile
        accounts: {dev: {platform: local}}
        source: {directory: \(example("echo").path)}
        functions: {orders: {artifact: orders, handler: ./handler.sh}}
        stages:
          - {name: build, type: build, commands: ['mkdir -p out && cp handler.sh out/'], artifacts: {orders: out}, timeout: \(buildTimeout)}
          - name: deploy
            type: deploy
            account: dev
            concurrency: \(concurrency)
            functions:
              - function: orders
                alias: live
                preference: AllAtOnce
                hookTimeout: \(hookTimeout)
                bake: \(bake)
                pollInterval: \(pollInterval)
                traffic: \(traffic)
                alarms: [{name: orders-errors, metric: Errors, threshold: \(threshold), period: \(period)}]
          - {name: gate, type: approval, timeout: \(approvalTimeout)}

        """
    }

    /// A build stage `timeout: 2e10` validated, then trapped mid-run; an approval `timeout: 1e308` waited until the year 506713.
    func testPipelineDurationsOutOfBounds_failValidation_andRunStartsNothing() throws {
        let cases: [(String, String, String)] = [
            (pipeline(buildTimeout: "2e10"), "stages[0].timeout", "from 0.001s to 7d"),
            (pipeline(approvalTimeout: "1e308"), "stages[2].timeout", "from 0.001s to 30d"),
            (pipeline(bake: "1e308"), "stages[1].functions[0].bake", "from 0s to 7d"),
            (pipeline(pollInterval: "1e-300"), "stages[1].functions[0].pollInterval", "from 0.01s to 1h"),
            (pipeline(hookTimeout: "9.3e18"), "stages[1].functions[0].hookTimeout", "from 0.001s to 7d"),
        ]
        for (text, field, range) in cases {
            let file = try writePipeline(text)
            let validated = shift.run(["pipeline", "validate", file])
            XCTAssertEqual(validated.exitCode, 2, "\(validated)")
            XCTAssertTrue(validated.stderr.contains(": \(field): is '"), validated.stderr)
            XCTAssertTrue(validated.stderr.contains(range), validated.stderr)
            let run = try assertStateUnchanged { shift.run(["pipeline", "run", file, "--no-wait"]) }
            XCTAssertEqual(run.exitCode, 2, "\(run)")
        }
        let valid = shift.run(["pipeline", "validate", try writePipeline(pipeline(buildTimeout: "7d", bake: "1d12h", approvalTimeout: "30d"))])
        XCTAssertEqual(valid.exitCode, 0, "\(valid)")
    }

    /// 7,000 levels made `pipeline validate` segfault (Yams composes recursively).
    func testPipelineNested7000Levels_exit2_withAPosition() throws {
        let flow = try writePipeline("name: " + String(repeating: "[", count: 7_000) + String(repeating: "]", count: 7_000) + "\n")
        let block = try writePipeline("name: x\nstages:\n" + (1...7_000).map { String(repeating: " ", count: $0) + "- k:" }.joined(separator: "\n") + "\n")
        for file in [flow, block] {
            for command in ["validate", "run"] {
                let result = try assertStateUnchanged { shift.run(["pipeline", command, file] + (command == "run" ? ["--no-wait"] : [])) }
                XCTAssertEqual(result.exitCode, 2, "\(result)")
                XCTAssertTrue(result.stderr.contains("\(file):"), result.stderr)
                XCTAssertTrue(result.stderr.contains("nests deeper than 64 levels"), result.stderr)
            }
        }
    }

    // MARK: Property

    /// The audit's method as a test: seeded random values for every duration and numeric option and every
    /// duration and numeric pipeline field. Each run exits 0, or 2 with one line naming the option or field; never
    /// a trap, a signal, or a hang.
    func testRandomValues_forEveryDurationAndNumericInput_exit0Or2_neverCrash() throws {
        var generator = SeededGenerator(seed: 1_111)
        let hostile = ["2e10", "1e308", "-1e308", "1e-300", "9.3e18", "nan", "-nan", "inf", "-inf", "0", "-0", "-1", "0x1p64",
                       "99999999999999999999999", "18446744073709551616", "9223372036854775807", "-9223372036854775808",
                       "1.7976931348623157e308", "4.9e-324", "", " ", "7d", "8d", "0.5", "1m30s", "1h1d", "٥", "1_000", "+5"]
        func value() -> String {
            if Bool.random(using: &generator) { return hostile.randomElement(using: &generator)! }
            let digits = (0..<Int.random(in: 1...25, using: &generator)).map { _ in String(Int.random(in: 0...9, using: &generator)) }.joined()
            return ["", "-", "0."].randomElement(using: &generator)! + digits + ["", "s", "m", "h", "d", "e5", "e-5", ".5"].randomElement(using: &generator)!
        }
        let rule = ["--metric", "Errors", "--statistic", "Sum", "--comparison", "GreaterThanThreshold"]
        // Each template takes one value; every accepted value finishes quickly (dry runs, validation, read-only commands).
        let commands: [(name: String, arguments: (String) -> [String])] = [
            ("--hook-timeout", { self.deploy + ["--dry-run", "--hook-timeout", $0] }),
            ("--bake", { self.deploy + ["--dry-run", "--bake", $0] }),
            ("--poll-interval", { self.deploy + ["--dry-run", "--poll-interval", $0] }),
            ("--version", { ["deploy", "echo", "--alias", "live", "--preference", "AllAtOnce", "--dry-run", "--version", $0] }),
            ("--preference", { self.deploy.dropLast(2) + ["--dry-run", "--preference", "Canary\($0)Percent\($0)Seconds"] }),
            ("--since", { ["metrics", "echo", "--since", $0] }),
            ("--period", { ["metrics", "echo", "--period", $0] }),
            ("--period", { ["alarm", "put", "a1", "--function", "echo", "--evaluation-periods", "1", "--threshold", "1", "--period", $0] + rule }),
            ("--threshold", { ["alarm", "put", "a1", "--function", "echo", "--evaluation-periods", "1", "--period", "60", "--threshold", $0] + rule }),
            ("--evaluation-periods", { ["alarm", "put", "a1", "--function", "echo", "--period", "60", "--threshold", "1", "--evaluation-periods", $0] + rule }),
            ("--weight", { ["alias", "update", "echo", "live", "--additional-version", "2", "--weight", $0] }),
            ("--timeout", { ["function", "update", "echo", "--timeout", $0] }),
            ("--reserved-concurrency", { ["function", "update", "echo", "--reserved-concurrency", $0] }),
            ("--rate", { ["traffic", "echo:live", "--duration", "0.05", "--concurrency", "1", "--rate", $0] }),
            ("--concurrency", { ["traffic", "echo:live", "--duration", "0.05", "--rate", "5", "--concurrency", $0] }),
            // An accepted duration runs that long: those beyond a moment are shortened (the bounds are tested above).
            ("--duration", { text in ["traffic", "echo:live", "--rate", "5", "--concurrency", "1", "--duration",
                                      ((try? DurationBounds.run.parse(text, field: "")) ?? 0) > 0.2 ? "0.05" : text] }),
        ]
        let fields: [(name: String, text: (String) -> String)] = [
            ("timeout", { self.pipeline(buildTimeout: $0) }), ("hookTimeout", { self.pipeline(hookTimeout: $0) }),
            ("bake", { self.pipeline(bake: $0) }), ("pollInterval", { self.pipeline(pollInterval: $0) }),
            ("timeout", { self.pipeline(approvalTimeout: $0) }), ("concurrency", { self.pipeline(concurrency: $0) }),
            ("traffic", { self.pipeline(traffic: $0) }), ("period", { self.pipeline(period: $0) }), ("threshold", { self.pipeline(threshold: $0) }),
        ]
        var outcomes: [Int32: Int] = [:]
        for round in 0..<4 {
            for (option, arguments) in commands {
                let text = value()
                // ArgumentParser reads a value beginning with '-' as an option unless the option parses unconditionally;
                // either way the answer must be 0 or 2.
                let result = shift.run(arguments(text), timeout: 30)
                outcomes[result.exitCode, default: 0] += 1
                XCTAssertFalse(result.timedOut, "round \(round): \(option) '\(text)' hung: \(result)")
                XCTAssertTrue([0, 2].contains(result.exitCode), "round \(round): \(option) '\(text)': \(result)")
                if result.exitCode == 2 {
                    XCTAssertEqual(result.stderrLines.count, 1, "\(option) '\(text)': \(result)")
                    XCTAssertTrue(result.stderr.hasPrefix("error: "), "\(option) '\(text)': \(result)")
                }
            }
            for (field, text) in fields {
                let input = value()
                let file = try writePipeline(text(input.isEmpty ? "''" : input))
                let result = shift.run(["pipeline", "validate", file], timeout: 30)
                outcomes[result.exitCode, default: 0] += 1
                XCTAssertTrue([0, 2].contains(result.exitCode), "round \(round): \(field) '\(input)': \(result)")
                if result.exitCode == 2 { XCTAssertTrue(result.stderr.contains(": \(file):") || result.stderr.contains("\(file):"), result.stderr) }
            }
        }
        XCTAssertGreaterThan(outcomes[2] ?? 0, 0)
        XCTAssertGreaterThan(outcomes[0] ?? 0, 0, "some values must be accepted, or the property says nothing")
    }
}

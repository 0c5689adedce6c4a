import Foundation
import XCTest

/// `shift invoke` and `shift metrics` run as processes, with the example functions as real handlers.
final class InvokeCommandTests: ShiftIntegrationTestCase {
    func testInvokeThroughAnAlias_printsTheResponse_andTheExecutedVersionOnStderr() throws {
        createFunction("echo")
        XCTAssertEqual(publish("echo"), 1)
        succeed("alias", "create", "echo", "live", "--version", "1")

        let result = run("invoke", "echo:live", "--payload", #"{"hello": "world"}"#)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertEqual(result.stdout, #"{"ok": true, "version": "1", "event": {"hello": "world"}}"# + "\n")
        XCTAssertTrue(result.stderr.contains("executed version 1 "), "\(result)")
    }

    func testInvokeJSON_hasExecutedVersionAndPayload() throws {
        createFunctionWithTwoVersions("echo")
        succeed("alias", "create", "echo", "live", "--version", "2")

        let response = try json("invoke", "echo:live", "--payload", "[1, 2]")
        XCTAssertEqual(response["ExecutedVersion"] as? String, "2")
        XCTAssertEqual(response["StatusCode"] as? Int, 200)
        XCTAssertNil(response["FunctionError"])
        XCTAssertEqual(response["Payload"] as? String, #"{"ok": true, "version": "2", "event": [1, 2]}"# + "\n")
        XCTAssertEqual(try json("invoke", "echo:1")["ExecutedVersion"] as? String, "1")
        XCTAssertEqual(try json("invoke", "echo")["ExecutedVersion"] as? String, "$LATEST")
    }

    /// Lambda refuses a request payload over 6 MB; the local platform accepted it.
    func testPayloadOverSixMegabytes_exits2_beforeTheHandlerRuns() throws {
        createFunction("echo")
        let file = directory.url.appendingPathComponent("big.json")
        try Data(("\"" + String(repeating: "a", count: 6 * 1024 * 1024) + "\"").utf8).write(to: file)
        let result = try assertStateUnchanged { run("invoke", "echo", "--payload-file", file.path) }
        assertBadInput(result, mentions: ["--payload-file \(file.path) is '6291458 bytes'", "at most 6291456 bytes (6 MB)"])
    }

    func testPayloadFile_isTheEvent() throws {
        createFunction("echo")
        let event = directory.url.appendingPathComponent("event.json")
        try Data(#"{"from": "file"}"#.utf8).write(to: event)
        let result = succeed("invoke", "echo", "--payload-file", event.path)
        XCTAssertTrue(result.stdout.contains(#""event": {"from": "file"}"#), "\(result)")
    }

    func testFlakyAtErrorRate100_exits1_andCountsAnError() throws {
        createFunction("flaky", example: "flaky", "--env", "ERROR_RATE=100")
        XCTAssertEqual(publish("flaky"), 1)

        let result = run("invoke", "flaky:1")
        XCTAssertEqual(result.exitCode, 1, "a handler error is a runtime failure: \(result)")
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("simulated failure (ERROR_RATE=100)"), "the handler's log is shown on failure: \(result)")
        XCTAssertTrue(result.stderr.contains("error: flaky:1 failed: Handler exited with status 1"), "\(result)")

        let response = run("invoke", "flaky:1", "--output", "json")
        XCTAssertEqual(response.exitCode, 1, "\(response)")
        XCTAssertEqual(try response.jsonObject()["FunctionError"] as? String, "Unhandled", "Lambda's word")
        XCTAssertEqual((try response.jsonObject()["Shift"] as? [String: Any])?["FunctionErrorReason"] as? String, "Handler exited with status 1")

        let metrics = try recordedMetrics("flaky")
        XCTAssertEqual(metrics.invocations, ["1": 2])
        XCTAssertEqual(metrics.errors, ["1": 2])
    }

    func testSlowHandler_isKilledAtItsTimeout_withItsChildren_andCountsAnError() throws {
        // A sleep time no other process uses, so that a leftover `sleep` can be recognised.
        let marker = String(format: "29.%06d", Int.random(in: 0..<1_000_000))
        createFunction("slow", example: "slow", "--timeout", "1", "--env", "SLEEP_SECONDS=\(marker)")

        let result = run("invoke", "slow", timeout: 30)
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertLessThan(result.seconds, 10, "the handler must be killed at its 1 s timeout, not run for \(marker) s")
        XCTAssertTrue(result.stderr.contains("timed out"), "\(result)")
        XCTAssertTrue(result.stderr.contains("Task timed out after 1 seconds"), "\(result)")
        XCTAssertTrue(result.stderr.contains("sleeping \(marker)s"), "the handler's log is shown on failure: \(result)")

        #if os(Linux)
        // The handler's process group was killed, so its `sleep` child does not live on as an orphan.
        let deadline = Date().addingTimeInterval(5)
        while !processes(withArguments: ["sleep", marker]).isEmpty && Date() < deadline {
            usleep(20_000)
        }
        XCTAssertEqual(processes(withArguments: ["sleep", marker]), [], "the handler's child outlived its timeout")
        #endif

        let metrics = try recordedMetrics("slow")
        XCTAssertEqual(metrics.invocations, ["$LATEST": 1])
        XCTAssertEqual(metrics.errors, ["$LATEST": 1])
    }

    func testHandler_seesItsFunctionNameVersionAndAlias() throws {
        let code = directory.url.appendingPathComponent("whoami")
        try directory.writeScript("whoami/handler.sh", #"""
            cat > /dev/null
            printf '%s|%s|%s|%s\n' "$SHIFT_FUNCTION_NAME" "$SHIFT_FUNCTION_VERSION" "$SHIFT_ALIAS" "$GREETING"
            """#)
        createFunction("whoami", code: code, "--env", "GREETING=hi")
        XCTAssertEqual(publish("whoami"), 1)
        succeed("alias", "create", "whoami", "live", "--version", "1")

        XCTAssertEqual(succeed("invoke", "whoami:live").stdout, "whoami|1|live|hi\n")
        XCTAssertEqual(succeed("invoke", "whoami:1").stdout, "whoami|1||hi\n")
        XCTAssertEqual(succeed("invoke", "whoami").stdout, "whoami|$LATEST||hi\n")
    }

    func testHandler_doesNotInheritShiftsOwnEnvironment() throws {
        let code = directory.url.appendingPathComponent("leak")
        try directory.writeScript("leak/handler.sh", #"cat > /dev/null; echo "[${SECRET_TOKEN:-}]""#)
        createFunction("leak", code: code)
        XCTAssertEqual(run("invoke", "leak", environment: ["SECRET_TOKEN": "hunter2"]).stdout, "[]\n")
    }

    func testMetrics_countInvocationsPerExecutedVersion() throws {
        createFunctionWithTwoVersions("echo")
        succeed("alias", "create", "echo", "live", "--version", "1")
        for _ in 0..<3 { succeed("invoke", "echo:live") }
        for _ in 0..<2 { succeed("invoke", "echo:2") }
        succeed("invoke", "echo")

        let all = try recordedMetrics("echo")
        XCTAssertEqual(all.invocations, ["1": 3, "2": 2, "$LATEST": 1])
        XCTAssertEqual(all.errors, ["1": 0, "2": 0, "$LATEST": 0])
        XCTAssertEqual(try recordedMetrics("echo", "--alias", "live").invocations, ["1": 3])
        XCTAssertEqual(try recordedMetrics("echo", "--version", "2").invocations, ["2": 2])

        let table = succeed("metrics", "echo").stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(table.first?.hasPrefix("PERIOD (UTC)") == true, "\(table)")
        XCTAssertTrue(table.contains { $0.contains("  1  ") && $0.contains("  3  ") }, "a row for version 1 with 3 invocations: \(table)")
    }

    func testMetricsOfAFunctionNeverInvoked_isEmpty() throws {
        createFunction("echo")
        XCTAssertEqual(try recordedMetrics("echo"), try RecordedMetrics(json: ["Metrics": []]))
        let text = succeed("metrics", "echo")
        XCTAssertEqual(text.stdout, "")
        XCTAssertTrue(text.stderr.contains("no invocations of echo"), "\(text)")
    }

    /// Ids of running processes whose command line is exactly `arguments`, read from /proc.
    private func processes(withArguments arguments: [String]) -> [Int32] {
        let wanted = Data((arguments.joined(separator: "\0") + "\0").utf8)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap(Int32.init).filter { pid in
            FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") == wanted
        }
    }
}

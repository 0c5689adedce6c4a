import Foundation
import ShiftTestSupport
import XCTest

/// Reserved concurrency on the local platform: a limit across every shift process, throttles recorded as
/// CloudWatch records them (not invocations), and an alarm on Throttles.
final class ReservedConcurrencyTests: ShiftIntegrationTestCase {
    func makeSlowFunction(_ name: String, _ extra: String...) throws {
        let code = try directory.writeScript("code-\(name)/handler.sh", "cat >/dev/null; sleep 1.5; echo '{}'").deletingLastPathComponent()
        shift.runChecked(["function", "create", name, "--code", code.path, "--handler", "./handler.sh", "--timeout", "10"] + extra)
    }

    func testSecondInvocationBeyondTheLimit_isThrottled_andCountedAsAThrottleOnly() throws {
        try makeSlowFunction("slow", "--reserved-concurrency", "1")
        XCTAssertTrue(succeed("function", "get", "slow").stdout.contains("concurrency: 1 reserved"))
        let first = try shift.start(["invoke", "slow"])
        Thread.sleep(forTimeInterval: 0.5)
        let second = run("invoke", "slow")
        XCTAssertEqual(second.exitCode, 1, "\(second)")
        XCTAssertTrue(second.stderr.hasPrefix("error: TooManyRequestsException: Rate Exceeded"), second.stderr)
        XCTAssertEqual(first.wait().exitCode, 0)

        let metrics = try recordedMetrics("slow")
        XCTAssertEqual(metrics.totalInvocations, 1, "a throttle is not an invocation")
        XCTAssertEqual(metrics.totalErrors, 0)
        XCTAssertEqual(metrics.totalThrottles, 1)
        succeed("invoke", "slow")  // the slot is free again
    }

    func testZero_throttlesEverything_untilRemoved_andAppliesToPublishedVersionsAtOnce() throws {
        try makeSlowFunction("stop-me")
        XCTAssertEqual(publish("stop-me"), 1)
        succeed("function", "update", "stop-me", "--reserved-concurrency", "0")
        XCTAssertEqual(publish("stop-me"), 1, "reserved concurrency is the function's, not a version's: nothing to publish")
        XCTAssertEqual(run("invoke", "stop-me:1").exitCode, 1)
        succeed("function", "update", "stop-me", "--no-reserved-concurrency")
        succeed("invoke", "stop-me:1")
        assertBadInput(run("function", "update", "stop-me", "--reserved-concurrency", "1001"), mentions: ["--reserved-concurrency", "1001"])
    }

    func testTrafficOverTheLimit_talliesThrottles_andAnAlarmOnThrottlesFires() throws {
        try makeSlowFunction("busy", "--reserved-concurrency", "2")
        succeed("alarm", "put", "busy-throttles", "--function", "busy", "--metric", "Throttles", "--statistic", "Sum",
                "--period", "1", "--evaluation-periods", "5", "--datapoints-to-alarm", "1", "--threshold", "0", "--comparison", "GreaterThanThreshold")
        let result = run("traffic", "busy", "--rate", "10", "--duration", "2", "--output", "json")
        let last = try XCTUnwrap(result.stdout.split(separator: "\n").last.map(String.init), "\(result)")
        let traffic = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any], last)
        let versions = traffic["versions"] as? [String: [String: Int]]
        let throttled = versions?["$LATEST"]?["throttles"] ?? 0
        XCTAssertGreaterThan(throttled, 5, "\(traffic)")
        XCTAssertLessThanOrEqual(versions?["$LATEST"]?["invocations"] ?? 99, 6, "at most 2 at a time for about 3 s of 1.5 s handlers: \(traffic)")
        let alarm = try json("alarm", "get", "busy-throttles")
        XCTAssertEqual(alarm["StateValue"] as? String, "ALARM", "\(alarm)")
    }
}

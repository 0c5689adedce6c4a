import Foundation
import XCTest

/// `shift traffic` run as a process: the load it makes is the load `shift metrics` records.
final class TrafficCommandTests: ShiftIntegrationTestCase {
    func testTraffic20PerSecondFor2Seconds_makesAbout40Invocations_andMetricsAgree() throws {
        createFunction("echo")
        XCTAssertEqual(publish("echo"), 1)
        succeed("alias", "create", "echo", "live", "--version", "1")

        let result = run("traffic", "echo:live", "--rate", "20", "--duration", "2", timeout: 60)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertLessThan(result.seconds, 30, "a 2 s run took far too long")

        // "traffic to echo:live: 40 invocations, 0 errors in 2.0s; v1: 40 ok, 0 errors"
        let summary = try XCTUnwrap(result.stdout.split(separator: "\n").last.map(String.init), "\(result)")
        XCTAssertTrue(summary.hasPrefix("traffic to echo:live: "), "\(result)")
        let words = summary.split(separator: " ")
        let invocations = try XCTUnwrap(words.firstIndex(of: "invocations,").flatMap { Int(words[$0 - 1]) }, summary)
        XCTAssertTrue((36...40).contains(invocations), "about 20/s for 2 s: \(summary)")
        XCTAssertTrue(summary.contains(" 0 errors in "), summary)
        XCTAssertTrue(summary.contains("v1: \(invocations) ok, 0 errors"), summary)

        let metrics = try recordedMetrics("echo", "--alias", "live")
        XCTAssertEqual(metrics.invocations, ["1": invocations], "metrics count what traffic counted")
        XCTAssertEqual(metrics.totalErrors, 0)
    }

    func testTrafficJSON_splitsByTheAliasWeights_andMetricsAgreePerVersion() throws {
        createFunctionWithTwoVersions("flaky", example: "flaky")
        succeed("alias", "create", "flaky", "live", "--version", "1", "--additional-version", "2", "--weight", "0.5")

        let result = run("traffic", "flaky:live", "--rate", "20", "--duration", "2", "--output", "json", timeout: 60)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        // One JSON object per line: progress, then the final tally.
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let tallies = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], $0) }
        let final = try XCTUnwrap(tallies.last, "\(result)")
        XCTAssertEqual(final["failures"] as? Int, 0, "\(final)")
        let versions = try XCTUnwrap(final["versions"] as? [String: [String: Int]], "\(final)")
        let counted = versions.mapValues { $0["invocations"] ?? -1 }
        let total = counted.values.reduce(0, +)
        XCTAssertTrue((36...40).contains(total), "\(final)")
        // At weight 0.5, 40 invocations all landing on one version has probability 2 * 2^-40.
        XCTAssertGreaterThan(counted["1"] ?? 0, 0, "\(final)")
        XCTAssertGreaterThan(counted["2"] ?? 0, 0, "\(final)")

        let metrics = try recordedMetrics("flaky")
        XCTAssertEqual(metrics.invocations, counted, "metrics count, per version, what traffic counted")
        XCTAssertEqual(metrics.totalErrors, 0)
    }
}

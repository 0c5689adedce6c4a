import Foundation
import ShiftCore
import ShiftLocal
import ShiftPlatforms
import ShiftStorage
import ShiftTestSupport
import XCTest

/// The local platform's judge over the metrics log that real invocations wrote: version 1 answers at once,
/// version 2 as the test says; each is invoked through the alias while the alias points at it.
final class LocalCanaryJudgeTests: XCTestCase {
    var directory: TemporaryDirectory!
    var account: AccountPlatform!
    let clock = ManualClock()

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        let root = directory.url.appendingPathComponent("state")
        account = try AccountResolver(root: root, environment: [:], clock: clock).resolve("default")
    }

    override func tearDown() { directory.remove() }

    /// Versions 1 (`cat`) and 2 (`second`), `invocations` of each through `orders:live`, interleaved (the alias
    /// moved before each) so that both see the same machine.
    func invoke(second: String, invocations: Int = 15) async throws {
        let catalog = account.functions
        let first = try directory.writeScript("v1/handler.sh", "cat").deletingLastPathComponent()
        let next = try directory.writeScript("v2/handler.sh", second + "\n# version 2").deletingLastPathComponent()
        _ = try await catalog.createFunction("orders", code: first, configuration: try FunctionConfiguration(handler: "./handler.sh"), creation: FunctionCreation())
        _ = try await catalog.publish("orders", description: "")
        _ = try await catalog.updateFunction("orders", change: FunctionChange(codePath: next))
        _ = try await catalog.publish("orders", description: "")
        _ = try await catalog.createAlias("live", of: "orders", routing: try AliasRouting(primaryVersion: 1), description: "")
        for _ in 0..<invocations {
            for version in [1, 2] {
                _ = try await catalog.updateAlias("live", of: "orders", routing: try AliasRouting(primaryVersion: version), description: nil, revisionId: nil)
                _ = try await catalog.invoke("orders", qualifier: .alias("live"), payload: Data("{}".utf8))
            }
        }
        // Not through the alias: left out.
        _ = try await catalog.invoke("orders", qualifier: .version(2), payload: Data("{}".utf8))
    }

    var window: DateInterval { DateInterval(start: clock.now.addingTimeInterval(-60), end: clock.now.addingTimeInterval(1)) }

    func judge(_ analysis: CanaryAnalysis) async throws -> CanaryVerdict {
        try await account.canaryJudge.judge(analysis, function: "orders", alias: "live", baselineVersion: 1, canaryVersion: 2, window: window)
    }

    func testSamples_areEveryInvocationOfTheVersionThroughTheAlias_inTheWindow() async throws {
        try await invoke(second: "exit 1")
        let errors = CanaryMetric(name: "errors", metric: "Errors")
        let canary = try await account.canarySamples.canarySamples(of: errors, function: "orders", alias: "live", version: 2, window: window)
        let baseline = try await account.canarySamples.canarySamples(of: errors, function: "orders", alias: "live", version: 1, window: window)
        XCTAssertEqual(canary, Array(repeating: 1, count: 15))
        XCTAssertEqual(baseline, Array(repeating: 0, count: 15))
        let durations = try await account.canarySamples.canarySamples(of: CanaryMetric(name: "latency", metric: "Duration"), function: "orders", alias: "live", version: 1, window: window)
        XCTAssertEqual(durations.count, 15)
        XCTAssertTrue(durations.allSatisfy { $0 > 0 })
        let later = DateInterval(start: clock.now.addingTimeInterval(1), duration: 60)
        let none = try await account.canarySamples.canarySamples(of: errors, function: "orders", alias: "live", version: 2, window: later)
        XCTAssertEqual(none, [])
    }

    func testSlowerVersion_failsTheAnalysis_namingLatency() async throws {
        try await invoke(second: "sleep 0.2; cat")
        let verdict = try await judge(CanaryAnalysis(metrics: [CanaryMetric(name: "latency", metric: "Duration", allowedIncrease: 1), CanaryMetric(name: "errors", metric: "Errors")]))
        XCTAssertEqual(verdict.results.map(\.classification), [.high, .pass])
        XCTAssertEqual(verdict.decision, .fail)
        XCTAssertTrue(verdict.summary.contains("latency High: higher: canary median"), verdict.summary)
    }

    func testFailingVersion_withErrorsCritical_scores0() async throws {
        try await invoke(second: "exit 1")
        let verdict = try await judge(CanaryAnalysis(metrics: [CanaryMetric(name: "errors", metric: "Errors", critical: true)]))
        XCTAssertEqual(verdict.score, 0)
        XCTAssertEqual(verdict.results.first?.classification, .high)
        XCTAssertNil(verdict.results.first?.effectSize, "version 1 never failed: the ratio of the means is unbounded")
    }

    func testEqualVersion_passes() async throws {
        try await invoke(second: "cat")
        // Process start-up times vary on a loaded machine: allow the latency to double before calling it High.
        let verdict = try await judge(CanaryAnalysis(metrics: [CanaryMetric(name: "latency", metric: "Duration", allowedIncrease: 1), CanaryMetric(name: "errors", metric: "Errors")]))
        XCTAssertEqual(verdict.decision, .pass, verdict.summary)
    }

    func testNoInvocationsInTheWindow_isNoData_andFails() async throws {
        try await invoke(second: "cat", invocations: 2)
        let later = DateInterval(start: clock.now.addingTimeInterval(1), duration: 60)
        let verdict = try await account.canaryJudge.judge(CanaryAnalysis(metrics: [CanaryMetric(name: "errors", metric: "Errors")]), function: "orders", alias: "live",
                                                          baselineVersion: 1, canaryVersion: 2, window: later)
        XCTAssertEqual(verdict.results.first?.classification, .noData)
        XCTAssertEqual(verdict.score, 0)
        XCTAssertEqual(verdict.decision, .fail)
    }

    func testUnknownLocalMetric_isBadInput() async throws {
        try await invoke(second: "cat", invocations: 1)
        do {
            _ = try await judge(CanaryAnalysis(metrics: [CanaryMetric(name: "cpu", metric: "CPUUtilization")]))
            XCTFail("expected an error")
        } catch let error as ShiftCoreError {
            XCTAssertEqual(error.category, .badInput)
            XCTAssertEqual(error.errorDescription, "metric of cpu is 'CPUUtilization'; expected Errors, Duration, Throttles on a local account")
        }
    }
}

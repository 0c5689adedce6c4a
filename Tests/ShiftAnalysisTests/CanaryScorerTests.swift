import ShiftCore
import XCTest
@testable import ShiftAnalysis

final class CanaryScorerTests: XCTestCase {
    func metric(_ name: String, critical: Bool = false, mustHaveData: Bool = false, weight: Double = 1, group: String? = nil) -> CanaryMetric {
        CanaryMetric(name: name, metric: "Duration", critical: critical, mustHaveData: mustHaveData, weight: weight, group: group)
    }

    func result(_ name: String, _ classification: CanaryMetricResult.Classification, critical: Bool = false) -> CanaryMetricResult {
        CanaryMetricResult(name: name, classification: classification, critical: critical, baselineCount: 10, canaryCount: 10, reason: "because")
    }

    func analysis(_ metrics: [CanaryMetric], pass: Double = 95, marginal: Double = 75) -> CanaryAnalysis {
        CanaryAnalysis(metrics: metrics, pass: pass, marginal: marginal)
    }

    func testAllPassing_scores100_andPasses() {
        let verdict = CanaryScorer.verdict([result("a", .pass), result("b", .pass)], of: analysis([metric("a"), metric("b")]))
        XCTAssertEqual(verdict.score, 100)
        XCTAssertEqual(verdict.decision, .pass)
        XCTAssertEqual(verdict.summary, "score 100 (Pass; pass 95, marginal 75); 2 of 2 metrics pass")
    }

    func testScore_isTheWeightedShareOfPassingMetrics() {
        let metrics = [metric("a", weight: 3), metric("b", weight: 1)]
        XCTAssertEqual(CanaryScorer.verdict([result("a", .pass), result("b", .high)], of: analysis(metrics)).score, 75)
        XCTAssertEqual(CanaryScorer.verdict([result("a", .low), result("b", .pass)], of: analysis(metrics)).score, 25)
    }

    func testGroup_sharesItsSummedWeightAmongItsMetrics() {
        // Group "latency" weighs 2 (1 + 1) and half of it passes; "errors" weighs 2 and passes: (2 * 50 + 2 * 100) / 4.
        let metrics = [metric("p50", group: "latency"), metric("p99", group: "latency"), metric("errors", weight: 2)]
        let verdict = CanaryScorer.verdict([result("p50", .pass), result("p99", .high), result("errors", .pass)], of: analysis(metrics))
        XCTAssertEqual(verdict.score, 75)
        XCTAssertEqual(verdict.decision, .marginal)
    }

    func testNoData_isLeftOut_unlessTheMetricMustHaveData() {
        let metrics = [metric("a"), metric("b"), metric("c")]
        XCTAssertEqual(CanaryScorer.verdict([result("a", .pass), result("b", .pass), result("c", .noData)], of: analysis(metrics)).score, 100)
        let must = [metric("a"), metric("b"), metric("c", mustHaveData: true)]
        let verdict = CanaryScorer.verdict([result("a", .pass), result("b", .pass), result("c", .noData)], of: analysis(must))
        XCTAssertEqual(verdict.score, 66.67)
        XCTAssertEqual(verdict.decision, .fail)
        XCTAssertEqual(verdict.summary, "score 66.67 (Fail; pass 95, marginal 75); c NoData: because")
    }

    func testNoDataOnHalfTheMetrics_scores0() {
        let metrics = [metric("a"), metric("b")]
        let verdict = CanaryScorer.verdict([result("a", .pass), result("b", .noData)], of: analysis(metrics))
        XCTAssertEqual(verdict.score, 0)
        XCTAssertEqual(verdict.decision, .fail)
        XCTAssertEqual(verdict.summary, "score 0 (Fail; pass 95, marginal 75); 1 of 2 metrics have no data")
    }

    func testCriticalMetricFailing_scores0_andIsNamed() {
        let metrics = [metric("a"), metric("b"), metric("c"), metric("errors", critical: true, weight: 0.1)]
        let verdict = CanaryScorer.verdict([result("a", .pass), result("b", .pass), result("c", .pass), result("errors", .high, critical: true)], of: analysis(metrics))
        XCTAssertEqual(verdict.score, 0)
        XCTAssertEqual(verdict.summary, "score 0 (Fail; pass 95, marginal 75); critical metric errors did not pass; errors High: because")
    }

    func testCriticalMetricWithoutData_scores0() {
        let metrics = [metric("a"), metric("b"), metric("c"), metric("errors", critical: true)]
        XCTAssertEqual(CanaryScorer.verdict([result("a", .pass), result("b", .pass), result("c", .pass), result("errors", .noData, critical: true)], of: analysis(metrics)).score, 0)
    }

    func testDecision_atTheThresholds() {
        let metrics = (1...4).map { metric("m\($0)") }
        func decision(passing: Int, pass: Double, marginal: Double) -> CanaryVerdict.Decision {
            let results = (1...4).map { result("m\($0)", $0 <= passing ? .pass : .high) }
            return CanaryScorer.verdict(results, of: analysis(metrics, pass: pass, marginal: marginal)).decision
        }
        XCTAssertEqual(decision(passing: 3, pass: 75, marginal: 50), .pass)       // 75 >= pass
        XCTAssertEqual(decision(passing: 3, pass: 76, marginal: 75), .marginal)   // 75 >= marginal
        XCTAssertEqual(decision(passing: 3, pass: 90, marginal: 76), .fail)       // 75 < marginal
    }

    func testMarginalSummary_namesTheHeaviestFailingMetric() {
        let metrics = [metric("a", weight: 1), metric("b", weight: 5), metric("c", weight: 14)]
        let verdict = CanaryScorer.verdict([result("a", .high), result("b", .low), result("c", .pass)], of: analysis(metrics, pass: 95, marginal: 60))
        XCTAssertEqual(verdict.score, 70)
        XCTAssertEqual(verdict.summary, "score 70 (Marginal; pass 95, marginal 60); b Low: because")
    }
}

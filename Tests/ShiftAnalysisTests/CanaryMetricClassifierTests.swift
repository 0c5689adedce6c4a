import ShiftCore
import XCTest
@testable import ShiftAnalysis

final class CanaryMetricClassifierTests: XCTestCase {
    let classifier = CanaryMetricClassifier(confidence: 0.98)
    /// 100 latencies spread around 100 (no two equal).
    let baseline = (0..<100).map { (index: Int) -> Double in 90 + Double((index * 37) % 100) / 5 }

    func latency(_ direction: CanaryMetric.Direction = .increase, allowedIncrease: Double? = nil, allowedDecrease: Double? = nil) -> CanaryMetric {
        CanaryMetric(name: "latency", metric: "Duration", statistic: "p50", direction: direction, allowedIncrease: allowedIncrease, allowedDecrease: allowedDecrease)
    }

    func testThreeTimesSlower_isHigh_withMediansUPAndEffectInTheReason() {
        let result = classifier.classify(latency(), baseline: baseline, canary: baseline.map { $0 * 3 })
        XCTAssertEqual(result.classification, .high)
        XCTAssertEqual(result.u, 10_000)
        XCTAssertLessThan(result.p ?? 1, 1e-10)
        XCTAssertEqual(result.effectSize ?? 0, 3, accuracy: 1e-9)
        XCTAssertEqual(result.baselineCount, 100)
        XCTAssertTrue(result.reason.hasPrefix("higher: canary median 299.7 vs baseline median 99.9, U=10000, p="), result.reason)
        XCTAssertTrue(result.reason.contains("effect size 3x"), result.reason)
    }

    func testEqualSamples_pass() {
        let result = classifier.classify(latency(), baseline: baseline, canary: baseline.reversed())
        XCTAssertEqual(result.classification, .pass)
        XCTAssertEqual(result.effectSize ?? 0, 1, accuracy: 1e-12)
    }

    func testSameDistributionDifferentDraws_pass() {
        let other = (0..<120).map { (index: Int) -> Double in 90.01 + Double((index * 53 + 7) % 100) / 5 }
        XCTAssertEqual(classifier.classify(latency(), baseline: baseline, canary: other).classification, .pass)
    }

    func testEmptySide_isNoData_namingTheSide() {
        let result = classifier.classify(latency(), baseline: baseline, canary: [])
        XCTAssertEqual(result.classification, .noData)
        XCTAssertEqual(result.reason, "no samples for the canary in the window")
        XCTAssertNil(result.u)
        XCTAssertEqual(classifier.classify(latency(), baseline: [], canary: []).reason, "no samples for the baseline or the canary in the window")
    }

    func testNonFiniteSamples_areLeftOut() {
        let result = classifier.classify(latency(), baseline: [.nan, .infinity], canary: baseline)
        XCTAssertEqual(result.classification, .noData)
        XCTAssertEqual(result.baselineCount, 0)
    }

    func testIncrease_whenTheBadDirectionIsDecrease_passes() {
        XCTAssertEqual(classifier.classify(latency(.decrease), baseline: baseline, canary: baseline.map { $0 * 3 }).classification, .pass)
    }

    func testDecrease_isLow_whenDecreaseOrEitherIsBad() {
        let lower = baseline.map { $0 / 2 }
        XCTAssertEqual(classifier.classify(latency(.decrease), baseline: baseline, canary: lower).classification, .low)
        XCTAssertEqual(classifier.classify(latency(.either), baseline: baseline, canary: lower).classification, .low)
        XCTAssertEqual(classifier.classify(latency(.increase), baseline: baseline, canary: lower).classification, .pass)
        XCTAssertEqual(classifier.classify(latency(.either), baseline: baseline, canary: baseline.map { $0 * 3 }).classification, .high)
    }

    func testIncreaseWithinAllowedIncrease_passes_andAboveItIsHigh() {
        // 20 % slower: significant, but allowed when the tolerated increase is 25 %.
        let slower = baseline.map { $0 * 1.2 }
        XCTAssertEqual(classifier.classify(latency(), baseline: baseline, canary: slower).classification, .high)
        let allowed = classifier.classify(latency(allowedIncrease: 0.25), baseline: baseline, canary: slower)
        XCTAssertEqual(allowed.classification, .pass)
        XCTAssertTrue(allowed.reason.hasPrefix("higher, within what is allowed"), allowed.reason)
        let notAllowed = classifier.classify(latency(allowedIncrease: 0.1), baseline: baseline, canary: slower)
        XCTAssertEqual(notAllowed.classification, .high)
        XCTAssertTrue(notAllowed.reason.hasSuffix("above the allowed increase of 10 %"), notAllowed.reason)
    }

    func testDecreaseWithinAllowedDecrease_passes() {
        let faster = baseline.map { $0 * 0.8 }
        XCTAssertEqual(classifier.classify(latency(.either, allowedDecrease: 0.25), baseline: baseline, canary: faster).classification, .pass)
        XCTAssertEqual(classifier.classify(latency(.either, allowedDecrease: 0.1), baseline: baseline, canary: faster).classification, .low)
    }

    func testErrorRateRising_isHigh_thoughTheShiftIntervalCollapsesOnZero() {
        // 0/1 samples: the Hodges-Lehmann interval is [0, 0]; the test's p and the means decide.
        let errors = CanaryMetric(name: "errors", metric: "Errors")
        let before = Array(repeating: 0.0, count: 198) + [1, 1]
        let after = Array(repeating: 0.0, count: 170) + Array(repeating: 1.0, count: 30)
        let result = classifier.classify(errors, baseline: before, canary: after)
        XCTAssertEqual(result.shiftLower, 0)
        XCTAssertEqual(result.shiftUpper, 0)
        XCTAssertEqual(result.classification, .high)
        XCTAssertEqual(result.effectSize ?? 0, 15, accuracy: 1e-9)
    }

    func testErrorsFromZero_areHigh_withAnUnboundedEffect() {
        let errors = CanaryMetric(name: "errors", metric: "Errors")
        let result = classifier.classify(errors, baseline: Array(repeating: 0, count: 200), canary: Array(repeating: 0, count: 150) + Array(repeating: 1, count: 50))
        XCTAssertEqual(result.classification, .high)
        XCTAssertNil(result.effectSize)
        XCTAssertTrue(result.reason.contains("effect size unbounded (baseline mean 0)"), result.reason)
    }

    func testOneStrayError_isNotSignificant_andPasses() {
        let errors = CanaryMetric(name: "errors", metric: "Errors")
        let result = classifier.classify(errors, baseline: Array(repeating: 0, count: 200), canary: Array(repeating: 0, count: 199) + [1])
        XCTAssertEqual(result.classification, .pass)
    }

    func testAllOneValue_passes() {
        let result = classifier.classify(latency(), baseline: [0, 0, 0], canary: [0, 0])
        XCTAssertEqual(result.classification, .pass)
        XCTAssertEqual(result.p, 1)
    }
}

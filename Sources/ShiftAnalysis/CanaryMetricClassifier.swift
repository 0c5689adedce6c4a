import ShiftCore

/// Classifies one metric of the canary (the target version) against the baseline (the original version), as
/// Kayenta's NetflixACAJudge does (its MannWhitneyClassifier), with one addition for samples that are mostly tied.
///
/// In order:
/// 1. A side without samples: `NoData` (the scorer decides what that costs; never a silent pass).
/// 2. The same samples on both sides, or a single value throughout: `Pass`.
/// 3. The Mann-Whitney test (U, p) and the Hodges-Lehmann shift with its interval at `confidence`. The canary
///    moved up when the interval lies above the tolerance band, `tolerance` x |shift| either side of 0
///    (Kayenta: 0.25); or, for samples so tied that the interval collapses onto 0 (an error rate's 0/1
///    samples), when p < 1 - confidence and the canary's mean is the higher. Down likewise.
/// 4. The effect size is the ratio of the means (canary / baseline). `High` when the direction that is bad
///    allows it, the canary moved up and the effect exceeds 1 + allowedIncrease (0 by default); `Low` when it
///    moved down and the effect is below 1 - allowedDecrease. Otherwise `Pass`.
public struct CanaryMetricClassifier: Sendable {
    /// The tolerance band around 0, as a fraction of the estimated shift (Kayenta's 0.25).
    public var tolerance: Double
    /// Of the test and the interval (the analysis's, 0.98 by default).
    public var confidence: Double

    public init(confidence: Double, tolerance: Double = 0.25) {
        self.confidence = confidence
        self.tolerance = tolerance
    }

    /// The result for `metric` given the baseline's and the canary's samples (non-finite values left out).
    public func classify(_ metric: CanaryMetric, baseline: [Double], canary: [Double]) -> CanaryMetricResult {
        let baseline = baseline.filter(\.isFinite), canary = canary.filter(\.isFinite)
        var result = CanaryMetricResult(name: metric.name, classification: .noData, critical: metric.critical,
                                        baselineCount: baseline.count, canaryCount: canary.count,
                                        baselineMedian: Self.median(baseline), canaryMedian: Self.median(canary), reason: "")
        guard let test = MannWhitneyTest(canary, baseline),
              let estimate = HodgesLehmannEstimate(canary, baseline, confidence: confidence, exact: test.method == .exact) else {
            let missing = [baseline.isEmpty ? "the baseline" : nil, canary.isEmpty ? "the canary" : nil].compactMap { $0 }
            result.reason = "no samples for \(missing.joined(separator: " or ")) in the window"
            return result
        }
        let baselineMean = Self.mean(baseline), canaryMean = Self.mean(canary)
        // nil when the baseline's mean is 0 and the canary's is not: infinite, and JSON has no infinity.
        let effect: Double? = baselineMean != 0 ? canaryMean / baselineMean : (canaryMean == 0 ? 1 : nil)
        result.u = test.u
        result.p = test.p
        result.shift = estimate.shift
        result.shiftLower = estimate.lower
        result.shiftUpper = estimate.upper
        result.effectSize = effect

        if baseline.sorted() == canary.sorted() || Set(baseline + canary).count == 1 {
            result.classification = .pass
            result.reason = "the canary's samples are the baseline's"
            return result
        }
        let band = tolerance * abs(estimate.shift)
        let significant = test.p < 1 - confidence
        let movedUp = estimate.lower > band || (significant && canaryMean > baselineMean)
        let movedDown = estimate.upper < -band || (significant && canaryMean < baselineMean)
        let ratio = effect ?? (canaryMean > 0 ? .infinity : -.infinity)
        let allowedIncrease = metric.allowedIncrease ?? 0, allowedDecrease = metric.allowedDecrease ?? 0
        let facts = Self.describe(result, confidence: confidence)
        if metric.direction != .decrease, movedUp, ratio > 1 + allowedIncrease {
            result.classification = .high
            result.reason = "higher: \(facts)" + (metric.allowedIncrease.map { ", above the allowed increase of \(Self.percent($0))" } ?? "")
        } else if metric.direction != .increase, movedDown, ratio < 1 - allowedDecrease {
            result.classification = .low
            result.reason = "lower: \(facts)" + (metric.allowedDecrease.map { ", below the allowed decrease of \(Self.percent($0))" } ?? "")
        } else {
            result.classification = .pass
            let moved = movedUp ? "higher, within what is allowed" : movedDown ? "lower, within what is allowed" : "no significant change"
            result.reason = "\(moved): \(facts)"
        }
        return result
    }

    /// "canary median 300 vs baseline median 100, U=..., p=..., shift ... [..., ...], effect size 3x".
    static func describe(_ result: CanaryMetricResult, confidence: Double) -> String {
        var parts = ["canary median \(number(result.canaryMedian)) vs baseline median \(number(result.baselineMedian))"]
        parts.append("U=\(number(result.u)), p=\(number(result.p))")
        parts.append("shift \(number(result.shift)) (\(percent(confidence)) interval \(number(result.shiftLower)) to \(number(result.shiftUpper)))")
        parts.append("effect size " + (result.effectSize.map { "\(number($0))x" } ?? "unbounded (baseline mean 0)"))
        return parts.joined(separator: ", ")
    }

    static func number(_ value: Double?) -> String {
        guard let value else { return "-" }
        if value != 0, abs(value) < 0.001 { return String(format: "%.3g", value) }
        return ((value * 1000).rounded() / 1000).compact
    }

    static func percent(_ ratio: Double) -> String { "\(((ratio * 100 * 100).rounded() / 100).compact) %" }

    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(values.count) }
}

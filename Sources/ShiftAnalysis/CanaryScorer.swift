import ShiftCore

/// Scores an analysis's metric results and decides, as Kayenta's WeightedSumScorer and threshold classifier do.
///
/// - Metrics are scored by group (`group`, else the metric's own name). A group's score is the share of its
///   counted metrics that pass; its weight is the sum of its metrics' weights. The score (0-100) is the
///   weighted mean of the groups' scores, over the groups with a counted metric.
/// - A metric without data is left out, unless it must have data: then it counts, as a failure.
/// - 0 when a critical metric does not pass (`NoData` included: a critical metric must be seen to pass), or
///   when half or more of the metrics have no data.
/// - The decision: `pass` when the score is at least `analysis.pass`, `fail` below `analysis.marginal`,
///   `marginal` between.
public enum CanaryScorer {
    /// The verdict on `results`, one per metric of `analysis`, in its order.
    public static func verdict(_ results: [CanaryMetricResult], of analysis: CanaryAnalysis) -> CanaryVerdict {
        let metrics = Dictionary(analysis.metrics.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let noData = results.filter { $0.classification == .noData }
        let criticalFailure = results.first { $0.critical && $0.classification != .pass }

        var score: Double
        var zeroBecause: String?
        if let criticalFailure {
            score = 0
            zeroBecause = "critical metric \(criticalFailure.name) did not pass"
        } else if !results.isEmpty, noData.count * 2 >= results.count {
            score = 0
            zeroBecause = "\(noData.count) of \(results.count) metrics have no data"
        } else {
            score = weightedScore(results, metrics: metrics)
        }
        score = (score * 100).rounded() / 100
        let decision: CanaryVerdict.Decision = score >= analysis.pass ? .pass : score < analysis.marginal ? .fail : .marginal
        return CanaryVerdict(score: score, decision: decision, results: results,
                             summary: summary(score: score, decision: decision, results: results, metrics: metrics, analysis: analysis, zeroBecause: zeroBecause))
    }

    static func weightedScore(_ results: [CanaryMetricResult], metrics: [String: CanaryMetric]) -> Double {
        var groups: [String: (weight: Double, counted: Int, passed: Int)] = [:]
        for result in results {
            let metric = metrics[result.name]
            let counts = result.classification != .noData || (metric?.mustHaveData ?? false)
            guard counts else { continue }
            let name = metric?.group ?? result.name
            var group = groups[name] ?? (0, 0, 0)
            group.weight += metric?.weight ?? 1
            group.counted += 1
            group.passed += result.classification == .pass ? 1 : 0
            groups[name] = group
        }
        let totalWeight = groups.values.reduce(0) { $0 + $1.weight }
        guard totalWeight > 0 else { return 0 }
        return groups.values.reduce(0) { $0 + $1.weight * Double($1.passed) / Double($1.counted) } / totalWeight * 100
    }

    /// The score and decision and, when not passing, the metric that weighed most against it (a critical one
    /// first, then the heaviest) with its reason.
    static func summary(score: Double, decision: CanaryVerdict.Decision, results: [CanaryMetricResult], metrics: [String: CanaryMetric],
                        analysis: CanaryAnalysis, zeroBecause: String?) -> String {
        let head = "score \(score.compact) (\(decision.rawValue); pass \(analysis.pass.compact), marginal \(analysis.marginal.compact))"
        let failing = results.filter { result in
            result.classification == .high || result.classification == .low
                || (result.classification == .noData && (result.critical || (metrics[result.name]?.mustHaveData ?? false)))
        }
        let worst = failing.first(where: \.critical) ?? failing.max { (metrics[$0.name]?.weight ?? 1) < (metrics[$1.name]?.weight ?? 1) }
        var parts = [head]
        if let zeroBecause { parts.append(zeroBecause) }
        if decision != .pass, let worst {
            parts.append("\(worst.name) \(worst.classification.rawValue): \(worst.reason)")
        } else if decision != .pass, zeroBecause == nil, let noData = results.first(where: { $0.classification == .noData }) {
            parts.append("\(noData.name) NoData: \(noData.reason)")
        } else if zeroBecause == nil {
            let passed = results.filter { $0.classification == .pass }.count
            parts.append("\(passed) of \(results.count) metrics pass")
        }
        return parts.joined(separator: "; ")
    }
}

import Foundation

/// Where a canary judge reads samples: a platform's record of one version's metric over a window.
///
/// Local: one sample per recorded invocation (the metrics log). AWS: one sample per CloudWatch period
/// (`GetMetricData` with the `ExecutedVersion` dimension).
public protocol CanarySampleSource: Sendable {
    /// The samples of `metric` for `version` of `function` invoked through `alias` within `window`; empty when
    /// there are none.
    /// - Throws: when the samples cannot be read, or the metric is not one this platform records (bad input).
    func canarySamples(of metric: CanaryMetric, function: String, alias: String, version: Int, window: DateInterval) async throws -> [Double]
}

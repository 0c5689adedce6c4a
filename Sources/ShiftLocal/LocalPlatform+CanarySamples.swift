import Foundation
import ShiftCore

/// `CanarySampleSource` on the local platform: every invocation recorded in the function's metrics log is a
/// sample. `Errors` and `Throttles` are 0 or 1 per request (their mean is the rate), `Duration` is each
/// invocation's milliseconds (a statistic such as p99 describes the comparison, not the samples).
extension LocalPlatform: CanarySampleSource {
    /// The metrics a local analysis can compare.
    public static let canaryMetrics: [MetricName] = [.errors, .duration, .throttles]

    /// - Throws: `ShiftCoreError.invalidValue` for a metric the local platform does not record; what reading
    ///   the metrics log throws.
    public func canarySamples(of metric: CanaryMetric, function: String, alias: String, version: Int, window: DateInterval) async throws -> [Double] {
        guard let name = MetricName(rawValue: metric.metric), Self.canaryMetrics.contains(name) else {
            throw ShiftCoreError.invalidValue(field: "metric of \(metric.name)", value: metric.metric,
                                              expected: Self.canaryMetrics.map(\.rawValue).joined(separator: ", ") + " on a local account")
        }
        _ = try functions.function(function)
        let records = try metricsLog(of: function).records(since: window.start).lazy.filter { $0.timestamp <= window.end }
        return records.samples(of: name, alias: alias, version: String(version)).map(\.value)
    }
}

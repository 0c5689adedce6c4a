import Foundation
import ShiftCore

/// `CanarySampleSource` on AWS: CloudWatch `GetMetricData`, one sample per period, for the dimensions Lambda
/// publishes for an alias's invocations by the version that ran them: FunctionName, Resource (`function:alias`)
/// and ExecutedVersion.
extension AWSPlatform: CanarySampleSource {
    /// The period of each sample: Lambda publishes its metrics every minute.
    public static let canaryPeriod = 60
    /// The statistic when the metric names none. For Lambda's Errors and Throttles the Average of a period is
    /// the rate per request (each request records 0 or 1).
    public static let canaryDefaultStatistic = "Average"

    /// - Throws: the CloudWatch client's errors.
    public func canarySamples(of metric: CanaryMetric, function: String, alias: String, version: Int, window: DateInterval) async throws -> [Double] {
        let dimensions = [("FunctionName", function), ("Resource", "\(function):\(alias)"), ("ExecutedVersion", String(version))]
        let series = try await cloudWatch.metricData(
            namespace: metric.namespace ?? "AWS/Lambda", metric: metric.metric, dimensions: dimensions.map { (name: $0.0, value: $0.1) },
            statistic: metric.statistic ?? Self.canaryDefaultStatistic, period: Self.canaryPeriod, start: window.start, end: window.end)
        return series.values
    }
}

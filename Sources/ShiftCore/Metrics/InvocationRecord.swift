import Foundation

/// What one invocation contributes to the metrics: one datapoint of each `MetricName`,
/// with the dimensions function (implied by where it is stored), alias and executed version.
public struct InvocationRecord: Equatable, Sendable {
    public var timestamp: Date
    /// The alias the caller named, or nil when a version or `$LATEST` was invoked directly.
    public var alias: String?
    /// The version that ran: a number or `$LATEST`.
    public var executedVersion: String
    /// Milliseconds.
    public var durationMilliseconds: Double
    public var isError: Bool
    public var isThrottle: Bool

    public init(timestamp: Date, alias: String?, executedVersion: String, durationMilliseconds: Double, isError: Bool, isThrottle: Bool = false) {
        self.timestamp = timestamp
        self.alias = alias
        self.executedVersion = executedVersion
        self.durationMilliseconds = durationMilliseconds
        self.isError = isError
        self.isThrottle = isThrottle
    }

    /// This invocation's datapoint of `metric`: Lambda emits Invocations 1, Errors 0 or 1, Duration in ms.
    public func value(of metric: MetricName) -> Double {
        switch metric {
        // CloudWatch counts a throttled request only as a throttle: not an invocation, an error or a duration.
        case .invocations: return isThrottle ? 0 : 1
        case .errors: return isError ? 1 : 0
        case .duration: return durationMilliseconds
        case .throttles: return isThrottle ? 1 : 0
        }
    }

    /// Whether the record matches the dimensions: an alias, a version, or (both nil) any invocation.
    public func matches(alias: String?, version: String?) -> Bool {
        if let alias, self.alias != alias { return false }
        if let version, executedVersion != version { return false }
        return true
    }
}

extension Sequence where Element == InvocationRecord {
    /// The datapoints of `metric` for the records matching the dimensions, sorted by time.
    public func samples(of metric: MetricName, alias: String?, version: String?) -> [MetricSample] {
        filter { $0.matches(alias: alias, version: version) && (metric == .throttles || !$0.isThrottle) }
            .map { MetricSample(timestamp: $0.timestamp, value: $0.value(of: metric)) }
            .sorted { $0.timestamp < $1.timestamp }
    }
}

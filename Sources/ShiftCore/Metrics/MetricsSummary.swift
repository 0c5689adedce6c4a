import Foundation

/// The recorded metrics of one version over one period, as `shift metrics` shows them.
public struct MetricsSummary: Codable, Equatable, Sendable {
    public var periodStart: Date
    public var version: String
    public var invocations: Int
    public var errors: Int
    public var throttles: Int
    /// Milliseconds; nil when there were no invocations.
    public var durationAverage: Double?
    public var durationMaximum: Double?

    /// Groups `records` into periods aligned to multiples of `period` since the epoch, and by executed version.
    /// Records before `since` are left out. Oldest period first; versions in order within a period.
    public static func summarize(_ records: some Sequence<InvocationRecord>, period: TimeInterval, since: Date) -> [MetricsSummary] {
        var groups: [Key: MetricsSummary] = [:]
        for record in records where record.timestamp >= since {
            let index = Int64((record.timestamp.timeIntervalSince1970 / period).rounded(.down))
            let key = Key(period: index, version: record.executedVersion)
            var summary = groups[key] ?? MetricsSummary(
                periodStart: Date(timeIntervalSince1970: Double(index) * period), version: record.executedVersion,
                invocations: 0, errors: 0, throttles: 0, durationAverage: nil, durationMaximum: nil)
            if record.isThrottle {
                // Not an invocation: it never ran (CloudWatch's Throttles).
                summary.throttles += 1
                groups[key] = summary
                continue
            }
            let previous = Double(summary.invocations)
            summary.invocations += 1
            summary.errors += record.isError ? 1 : 0
            summary.durationAverage = ((summary.durationAverage ?? 0) * previous + record.durationMilliseconds) / Double(summary.invocations)
            summary.durationMaximum = max(summary.durationMaximum ?? 0, record.durationMilliseconds)
            groups[key] = summary
        }
        return groups.sorted { ($0.key.period, versionOrder($0.key.version)) < ($1.key.period, versionOrder($1.key.version)) }.map(\.value)
    }

    private struct Key: Hashable {
        var period: Int64
        var version: String
    }

    /// Numbers in numeric order, `$LATEST` last.
    private static func versionOrder(_ version: String) -> Int { Int(version) ?? Int.max }
}

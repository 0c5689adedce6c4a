import Foundation
import ShiftCore

/// One version's recorded metrics over a deployment's window, period by period: what the chart's invocation,
/// error-rate and latency panels draw.
public struct VersionSeries: Equatable, Sendable {
    /// Which side of the deployment the version is on; it decides the line's colour and mark.
    public enum Role: String, Sendable {
        case original, target, other
    }

    public struct Point: Equatable, Sendable {
        /// The middle of the period.
        public var time: Date
        public var invocations: Int
        public var errors: Int
        public var throttles: Int
        /// Percent of invocations that failed; nil without invocations.
        public var errorRate: Double?
        /// Milliseconds.
        public var durationAverage: Double?
        public var durationMaximum: Double?
    }

    public var version: String
    public var role: Role
    public var points: [Point]

    /// The versions of `summaries` whose periods overlap `window`, original first, then target, then the others.
    public static func series(of summaries: [MetricsSummary], period: TimeInterval, window: DateInterval, original: Int, target: Int) -> [VersionSeries] {
        var byVersion: [String: [Point]] = [:]
        for summary in summaries {
            let periodEnd = summary.periodStart.addingTimeInterval(period)
            guard periodEnd > window.start, summary.periodStart <= window.end else { continue }
            let rate = summary.invocations > 0 ? Double(summary.errors) / Double(summary.invocations) * 100 : nil
            byVersion[summary.version, default: []].append(Point(
                time: summary.periodStart.addingTimeInterval(period / 2), invocations: summary.invocations, errors: summary.errors,
                throttles: summary.throttles, errorRate: rate, durationAverage: summary.durationAverage, durationMaximum: summary.durationMaximum))
        }
        func role(_ version: String) -> Role {
            version == String(original) ? .original : version == String(target) ? .target : .other
        }
        let order: [Role: Int] = [.original: 0, .target: 1, .other: 2]
        return byVersion
            .map { VersionSeries(version: $0.key, role: role($0.key), points: $0.value.sorted { $0.time < $1.time }) }
            .sorted { (order[$0.role]!, Int($0.version) ?? .max, $0.version) < (order[$1.role]!, Int($1.version) ?? .max, $1.version) }
    }
}

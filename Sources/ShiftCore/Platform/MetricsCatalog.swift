import Foundation

/// Where the command line reads a function's recorded metrics.
public protocol MetricsCatalog: Sendable {
    /// Invocations, errors, durations and throttles of `function` since `start`, per period and executed version;
    /// only those through `alias`, or that ran `version`, when given.
    /// - Throws: a `.badInput` error when the function does not exist or the platform keeps no metrics of its own.
    func metrics(of function: String, alias: String?, version: String?, since start: Date, period: TimeInterval) async throws -> [MetricsSummary]
}

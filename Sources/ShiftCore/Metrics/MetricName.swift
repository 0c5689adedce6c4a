/// The metrics recorded for every invocation, named as Lambda names them in CloudWatch.
public enum MetricName: String, Codable, CaseIterable, Sendable {
    case invocations = "Invocations"
    case errors = "Errors"
    /// Milliseconds.
    case duration = "Duration"
    case throttles = "Throttles"
}

import Foundation

/// An invocation refused because the function's reserved concurrency was all in use: Lambda's
/// `TooManyRequestsException` (HTTP 429, "Rate Exceeded."). The handler never ran; the platform recorded a throttle.
public struct InvocationThrottled: CategorizedError, LocalizedError, Equatable {
    public var function: String
    /// The version that would have run.
    public var version: String
    public var reservedConcurrency: Int

    public init(function: String, version: String, reservedConcurrency: Int) {
        self.function = function
        self.version = version
        self.reservedConcurrency = reservedConcurrency
    }

    public var category: ErrorCategory { .failed }

    public var errorDescription: String? {
        "TooManyRequestsException: Rate Exceeded: \(function):\(version) has reserved concurrency \(reservedConcurrency), all in use; "
            + "retry later, or raise it with 'shift function update \(function) --reserved-concurrency N' and publish"
    }
}

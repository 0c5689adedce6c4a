import Foundation

/// When and how long to wait before sending a failed AWS request again.
///
/// Exponential backoff with full jitter, as the AWS SDKs' standard retry mode does: before retry `n` (1-based)
/// wait a uniformly random time in `[0, min(maxDelay, baseDelay * 2^(n-1)))`. Throttling (HTTP 429 and the
/// services' throttling codes), 5xx and transport failures are retried; any other 4xx is the caller's mistake and
/// is not. Attempts are bounded by count and by total elapsed time, so a dead endpoint fails in bounded time.
public struct RetryPolicy: Sendable, Equatable {
    /// The most attempts in all, the first included.
    public var maxAttempts: Int
    /// The backoff ceiling before the first retry, doubling with each retry after it.
    public var baseDelay: TimeInterval
    /// The largest backoff ceiling.
    public var maxDelay: TimeInterval
    /// No retry starts once this much time has passed since the first attempt.
    public var maxElapsed: TimeInterval

    /// A policy with the given bounds.
    public init(maxAttempts: Int = 5, baseDelay: TimeInterval = 0.2, maxDelay: TimeInterval = 5, maxElapsed: TimeInterval = 30) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = max(0, baseDelay)
        self.maxDelay = max(0, maxDelay)
        self.maxElapsed = max(0, maxElapsed)
    }

    /// The SDKs' standard mode: 5 attempts, at most 30 s in all.
    public static let standard = RetryPolicy()

    /// Error codes that mean "slow down", whatever their HTTP status.
    public static let throttlingCodes: Set<String> = [
        "Throttling", "ThrottlingException", "ThrottledException", "TooManyRequestsException",
        "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException", "SlowDown",
        "ProvisionedThroughputExceededException", "BandwidthLimitExceeded", "PriorRequestNotComplete",
    ]

    /// Whether a response with this status and error code is worth sending again.
    public static func isRetryable(status: Int, code: String?) -> Bool {
        if status == 429 || (500...599).contains(status) { return true }
        return code.map(throttlingCodes.contains) ?? false
    }

    /// The wait before retry number `retry` (1 for the first retry), given `unit`, a random number in [0, 1).
    public func delay(beforeRetry retry: Int, unit: Double) -> TimeInterval {
        let exponent = Double(max(0, retry - 1))
        let ceiling = min(maxDelay, baseDelay * pow(2, exponent))
        return ceiling * min(max(unit, 0), 1)
    }
}

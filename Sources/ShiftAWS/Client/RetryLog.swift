import Foundation
import ShiftCore

/// One retry: which call, which attempt follows, why, and how long shift waited first.
public struct RetryRecord: Sendable, Equatable {
    public var service: String
    public var operation: String
    /// The attempt about to be made (2 for the first retry).
    public var attempt: Int
    /// The error code, `HTTP503`, or the transport's failure.
    public var reason: String
    /// The backoff waited before the attempt, in seconds.
    public var delay: TimeInterval

    public init(service: String, operation: String, attempt: Int, reason: String, delay: TimeInterval) {
        self.service = service
        self.operation = operation
        self.attempt = attempt
        self.reason = reason
        self.delay = delay
    }

    /// "Lambda UpdateAlias: attempt 2 after ThrottlingException (waited 0.13 s)".
    public var summary: String {
        "\(service) \(operation): attempt \(attempt) after \(reason) (waited \(String(format: "%.2f", delay)) s)"
    }
}

/// Collects the retries of every client that shares it, so the deployment's event log can say how many calls
/// were retried and why. Safe to share between tasks.
///
/// A retry made for a running deployment goes to that deployment's notes (``PlatformNotices/current``), so that
/// in a deploy stage each deployment's journal shows its own calls' retries; the others stay here.
public final class RetryLog: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [RetryRecord] = []
    private var total = 0

    public init() {}

    /// Adds a retry, to the calling deployment's notes when there is one.
    public func append(_ record: RetryRecord) {
        let deployment = PlatformNotices.current
        lock.withLock {
            if deployment == nil { pending.append(record) }
            total += 1
        }
        deployment?.append(record.summary)
    }

    /// The retries since the last call, oldest first; the log forgets them.
    public func drain() -> [RetryRecord] {
        lock.withLock {
            defer { pending.removeAll() }
            return pending
        }
    }

    /// How many retries there have been in all.
    public var count: Int { lock.withLock { total } }
}

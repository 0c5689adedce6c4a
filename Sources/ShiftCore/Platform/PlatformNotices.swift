import Foundation

/// The notes a platform makes about its own calls (a request retried after throttling), kept for the deployment
/// whose task made the call.
///
/// One platform serves every deployment of a deploy stage at once: a note kept on the platform would go to
/// whichever deployment drains it first. The engine binds one of these to `current` for the tasks of a deployment;
/// a platform notes into `current` when it is bound (the calling deployment's log), and into its own log otherwise
/// (``FunctionPlatform/drainNotices()``).
public final class PlatformNotices: @unchecked Sendable {
    /// The notes of the deployment running in this task, if any.
    @TaskLocal public static var current: PlatformNotices?

    // Guarded by `lock`.
    private let lock = NSLock()
    private var pending: [String] = []

    public init() {}

    /// Adds a note.
    public func append(_ notice: String) {
        lock.withLock { pending.append(notice) }
    }

    /// The notes since the last call, oldest first; they are forgotten.
    public func drain() -> [String] {
        lock.withLock {
            defer { pending.removeAll() }
            return pending
        }
    }
}

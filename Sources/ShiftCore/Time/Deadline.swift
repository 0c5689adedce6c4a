import Foundation

/// Runs `operation` against a deadline measured on `clock`.
///
/// Returns nil when `seconds` pass first. Unlike a task group, it does not wait for an operation that ignores
/// cancellation (a handler process on its own thread): that one is left to finish on its own.
/// - Throws: what `operation` throws, or `CancellationError` when the caller is cancelled first.
public func withDeadline<T: Sendable>(clock: any Clock, seconds: TimeInterval, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
    let gate = FirstResult<T?>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T?, Error>) in
            gate.install(continuation)
            // Cancelled before we got here: the caller has its answer; do not start what it no longer waits for.
            guard !gate.isFinished else { return }
            let work = Task {
                do { gate.resume(.success(try await operation())) } catch { gate.resume(.failure(error)) }
            }
            let timer = Task {
                try? await clock.sleep(for: seconds)
                if !Task.isCancelled { gate.resume(.success(nil)) }
            }
            gate.onResume { work.cancel(); timer.cancel() }
        }
    } onCancel: {
        gate.resume(.failure(CancellationError()))
    }
}

/// Resumes a continuation once, with whichever result arrives first.
private final class FirstResult<T: Sendable>: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var pending: Result<T, Error>?
    private var finished = false
    private var cleanup: (@Sendable () -> Void)?

    func install(_ continuation: CheckedContinuation<T, Error>) {
        let early: Result<T, Error>? = lock.withLock {
            if let pending { finished = true; return pending }
            self.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    /// Whether a result has been delivered (or is about to be, by `install`).
    var isFinished: Bool { lock.withLock { finished } }

    func onResume(_ body: @escaping @Sendable () -> Void) {
        let runNow: Bool = lock.withLock {
            if finished { return true }
            cleanup = body
            return false
        }
        if runNow { body() }
    }

    func resume(_ result: Result<T, Error>) {
        let (target, cleanup): (CheckedContinuation<T, Error>?, (@Sendable () -> Void)?) = lock.withLock {
            guard !finished else { return (nil, nil) }
            guard let continuation else {
                if pending == nil { pending = result }
                return (nil, nil)
            }
            finished = true
            self.continuation = nil
            return (continuation, self.cleanup)
        }
        // Stop the loser first, so that nothing this call started still waits on the clock once the caller goes on.
        cleanup?()
        target?.resume(with: result)
    }
}

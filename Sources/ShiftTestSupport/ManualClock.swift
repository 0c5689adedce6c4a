import Foundation
import ShiftCore

/// A clock that moves only when a test moves it. Sleepers wait until the test advances past their deadline.
///
/// `runUntilIdle`-style driving: a test starts the code under test in a task, then calls
/// `advanceToNextDeadline()` whenever that code sleeps, so a 100-minute schedule runs in milliseconds.
public final class ManualClock: Clock, @unchecked Sendable {
    private struct Sleeper {
        var id: UInt64
        var deadline: Date
        var continuation: CheckedContinuation<Void, Error>
    }

    // Guarded by `lock`.
    private let lock = NSLock()
    private var current: Date
    private var sleepers: [Sleeper] = []
    private var nextID: UInt64 = 0

    public init(now: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = now
    }

    public var now: Date { lock.withLock { current } }

    /// How many tasks are sleeping on this clock.
    public var sleeperCount: Int { lock.withLock { sleepers.count } }

    /// The earliest deadline anyone sleeps until.
    public var nextDeadline: Date? { lock.withLock { sleepers.map(\.deadline).min() } }

    public func sleep(until deadline: Date) async throws {
        let id: UInt64 = lock.withLock { nextID += 1; return nextID }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                // Checked under the lock: a task cancelled before this point has already run `onCancel`, which
                // found nothing to remove, so registering it would leave a sleeper that nobody cancels.
                let outcome: Result<Void, Error>? = lock.withLock {
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if deadline <= current { return .success(()) }
                    sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let cancelled: Sleeper? = lock.withLock {
                guard let index = sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward by `seconds`, waking every sleeper whose deadline has come.
    public func advance(by seconds: TimeInterval) {
        advance(to: now.addingTimeInterval(seconds))
    }

    /// Moves time to `date` (never backwards), waking every sleeper whose deadline has come.
    public func advance(to date: Date) {
        let due: [Sleeper] = lock.withLock {
            current = max(current, date)
            let due = sleepers.filter { $0.deadline <= current }
            sleepers.removeAll { $0.deadline <= current }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves time to the earliest deadline anyone sleeps until; returns false when nobody sleeps.
    @discardableResult
    public func advanceToNextDeadline() -> Bool {
        guard let deadline = nextDeadline else { return false }
        advance(to: deadline)
        return true
    }

    /// Waits (in real time, yielding) until at least `count` tasks sleep on this clock.
    /// - Returns: false if that did not happen within `timeout` real seconds.
    @discardableResult
    public func waitForSleepers(_ count: Int = 1, timeout: TimeInterval = 10) async -> Bool {
        let limit = DispatchTime.now().uptimeNanoseconds + UInt64(timeout * 1e9)
        while sleeperCount < count {
            if DispatchTime.now().uptimeNanoseconds > limit { return false }
            await Task.yield()
            try? await Task.sleep(nanoseconds: 100_000)
        }
        return true
    }
}

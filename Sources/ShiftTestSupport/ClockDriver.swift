import Foundation
import ShiftCore

/// Runs an operation in a task and moves a `ManualClock` to its next deadline each time all the work is blocked
/// on the clock, so a 100-minute schedule runs in milliseconds and every clock reading is deterministic.
///
/// The clock is moved only at a quiescent point: someone sleeps on the clock, the operation has not finished, and
/// `isBusy` says no other work is under way. Code under test that runs several tasks at once (a hook and its
/// timeout timer) needs an `isBusy` that knows about them; see `ClockDriver.deployment(...)`. Time never moves while
/// the code under test is between two clock readings, so deadlines are exact, not approximately right.
///
/// A driver that waits `stallTimeout` real seconds without either a quiescent point or completion throws
/// `Failure.stalled` instead of hanging the test run.
public final class ClockDriver<Success: Sendable>: @unchecked Sendable {
    /// Why driving stopped without an answer.
    public enum Failure: Error, CustomStringConvertible {
        /// Nothing slept on the clock and the operation did not finish in time: a deadlock, or a missing `isBusy` rule.
        case stalled(String)
        /// `advance(until:)` saw the operation finish before its condition held.
        case finishedBeforeCondition
        /// More than `maximumAdvances` clock moves: the operation seems to loop forever.
        case tooManyAdvances(Int)

        public var description: String {
            switch self {
            case let .stalled(detail): return "stalled: \(detail)"
            case .finishedBeforeCondition: return "the operation finished before the condition held"
            case let .tooManyAdvances(count): return "gave up after \(count) clock advances"
            }
        }
    }

    /// The clock the driver moves.
    public let clock: ManualClock
    /// Real seconds to wait for the operation to sleep or finish before declaring a stall.
    public var stallTimeout: TimeInterval = 10
    /// Clock moves after which the driver gives up.
    public var maximumAdvances = 1_000_000

    private let isBusy: @Sendable () -> Bool
    private let task: Task<Success, Never>
    private let completion: Completion
    // Guarded by `lock`.
    private let lock = NSLock()
    private var advances = 0

    /// Starts `operation` in a detached task at once; nothing moves the clock until `advance(until:)` or `finish()`.
    /// - Parameter isBusy: true while work the clock cannot see is under way (checked only when someone sleeps).
    public init(clock: ManualClock, isBusy: @escaping @Sendable () -> Bool = { false }, operation: @escaping @Sendable () async -> Success) {
        let completion = Completion()
        self.clock = clock
        self.isBusy = isBusy
        self.completion = completion
        self.task = Task.detached {
            let value = await operation()
            completion.markFinished()
            return value
        }
    }

    /// Whether the operation has returned.
    public var isFinished: Bool { completion.isFinished }

    /// How many times the driver has moved the clock.
    public var advanceCount: Int { lock.withLock { advances } }

    /// Cancels the operation's task (as a signal handler would).
    public func cancel() { task.cancel() }

    /// Moves the clock deadline by deadline until `condition` holds at a quiescent point (it is checked first,
    /// before any move), leaving the operation asleep there.
    /// - Throws: `Failure` when the operation finishes first, stalls, or loops.
    public func advance(until condition: @Sendable () -> Bool) async throws {
        while true {
            let finished = try await waitForQuiescence()
            if condition() { return }
            if finished { throw Failure.finishedBeforeCondition }
            try moveClock()
        }
    }

    /// Moves the clock until the operation returns, and returns its result.
    /// - Throws: `Failure` when the operation stalls or loops.
    public func finish() async throws -> Success {
        while try await !waitForQuiescence() {
            try moveClock()
        }
        return await task.value
    }

    private func moveClock() throws {
        let count: Int = lock.withLock { advances += 1; return advances }
        guard count <= maximumAdvances else { throw Failure.tooManyAdvances(maximumAdvances) }
        clock.advanceToNextDeadline()
    }

    /// Waits in real time until the operation has finished (true) or is quiescent (false).
    private func waitForQuiescence() async throws -> Bool {
        let limit = DispatchTime.now().uptimeNanoseconds + UInt64(stallTimeout * 1e9)
        var spins = 0
        while true {
            if completion.isFinished { return true }
            if clock.sleeperCount > 0, !isBusy() { return false }
            if DispatchTime.now().uptimeNanoseconds > limit {
                throw Failure.stalled("after \(stallTimeout)s real time at clock \(clock.now): \(clock.sleeperCount) sleeper(s), busy \(isBusy())")
            }
            // Spin briefly (the operation usually sleeps again within microseconds), then back off.
            spins += 1
            if spins < 1_000 {
                await Task.yield()
            } else {
                try? await Task.sleep(nanoseconds: 50_000)
            }
        }
    }
}

/// Whether the driven operation has returned.
private final class Completion: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var finished = false

    var isFinished: Bool { lock.withLock { finished } }

    func markFinished() { lock.withLock { finished = true } }
}

import Foundation

/// Wall time, injected. The engine never reads the system clock or sleeps on its own.
///
/// Shadows `Swift.Clock` inside ShiftCore on purpose: the engine speaks in `Date`s because
/// deployments, alarms and metrics are recorded in wall time.
public protocol Clock: Sendable {
    /// The current time.
    var now: Date { get }
    /// Suspends until `deadline` has passed.
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    func sleep(until deadline: Date) async throws
}

extension Clock {
    /// Suspends for `seconds` from now.
    /// - Throws: `CancellationError` when the calling task is cancelled first.
    public func sleep(for seconds: TimeInterval) async throws {
        try await sleep(until: now.addingTimeInterval(seconds))
    }
}

/// The system's wall clock. The only place in ShiftCore that reads the real time.
public struct SystemClock: Clock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(until deadline: Date) async throws {
        let seconds = deadline.timeIntervalSince(Date())
        if seconds > 0 {
            // Callers bound their durations (`DurationBounds`); a record written before those bounds existed must
            // not trap converting to UInt64: past about 584 years, sleep the longest `Task.sleep` can.
            let nanoseconds = seconds * 1_000_000_000
            try await Task.sleep(nanoseconds: nanoseconds < 0x1p64 ? UInt64(nanoseconds) : .max)
        } else {
            try Task.checkCancellation()
        }
    }
}

import Foundation
import ShiftCore

extension ClockDriver {
    /// A driver for code that runs the deployment engine against these doubles, e.g. `engine.run(deployment)`.
    ///
    /// Besides the engine's own task, a hook runs in a task of its own beside a timeout timer (`withDeadline`).
    /// The clock may move only while both wait on it, so this driver is busy while a hook's outcome is pending
    /// and the hook is not asleep on the clock with its timer, and while any invocation is running.
    /// Hook scripts must therefore sleep with `InMemoryPlatform.Invocation.sleep(for:)`.
    public static func engine(clock: ManualClock, platform: InMemoryPlatform, journal: InMemoryJournal,
                              operation: @escaping @Sendable () async -> Success) -> ClockDriver {
        ClockDriver(clock: clock, isBusy: engineIsBusy(clock: clock, platform: platform, journal: journal), operation: operation)
    }

    /// The `isBusy` rule of `engine(clock:platform:journal:operation:)`.
    public static func engineIsBusy(clock: ManualClock, platform: InMemoryPlatform, journal: InMemoryJournal) -> @Sendable () -> Bool {
        {
            let invocations = platform.invocationActivity
            // A hook doing work, or one winding down after its timeout.
            if invocations.running > 0 { return true }
            // The hook has not been invoked yet, or it returned and the engine has yet to record its outcome.
            if journal.isAwaitingHookOutcome, invocations.sleeping == 0 { return true }
            // Whoever else there is (the engine, or the hook's timeout timer) must be asleep on the clock too.
            return clock.sleeperCount <= invocations.sleeping
        }
    }
}

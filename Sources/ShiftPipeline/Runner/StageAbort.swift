import Foundation
import ShiftCore

/// Shared by the functions of one deploy stage: the first failure is recorded here, and every sibling still
/// deploying is told why before its task is cancelled, so that its rollback says so.
final class StageAbort: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var firstReason: String?
    private var interruptions: [Interruption] = []

    /// Why the stage is aborting, if it is.
    var reason: String? { lock.withLock { firstReason } }

    /// A new interruption for one function, told at once if the stage is already aborting.
    func interruption() -> Interruption {
        let interruption = Interruption()
        lock.withLock {
            interruptions.append(interruption)
            if let firstReason { interruption.record(firstReason) }
        }
        return interruption
    }

    /// Records the first reason and tells every function's interruption; returns whether this call was the first.
    @discardableResult
    func abort(_ reason: String) -> Bool {
        let (first, targets): (Bool, [Interruption]) = lock.withLock {
            guard firstReason == nil else { return (false, []) }
            firstReason = reason
            return (true, interruptions)
        }
        for target in targets { target.record(reason) }
        return first
    }
}

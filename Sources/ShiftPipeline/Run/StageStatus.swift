/// Where one stage of a run is.
///
/// ```
/// Pending -> Running -> Succeeded
///                    -> Failed | Rejected | TimedOut      (the run stops here)
///                    -> Waiting (approval, runner gone) -> Running on resume
///                    -> Interrupted (signal)            -> Running on resume
/// ```
/// A stage whose record says Running while nobody holds the run's lock was interrupted by a crash or kill -9.
public enum StageStatus: String, Codable, CaseIterable, Sendable {
    case pending = "Pending"
    case running = "Running"
    case waiting = "Waiting"
    case interrupted = "Interrupted"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case rejected = "Rejected"
    case timedOut = "TimedOut"

    /// Whether the stage ended for good; a failed end stops the run.
    public var isFinal: Bool {
        switch self {
        case .succeeded, .failed, .rejected, .timedOut: return true
        case .pending, .running, .waiting, .interrupted: return false
        }
    }

    /// Whether the stage ended in a way that stops the run.
    public var isFailure: Bool { isFinal && self != .succeeded }
}

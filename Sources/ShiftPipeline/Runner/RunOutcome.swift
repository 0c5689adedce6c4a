import Foundation

/// How a runner left a run.
public enum RunOutcome: Equatable, Sendable {
    case succeeded
    /// A stage failed, was rejected or timed out.
    case failed(stage: String, reason: String)
    /// A deploy stage failed and could not restore a function's alias: a human must act.
    case rollbackFailed(stage: String, reason: String)
    /// Paused at an approval gate; resume once decided.
    case waiting(stage: String, deadline: Date)
    /// A signal stopped it; resume to continue.
    case interrupted(stage: String, signal: String)

    /// Returns on success; otherwise throws the error whose category gives the exit code (1, 3, 4 or 130).
    /// - Throws: `PipelineError.stageFailed`, `.rollbackFailed`, `.waitingForApproval` or `.interrupted`.
    public func throwUnlessSucceeded(run: String) throws {
        switch self {
        case .succeeded: return
        case let .failed(stage, reason): throw PipelineError.stageFailed(run: run, stage: stage, reason: reason)
        case let .rollbackFailed(stage, reason): throw PipelineError.rollbackFailed(run: run, stage: stage, reason: reason)
        case let .waiting(stage, deadline): throw PipelineError.waitingForApproval(run: run, stage: stage, deadline: deadline)
        case let .interrupted(stage, signal): throw PipelineError.interrupted(run: run, stage: stage, signal: signal)
        }
    }
}

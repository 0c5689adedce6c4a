import Foundation
import ShiftCore

/// The errors of pipelines: files that do not validate, runs that cannot go on, decisions that are refused.
///
/// Each description says what is wrong and what would fix it. Cases never carry a parameter's value.
public enum PipelineError: CategorizedError, LocalizedError, Equatable {
    /// The pipeline file has problems; every one is listed, each with its position and field.
    case invalidFile(file: String, issues: [FileIssue])
    /// The pipeline file cannot be read at all.
    case unreadableFile(file: String, detail: String)
    /// The analysis file cannot be read at all.
    case unreadableAnalysisFile(file: String, detail: String)
    /// The analysis file has problems: one line each, each with its position and field.
    case invalidAnalysisFile(file: String, issues: [FileIssue])
    /// A value given on the command line is not acceptable.
    case invalidValue(field: String, value: String, expected: String)
    /// No run has this id.
    case runNotFound(id: String)
    /// No stage of the run has this name, or it is not an approval.
    case stageNotFound(run: String, stage: String, hint: String)
    /// The approval or rejection cannot be recorded.
    case decisionRefused(run: String, stage: String, reason: String)
    /// Another process is running this run; on a shared store, `holder` says who and until when its lease holds.
    case runLocked(id: String, holder: String? = nil)
    /// This runner's run was taken over by another (its lease was lost, or its record changed since this runner
    /// wrote it), `why` says which: it stops without acting again.
    case runTakenOver(id: String, why: String)
    /// An artifact downloaded from the shared store is not the one the run built.
    case artifactMismatch(name: String, location: String, expected: String, actual: String)
    /// The run's record cannot be read.
    case corruptRun(file: String, detail: String)
    /// A stage failed, was rejected or timed out: the run stopped there.
    case stageFailed(run: String, stage: String, reason: String)
    /// A deploy stage failed and a function's alias could not be restored.
    case rollbackFailed(run: String, stage: String, reason: String)
    /// The run waits at an approval gate.
    case waitingForApproval(run: String, stage: String, deadline: Date)
    /// A signal ended the run; it can be resumed.
    case interrupted(run: String, stage: String, signal: String)
    /// A build or test stage's commands did not leave a declared artifact.
    case missingArtifact(name: String, path: String)

    public var category: ErrorCategory {
        switch self {
        case .invalidFile, .unreadableFile, .unreadableAnalysisFile, .invalidAnalysisFile, .invalidValue, .runNotFound, .stageNotFound, .decisionRefused, .corruptRun:
            return .badInput
        case .runLocked, .runTakenOver: return .conflict
        case .artifactMismatch: return .badInput
        case .rollbackFailed: return .rollbackFailed
        case .stageFailed, .missingArtifact: return .failed
        case .waitingForApproval: return .waiting
        case .interrupted: return .interrupted
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .invalidFile(file, issues):
            let count = issues.count == 1 ? "1 error" : "\(issues.count) errors"
            return "\(file) has \(count):\n" + issues.map(\.description).joined(separator: "\n")
        case let .unreadableFile(file, detail):
            return "cannot read pipeline file \(file): \(detail)"
        case let .unreadableAnalysisFile(file, detail):
            return "cannot read analysis file \(file): \(detail)"
        case let .invalidAnalysisFile(_, issues):
            return issues.map(\.description).joined(separator: "\n")
        case let .invalidValue(field, value, expected):
            return "\(field) is '\(value)'; expected \(expected)"
        case let .runNotFound(id):
            return "pipeline run '\(id)' not found; list runs with 'shift pipeline list'"
        case let .stageNotFound(run, stage, hint):
            return "run \(run) has no stage '\(stage)'; \(hint)"
        case let .decisionRefused(run, stage, reason):
            return "cannot decide stage \(stage) of run \(run): \(reason)"
        case let .runLocked(id, holder):
            return "run \(id) is being run by \(holder ?? "another process"); wait for it, or watch it with 'shift pipeline status \(id)'"
        case let .runTakenOver(id, why):
            return "run \(id) was taken over by another runner (\(why)); this runner stopped without acting again: watch it with 'shift pipeline status \(id)'"
        case let .artifactMismatch(name, location, expected, actual):
            return "artifact \(name) downloaded from \(location) has sha256 \(actual), but the run built \(expected); nothing was deployed: restore the object, or start a new run to build it again"
        case let .corruptRun(file, detail):
            return "run file \(file) is unreadable (\(detail)); restore it from a backup, then retry"
        case let .stageFailed(run, stage, reason):
            return "run \(run) failed at stage \(stage): \(reason)"
        case let .rollbackFailed(run, stage, reason):
            return "run \(run) failed at stage \(stage) and a ROLLBACK FAILED: a human must act; 'shift pipeline status \(run)' names the alias (\(reason))"
        case let .waitingForApproval(run, stage, deadline):
            return "run \(run) is waiting for approval at stage \(stage) (until \(Timestamp.format(deadline))); approve with 'shift approve \(run) --stage \(stage)', then 'shift pipeline resume \(run)'"
        case let .interrupted(run, stage, signal):
            return "run \(run) was interrupted by \(signal) at stage \(stage); continue it with 'shift pipeline resume \(run)'"
        case let .missingArtifact(name, path):
            return "artifact \(name): \(path) does not exist in the workspace after the commands ran; make the commands create it, or fix its path under artifacts"
        }
    }
}

import Foundation
import ShiftCore
import ShiftStorage

/// Where pipeline run records are kept: the state directory (`PipelineRunStore`) or a shared store
/// (`ObjectStoreRunRecords`, S3), so that a run started on one machine is seen and resumed on another. The record
/// types are the pipeline's, so the protocol lives here rather than in ShiftCore.
///
/// A run's bulky files (source, workspaces, logs) stay local to the machine that runs it; its artifacts go to an
/// `ArtifactStore`.
public protocol RunRecords: Sendable {
    /// Saves the record atomically and durably. On a shared store the write is conditional on the version this
    /// process last read or wrote (a new run's first write: on there being none), so a runner whose run was taken
    /// over cannot overwrite the new runner's record.
    /// - Throws: `PipelineError.runTakenOver` when the condition fails; the store's errors when it cannot be written.
    func write(_ run: PipelineRun) async throws

    /// The run with this id.
    /// - Throws: `PipelineError.runNotFound`; `PipelineError.corruptRun`; the store's errors.
    func run(_ id: String) async throws -> PipelineRun

    /// Every readable run, newest first; `unreadable` hears about the others.
    func runs(unreadable: (Error) -> Void) async -> [PipelineRun]

    /// Whether a live process holds the run.
    func isLocked(_ id: String) async -> Bool

    /// Takes the run for this process until the hold is released (or the process dies: a file lock is freed at
    /// once, a lease on a shared store once it lapses).
    /// - Throws: `PipelineError.runLocked` naming the holder when another process holds it.
    func hold(_ id: String) async throws -> any RunHold
}

/// A run held by this process (`RunRecords.hold`).
public protocol RunHold: Sendable {
    /// Gives the run up. Releasing twice is harmless.
    func release() async
}

/// Where approval decisions are recorded: once per stage, from any process (any machine on a shared store).
public protocol ApprovalRecords: Sendable {
    /// The decision recorded for an approval stage, if any.
    /// - Throws: `PipelineError.corruptRun` when the decision is damaged.
    func decision(_ id: String, stage: String) async throws -> ApprovalDecision?

    /// Records a decision once, refused when one exists, even when two approvers decide at the same moment.
    /// - Throws: `PipelineError.decisionRefused` when the stage was already decided.
    func record(_ decision: ApprovalDecision, run id: String, stage: String) async throws
}

extension ApprovalRecords {
    /// Reads the decision of every approval stage the run has not finished, so that a damaged decision is found
    /// before a runner writes anything (it stays there until restored: nothing is recorded about it).
    /// - Throws: `PipelineError.corruptRun` naming the damaged decision.
    public func checkDecisions(of run: PipelineRun) async throws {
        for (definition, record) in zip(run.pipeline.stages, run.stages) where !record.status.isFinal {
            if case .approval = definition.kind { _ = try await decision(run.id, stage: record.name) }
        }
    }
}

extension PipelineRunStore: RunRecords, ApprovalRecords {
    public func hold(_ id: String) async throws -> any RunHold {
        FileRunHold(lock: try lock(id))
    }
}

/// A run held by its lock file in the state directory.
struct FileRunHold: RunHold {
    let lock: FileLock

    func release() async {
        lock.unlock()
    }
}

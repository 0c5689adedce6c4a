import Foundation

/// Where pipeline run records are kept, so that a shared store (S3) can take the state directory's place. The
/// record types are the pipeline's, so the protocol lives here rather than in ShiftCore.
///
/// `PipelineRunStore` (the state directory) conforms; a run's bulky files (source, workspaces, artifacts, logs)
/// stay local to the machine that runs it.
public protocol RunRecords: Sendable {
    /// Saves the record atomically and durably.
    /// - Throws: when it cannot be written.
    func write(_ run: PipelineRun) throws

    /// The run with this id.
    /// - Throws: `PipelineError.runNotFound`; `PipelineError.corruptRun`.
    func run(_ id: String) throws -> PipelineRun

    /// Every readable run, newest first; `unreadable` hears about the others.
    func runs(unreadable: (Error) -> Void) -> [PipelineRun]

    /// Whether a live process holds the run.
    func isLocked(_ id: String) -> Bool
}

/// Where approval decisions are recorded: once per stage, from any process (any machine on a shared store).
public protocol ApprovalRecords: Sendable {
    /// The decision recorded for an approval stage, if any.
    /// - Throws: `PipelineError.corruptRun` when the decision is damaged.
    func decision(_ id: String, stage: String) throws -> ApprovalDecision?

    /// Records a decision once, refused when one exists, even when two approvers decide at the same moment.
    /// - Throws: `PipelineError.decisionRefused` when the stage was already decided.
    func record(_ decision: ApprovalDecision, run id: String, stage: String) throws
}

extension ApprovalRecords {
    /// Reads the decision of every approval stage the run has not finished, so that a damaged decision is found
    /// before a runner writes anything (it stays there until restored: nothing is recorded about it).
    /// - Throws: `PipelineError.corruptRun` naming the damaged decision.
    public func checkDecisions(of run: PipelineRun) throws {
        for (definition, record) in zip(run.pipeline.stages, run.stages) where !record.status.isFinal {
            if case .approval = definition.kind { _ = try decision(run.id, stage: record.name) }
        }
    }
}

extension PipelineRunStore: RunRecords, ApprovalRecords {}

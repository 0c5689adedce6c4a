import Foundation
import ShiftLocal
import ShiftPipeline
import ShiftPlatforms

/// A run for `--output json`: its status, source, and every stage with times, artifacts, deployments and approvals.
struct PipelineRunView: Encodable {
    struct StageView: Encodable {
        var name: String
        var type: String
        var status: String
        var attempts: Int
        var startedAt: Date?
        var completedAt: Date?
        var durationSeconds: Double?
        var reason: String?
        var log: String?
        var artifacts: [ArtifactRecord]
        var deployments: [FunctionDeploymentRecord]
        var deadline: Date?
        var approvers: [String]?
        var instructions: String?
        var decision: ApprovalDecision?
        /// A decision recorded that no runner has acted on yet (`shift pipeline resume` will).
        var pendingDecision: ApprovalDecision?
    }

    var runId: String
    var pipeline: String
    var file: String
    var status: String
    var source: SourceRecord
    var createdAt: Date
    var updatedAt: Date
    var currentStage: String?
    var stages: [StageView]?

    /// The view of `run` as `state` holds it (whether it is held, decisions not yet acted on); logs are in `store`.
    static func make(_ run: PipelineRun, state: PipelineState, store: PipelineRunStore, includeStages: Bool = true) async -> PipelineRunView {
        var pending: [String: ApprovalDecision] = [:]
        if includeStages {
            for record in run.stages where record.decision == nil && record.type == "approval" {
                if let decision = (try? await state.approvals.decision(run.id, stage: record.name)) ?? nil { pending[record.name] = decision }
            }
        }
        return PipelineRunView(run, isLocked: await state.records.isLocked(run.id), pending: pending, store: store, includeStages: includeStages)
    }

    private init(_ run: PipelineRun, isLocked: Bool, pending: [String: ApprovalDecision], store: PipelineRunStore, includeStages: Bool) {
        runId = run.id
        pipeline = run.pipeline.name
        file = run.file
        status = run.status(isLocked: isLocked).rawValue
        source = run.source
        createdAt = run.createdAt
        updatedAt = run.updatedAt
        switch run.next {
        case let .stage(index), let .stopped(index): currentStage = run.stages[index].name
        case .finished: currentStage = nil
        }
        guard includeStages else { return }
        let now = Date()
        stages = zip(run.pipeline.stages, run.stages).map { definition, record in
            var view = StageView(name: record.name, type: record.type, status: record.status.rawValue, attempts: record.attempts, startedAt: record.startedAt,
                                 completedAt: record.completedAt, durationSeconds: record.duration(now: now).map { ($0 * 1000).rounded() / 1000 }, reason: record.reason,
                                 log: record.log.map { store.runDirectory(run.id).appendingPathComponent($0).path }, artifacts: record.artifacts, deployments: record.deployments,
                                 deadline: record.deadline, decision: record.decision)
            if case let .approval(gate) = definition.kind {
                view.approvers = gate.approvers
                view.instructions = gate.instructions
                if record.decision == nil { view.pendingDecision = pending[record.name] }
            }
            return view
        }
    }
}

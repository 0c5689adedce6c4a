import Foundation
import ShiftCore

extension PipelineRunner {
    /// An approval stage: open the gate (its deadline counts from when it first opened), then take the decision
    /// recorded by `shift approve` or `shift reject`. Without one, either wait (polling) or leave the run waiting.
    /// - Throws: `PipelineError.corruptRun` when the decision file is damaged: the stage is not failed for it, so
    ///   that restoring the file lets `shift pipeline resume` continue.
    func runApproval(_ stage: ApprovalStage, stage index: Int, recorder: RunRecorder, interruption: Interruption) async throws -> StageOutcome {
        let run = await recorder.run
        let name = run.stages[index].name
        let openedAt = run.stages[index].startedAt ?? clock.now
        let deadline = ApprovalGate.deadline(of: stage, openedAt: openedAt)
        do {
            if run.stages[index].deadline == nil {
                try await recorder.update(stage: index) { $0.deadline = deadline }
                let who = stage.approvers.isEmpty ? "anyone" : stage.approvers.joined(separator: ", ")
                await recorder.log(stage: index, "waiting for approval by \(who) until \(Timestamp.format(deadline))\(stage.instructions.isEmpty ? "" : ": \(stage.instructions)")")
                await recorder.log(stage: index, "approve with: shift approve \(run.id) --stage \(name) --by NAME --comment TEXT")
            }
            while true {
                let decision = try await approvals.decision(run.id, stage: name)
                switch ApprovalGate.evaluate(stage, openedAt: openedAt, decision: decision, now: clock.now) {
                case let .approved(decision):
                    try await recorder.update(stage: index) { $0.decision = decision }
                    await recorder.log(stage: index, "approved by \(decision.decider)\(decision.comment.map { ": \($0)" } ?? "")")
                    return .completed
                case let .rejected(decision):
                    try await recorder.update(stage: index) { $0.decision = decision }
                    return .failed(.rejected, "rejected by \(decision.decider): \(decision.comment ?? "")")
                case let .timedOut(deadline):
                    return .failed(.timedOut, "nobody decided before \(Timestamp.format(deadline)) (timeout \(DurationParser.format(stage.timeout))); a timed-out approval counts as a rejection")
                case let .pending(deadline):
                    guard waitsForApproval else { return .waiting(deadline) }
                    do {
                        try await clock.sleep(until: min(deadline, clock.now.addingTimeInterval(approvalPollInterval)))
                    } catch {
                        return .interrupted(interruption.signal ?? "cancellation")
                    }
                }
            }
        } catch let error as PipelineError {
            guard case .corruptRun = error else { return .failed(.failed, Self.describe(error)) }
            throw error
        } catch {
            return .failed(.failed, Self.describe(error))
        }
    }
}

extension ApprovalRecords {
    /// Records `shift approve` or `shift reject` for stage `stageName` of run `id` (read from `runs`), after
    /// checking the rules: the stage is an approval the run has reached and not yet decided, its deadline has not
    /// passed, the approver is allowed (by verified identity when the stage lists ARNs), the comment fits.
    /// - Parameter identity: the approver's verified AWS identity on shared state, nil on the state directory.
    /// - Throws: `PipelineError.runNotFound`, `.stageNotFound`, `.decisionRefused`.
    @discardableResult
    public func decide(run id: String, stage stageName: String, approve: Bool, by approver: String, identity: String? = nil,
                       comment: String?, runs: any RunRecords, now: Date) async throws -> ApprovalDecision {
        let run = try await runs.run(id)
        guard let index = run.stageIndex(stageName) else {
            let gates = run.pipeline.stages.filter { $0.type == "approval" }.map(\.name)
            throw PipelineError.stageNotFound(run: id, stage: stageName, hint: gates.isEmpty ? "it has no approval stage" : "its approval stages: \(gates.joined(separator: ", "))")
        }
        guard case let .approval(gate) = run.pipeline.stages[index].kind else {
            throw PipelineError.stageNotFound(run: id, stage: stageName, hint: "\(stageName) is a \(run.pipeline.stages[index].type) stage, not an approval")
        }
        try ApprovalGate.check(approver: approver, identity: identity, comment: comment, approving: approve, stage: gate, run: id, stageName: stageName)
        let record = run.stages[index]
        func refuse(_ reason: String) -> PipelineError { .decisionRefused(run: id, stage: stageName, reason: reason) }
        switch record.status {
        case .pending: throw refuse("the run has not reached it yet (\(run.status(isLocked: await runs.isLocked(id)).rawValue.lowercased()))")
        case .succeeded, .rejected, .failed: throw refuse("it was already decided (\(record.status.rawValue))")
        case .timedOut: throw refuse("it timed out at \(record.deadline.map(Timestamp.format) ?? "its deadline")")
        case .running, .waiting, .interrupted: break
        }
        if let openedAt = record.startedAt, case let .timedOut(deadline) = ApprovalGate.evaluate(gate, openedAt: openedAt, decision: nil, now: now) {
            throw refuse("its deadline \(Timestamp.format(deadline)) has passed; a timed-out approval counts as a rejection")
        }
        let decision = ApprovalDecision(approved: approve, by: approver, identity: identity, comment: comment, decidedAt: now)
        try await self.record(decision, run: id, stage: stageName)
        return decision
    }
}

extension PipelineRunStore {
    /// ``ApprovalRecords/decide(run:stage:approve:by:identity:comment:runs:now:)`` on the state directory, now.
    /// - Throws: as that.
    @discardableResult
    public func decide(run id: String, stage stageName: String, approve: Bool, by approver: String, comment: String?) async throws -> ApprovalDecision {
        try await decide(run: id, stage: stageName, approve: approve, by: approver, comment: comment, runs: self, now: clock.now)
    }
}

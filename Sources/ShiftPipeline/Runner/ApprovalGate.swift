import Foundation

/// The rules of approval stages, as pure functions: who may decide, what a comment may be, and what a gate's
/// state is at a given time (CodePipeline's manual approval: a timeout counts as a rejection).
public enum ApprovalGate {
    /// Where a gate stands.
    public enum Verdict: Equatable, Sendable {
        case approved(ApprovalDecision)
        case rejected(ApprovalDecision)
        /// Nobody decided before `deadline`.
        case timedOut(deadline: Date)
        /// Still open until `deadline`.
        case pending(deadline: Date)
    }

    /// When a gate that opened at `openedAt` times out.
    public static func deadline(of stage: ApprovalStage, openedAt: Date) -> Date {
        openedAt.addingTimeInterval(stage.timeout)
    }

    /// The gate's state at `now`. A decision made before the deadline counts even if it is read later.
    public static func evaluate(_ stage: ApprovalStage, openedAt: Date, decision: ApprovalDecision?, now: Date) -> Verdict {
        let deadline = deadline(of: stage, openedAt: openedAt)
        if let decision, decision.decidedAt <= deadline {
            return decision.approved ? .approved(decision) : .rejected(decision)
        }
        return now >= deadline ? .timedOut(deadline: deadline) : .pending(deadline: deadline)
    }

    /// Checks that `approver` may decide and that the comment is acceptable. A stage whose approvers are IAM ARNs
    /// (patterns) admits only a verified `identity` matching one of them, whatever name is typed; one whose
    /// approvers are names admits `--by` one of them; one without approvers admits anyone.
    /// - Parameter identity: the approver's verified AWS identity (ARN) on shared state, nil elsewhere.
    /// - Throws: `PipelineError.decisionRefused` saying what to change.
    public static func check(approver: String, identity: String? = nil, comment: String?, approving: Bool, stage: ApprovalStage, run: String, stageName: String) throws {
        func refuse(_ reason: String) -> PipelineError { .decisionRefused(run: run, stage: stageName, reason: reason) }
        guard !approver.trimmingCharacters(in: .whitespaces).isEmpty else { throw refuse("the approver's name is empty; pass --by NAME") }
        let list = stage.approvers.joined(separator: ", ")
        if stage.approvers.contains(where: ApproverPattern.isARN) {
            guard let identity else {
                throw refuse("its approvers are AWS identities (\(list)), and nothing verifies who you are here: approve where the run's state is shared (an aws account with a state location), with credentials of one of them")
            }
            guard stage.approvers.contains(where: { ApproverPattern.matches($0, identity: identity) }) else {
                throw refuse("identity \(identity) is not an approver of this stage (approvers: \(list)); approve with credentials of one of them")
            }
        } else if !stage.approvers.isEmpty, !stage.approvers.contains(approver) {
            throw refuse("'\(approver)' is not an approver of this stage (approvers: \(list)); pass --by with one of them")
        }
        if let comment, comment.count > ApprovalStage.maximumCommentLength {
            throw refuse("the comment has \(comment.count) characters; at most \(ApprovalStage.maximumCommentLength) are kept (CodePipeline's limit)")
        }
        if !approving, (comment ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw refuse("a rejection needs a --comment saying why")
        }
    }
}

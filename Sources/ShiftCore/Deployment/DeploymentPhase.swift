/// Where a deployment is in its lifecycle (DESIGN.md section 3). Each case carries only what is valid in it.
///
/// ```
/// created -> preTraffic -> shifting(0..n-1) -> baking -> postTraffic -> succeeded
/// any failure -> rollingBack(reason) -> rolledBack(reason) | rollbackFailed(reason, detail)
/// stop without rollback -> stopped(reason)
/// promote --full while shifting -> shifting(n-1) (100 %), then as usual
/// ```
/// A pause (``DeploymentPause``) is not a phase of its own: it holds inside `shifting` or `baking`.
public enum DeploymentPhase: Codable, Equatable, Sendable {
    case created
    case preTraffic
    /// Applying step `step` of the schedule (0-based), then holding at it.
    case shifting(step: Int)
    /// Holding at 100 % before the PostTraffic hook.
    case baking
    case postTraffic
    case rollingBack(reason: RollbackReason)
    case succeeded
    case rolledBack(reason: RollbackReason)
    /// Ended without a rollback: traffic stays where it was.
    case stopped(reason: RollbackReason)
    case rollbackFailed(reason: RollbackReason, detail: String)

    /// The status a deployment in this phase reports.
    public var status: DeploymentStatus {
        switch self {
        case .created: return .created
        case .preTraffic, .shifting, .baking, .postTraffic, .rollingBack: return .inProgress
        case .succeeded: return .succeeded
        case let .rolledBack(reason): return reason.isStop ? .stopped : .failed
        case .stopped: return .stopped
        case .rollbackFailed: return .rollbackFailed
        }
    }

    /// Whether the deployment ended by restoring the original version.
    public var isRolledBack: Bool {
        if case .rolledBack = self { return true }
        return false
    }

    /// Why the deployment did not succeed, once it has ended or is rolling back.
    public var reason: RollbackReason? {
        switch self {
        case let .rollingBack(reason), let .rolledBack(reason), let .stopped(reason), let .rollbackFailed(reason, _): return reason
        case .created, .preTraffic, .shifting, .baking, .postTraffic, .succeeded: return nil
        }
    }

    /// The phase after this one ends with `outcome`. The lifecycle's only transition function.
    public func next(after outcome: PhaseOutcome, plan: DeploymentPlan) -> DeploymentPhase {
        switch (self, outcome) {
        case (.succeeded, _), (.rolledBack, _), (.stopped, _), (.rollbackFailed, _):
            return self
        case let (.rollingBack(reason), .completed):
            return .rolledBack(reason: reason)
        case let (.rollingBack(reason), .rollbackFailed(detail)),
             let (.rollingBack(reason), .failed(_, detail)):
            return .rollbackFailed(reason: reason, detail: detail)
        case (.rollingBack, .stopWithoutRollback):
            // A rollback in progress finishes; a stop cannot leave the alias half-restored.
            return self
        case let (_, .failed(reason, _)):
            return .rollingBack(reason: reason)
        case let (_, .stopWithoutRollback(reason)):
            return .stopped(reason: reason)
        case let (_, .rollbackFailed(detail)):
            return .rollbackFailed(reason: .platformError(detail: detail), detail: detail)
        case let (.shifting(step), .promotedToFull) where step + 1 < plan.stepCount:
            return .shifting(step: plan.stepCount - 1)
        case (_, .promotedToFull):
            return next(after: .completed, plan: plan)
        case (.created, .completed):
            return plan.hasPreTrafficHook ? .preTraffic : .shifting(step: 0)
        case (.preTraffic, .completed):
            return .shifting(step: 0)
        case let (.shifting(step), .completed):
            if step + 1 < plan.stepCount { return .shifting(step: step + 1) }
            return plan.hasBake ? .baking : (plan.hasPostTrafficHook ? .postTraffic : .succeeded)
        case (.baking, .completed):
            return plan.hasPostTrafficHook ? .postTraffic : .succeeded
        case (.postTraffic, .completed):
            return .succeeded
        }
    }
}

/// How one phase ended.
public enum PhaseOutcome: Equatable, Sendable {
    case completed
    /// `shift deployment promote --full`: skip the remaining steps (and their analyses) to 100 %.
    case promotedToFull
    /// Roll back for `reason`; `detail` is kept when a rollback itself fails this way.
    case failed(RollbackReason, detail: String = "")
    case stopWithoutRollback(RollbackReason)
    case rollbackFailed(detail: String)
}

/// The shape of a deployment that decides which phases it passes through.
public struct DeploymentPlan: Equatable, Sendable {
    public var stepCount: Int
    public var hasPreTrafficHook: Bool
    public var hasPostTrafficHook: Bool
    public var hasBake: Bool

    public init(stepCount: Int, hasPreTrafficHook: Bool, hasPostTrafficHook: Bool, hasBake: Bool) {
        self.stepCount = stepCount
        self.hasPreTrafficHook = hasPreTrafficHook
        self.hasPostTrafficHook = hasPostTrafficHook
        self.hasBake = hasBake
    }
}

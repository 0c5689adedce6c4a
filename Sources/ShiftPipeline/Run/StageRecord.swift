import Foundation

/// The durable record of one stage of a run.
public struct StageRecord: Codable, Equatable, Sendable {
    public var name: String
    public var type: String
    public var status: StageStatus
    /// How many times the stage has started (a resumed stage starts again).
    public var attempts: Int
    public var startedAt: Date?
    public var completedAt: Date?
    /// Why it failed, or what it is waiting for; masked.
    public var reason: String?
    /// The stage's log, relative to the run's directory.
    public var log: String?
    public var artifacts: [ArtifactRecord]
    public var deployments: [FunctionDeploymentRecord]
    /// For deploy stages: why the stage decided to fail and roll its functions back, recorded before it does, so
    /// that a runner killed while rolling back finishes the rollback on resume instead of deploying again.
    public var abortReason: String?
    /// For approval stages: when it times out, and the decision once made.
    public var deadline: Date?
    public var decision: ApprovalDecision?

    public init(name: String, type: String) {
        self.name = name
        self.type = type
        self.status = .pending
        self.attempts = 0
        self.artifacts = []
        self.deployments = []
    }

    /// Seconds from start to completion (or to `now` while it runs).
    public func duration(now: Date) -> TimeInterval? {
        guard let startedAt else { return nil }
        return (completedAt ?? now).timeIntervalSince(startedAt)
    }
}

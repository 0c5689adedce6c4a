import Foundation

/// One attempt to move one alias from its original version to a target version: its request, where it is,
/// and everything that happened, in order.
public struct Deployment: Codable, Equatable, Sendable {
    public var id: String
    public var request: DeploymentRequest
    public var originalVersion: Int
    public var phase: DeploymentPhase
    public var createdAt: Date
    public var updatedAt: Date
    public var completedAt: Date?
    /// The revision id of the alias as shift last wrote or read it; a different one means someone else moved it.
    public var aliasRevisionId: String?
    /// Alarms that were in ALARM when an `allowAlarming` deployment started; watched again once they leave ALARM.
    public var suppressedAlarms: [String]
    /// Set while the deployment holds beyond its schedule (`shift deployment pause`, a pause line, a marginal
    /// analysis); kept in the record so that recovery keeps the pause.
    public var paused: DeploymentPause?
    /// The sequence number of the last control request (``DeploymentControl``) the engine acted on; nil: none yet.
    public var controlSequence: Int?
    public var events: [DeploymentEvent]

    public init(id: String, request: DeploymentRequest, originalVersion: Int, createdAt: Date, aliasRevisionId: String?, suppressedAlarms: [String] = []) {
        self.id = id
        self.request = request
        self.originalVersion = originalVersion
        self.phase = .created
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.completedAt = nil
        self.aliasRevisionId = aliasRevisionId
        self.suppressedAlarms = suppressedAlarms
        self.events = []
    }

    public var status: DeploymentStatus { phase.status }
    public var rolledBack: Bool { phase.isRolledBack }

    /// A new id in CodeDeploy's shape: "d-" and nine letters or digits.
    public static func makeID(using generator: inout some RandomNumberGenerator) -> String {
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return "d-" + String((0..<9).map { _ in characters.randomElement(using: &generator)! })
    }

    /// The routing of the alias at `weight` on the target: all-original, split, or all-target.
    public func routing(at weight: Weight) -> AliasRouting {
        if weight >= .full { return .single(request.targetVersion) }
        if weight <= .zero { return .single(originalVersion) }
        // Both versions are distinct and positive: validated before the deployment was created.
        return try! AliasRouting(primaryVersion: originalVersion, additionalVersion: .init(version: request.targetVersion, weight: weight))
    }
}

import Foundation

/// What a listing shows of a deployment: everything but its event log. The deployment index keeps one per
/// deployment, so that listing reads one small line per deployment instead of every record with its events.
public struct DeploymentSummary: Codable, Equatable, Sendable {
    public var deploymentId: String
    public var status: DeploymentStatus
    public var rolledBack: Bool
    public var functionName: String
    public var alias: String
    public var originalVersion: Int
    public var targetVersion: Int
    /// The preference's name (`Canary10Percent5Minutes`).
    public var preference: String
    /// The preference's steps in words.
    public var schedule: String
    public var alarms: [String]
    public var preTrafficHook: String?
    public var postTrafficHook: String?
    /// Why the deployment rolled back or stopped, if it did.
    public var reason: String?
    public var createTime: Date
    public var updateTime: Date
    public var completeTime: Date?

    public init(_ deployment: Deployment) {
        deploymentId = deployment.id
        status = deployment.status
        rolledBack = deployment.rolledBack
        functionName = deployment.request.functionName
        alias = deployment.request.alias
        originalVersion = deployment.originalVersion
        targetVersion = deployment.request.targetVersion
        preference = deployment.request.preference.name
        schedule = deployment.request.preference.summary
        alarms = deployment.request.alarms
        preTrafficHook = deployment.request.preTrafficHook
        postTrafficHook = deployment.request.postTrafficHook
        reason = deployment.phase.reason?.description
        createTime = deployment.createdAt
        updateTime = deployment.updatedAt
        completeTime = deployment.completedAt
    }

    /// Whether the summary passes a listing's filters (nil: any).
    public func matches(function: String?, status: DeploymentStatus?) -> Bool {
        Self.matches(functionName: functionName, status: self.status, function: function, only: status)
    }

    /// Whether a deployment of `functionName` in `status` passes a listing's filters `function` and `only` (nil: any).
    public static func matches(functionName: String, status: DeploymentStatus, function: String?, only: DeploymentStatus?) -> Bool {
        (function == nil || functionName == function) && (only == nil || status == only)
    }

    /// A listing's order: newest first; deployments created at the same instant by id.
    public static func newestFirst(_ left: DeploymentSummary, _ right: DeploymentSummary) -> Bool {
        listingOrder((left.createTime, left.deploymentId), (right.createTime, right.deploymentId))
    }

    /// A listing's order of (creation time, id) pairs: newest first; deployments created at the same instant by id.
    public static func listingOrder(_ left: (createTime: Date, id: String), _ right: (createTime: Date, id: String)) -> Bool {
        left.createTime != right.createTime ? left.createTime > right.createTime : left.id < right.id
    }
}

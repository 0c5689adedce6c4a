import Foundation
import ShiftCore

/// A deployment for `--output json`: CodeDeploy's status words, plus what a release engineer needs.
struct DeploymentView: Encodable {
    var deploymentId: String
    var status: String
    var rolledBack: Bool
    var functionName: String
    var alias: String
    var originalVersion: Int
    var targetVersion: Int
    var preference: String
    var schedule: String
    var alarms: [String]
    var preTrafficHook: String?
    var postTrafficHook: String?
    var reason: String?
    /// Why a running deployment is paused, when it is.
    var paused: String?
    var createTime: Date
    var updateTime: Date
    var completeTime: Date?
    var events: [DeploymentEvent]?

    init(_ deployment: Deployment, includeEvents: Bool = true) {
        self.init(DeploymentSummary(deployment), events: includeEvents ? deployment.events : nil)
        paused = deployment.status.isFinal ? nil : deployment.paused?.reason
    }

    init(_ summary: DeploymentSummary, events: [DeploymentEvent]? = nil) {
        deploymentId = summary.deploymentId
        status = summary.status.rawValue
        rolledBack = summary.rolledBack
        functionName = summary.functionName
        alias = summary.alias
        originalVersion = summary.originalVersion
        targetVersion = summary.targetVersion
        preference = summary.preference
        schedule = summary.schedule
        alarms = summary.alarms
        preTrafficHook = summary.preTrafficHook
        postTrafficHook = summary.postTrafficHook
        reason = summary.reason
        createTime = summary.createTime
        updateTime = summary.updateTime
        completeTime = summary.completeTime
        self.events = events
    }
}

extension Deployment {
    /// Throws the error whose category gives the exit code for how the deployment ended; returns on success.
    func throwUnlessSucceeded() throws {
        let reason = phase.reason?.description ?? status.rawValue
        switch status {
        case .succeeded, .created, .inProgress:
            return
        case .rollbackFailed:
            throw ShiftCoreError.rollbackFailed(reason: "deployment \(id) could not roll back: a human must act (\(reason))")
        case .stopped, .failed:
            let rolled = rolledBack ? "rolled back to version \(originalVersion)" : "not rolled back"
            if case .interrupted? = phase.reason {
                throw ShiftCoreError.interrupted(reason: "deployment \(id) \(status.rawValue.lowercased()), \(rolled): \(reason)")
            }
            throw ShiftCoreError.failed(reason: "deployment \(id) \(status.rawValue.lowercased()), \(rolled): \(reason)")
        }
    }
}

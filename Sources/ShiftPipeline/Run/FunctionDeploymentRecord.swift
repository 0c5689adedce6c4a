/// What a deploy stage did with one function: the version published from the artifact and the deployment that
/// moved the alias, with its outcome.
public struct FunctionDeploymentRecord: Codable, Equatable, Sendable {
    public enum Status: String, Codable, Sendable {
        case pending = "Pending"
        case deploying = "Deploying"
        case succeeded = "Succeeded"
        /// Its own deployment failed and rolled back.
        case failed = "Failed"
        /// Rolled back (or never started) because another function of the stage failed.
        case rolledBack = "RolledBack"
        /// Its rollback failed: a human must act.
        case rollbackFailed = "RollbackFailed"
    }

    public var function: String
    public var alias: String
    public var status: Status
    /// The version published from the artifact.
    public var version: Int?
    /// The version the alias pointed at before; nil when this stage created the alias.
    public var originalVersion: Int?
    public var deploymentId: String?
    public var message: String?

    public init(function: String, alias: String, status: Status = .pending) {
        self.function = function
        self.alias = alias
        self.status = status
    }
}

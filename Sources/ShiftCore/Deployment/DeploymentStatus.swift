/// A deployment's status in CodeDeploy's words, plus `RollbackFailed` for the case CodeDeploy hides.
public enum DeploymentStatus: String, Codable, CaseIterable, Sendable {
    case created = "Created"
    case inProgress = "InProgress"
    case succeeded = "Succeeded"
    case failed = "Failed"
    case stopped = "Stopped"
    case rollbackFailed = "RollbackFailed"

    /// Whether the deployment has ended.
    public var isFinal: Bool {
        switch self {
        case .created, .inProgress: return false
        case .succeeded, .failed, .stopped, .rollbackFailed: return true
        }
    }
}

/// Why a deployment did not finish: every road to a rollback or a stop starts here.
public enum RollbackReason: Codable, Equatable, Sendable, CustomStringConvertible {
    /// A watched alarm entered ALARM.
    case alarm(name: String, reason: String)
    /// The alarms could not be read, and the deployment does not ignore that.
    case alarmsUnreadable(detail: String)
    /// A lifecycle hook failed: its invocation errored, or its response said `"status": "Failed"`.
    case hookFailed(hook: LifecycleHook, detail: String)
    /// A lifecycle hook did not answer within its timeout.
    case hookTimedOut(hook: LifecycleHook, seconds: Double)
    /// Someone asked for the stop (`shift deployment stop`).
    case stopRequested(detail: String)
    /// A signal reached the deploying process.
    case interrupted(signal: String)
    /// The deploying process died; `shift recover` found the deployment.
    case processDied
    /// Someone else moved the alias mid-deployment; shift stops rather than overwrite them.
    case aliasChangedExternally(detail: String)
    /// The platform refused a call the deployment needed (e.g. moving the alias).
    case platformError(detail: String)
    /// The deployment record could not be written, so no further traffic was moved.
    case journalUnwritable(detail: String)
    /// The canary analysis scored the target version below its `marginal` threshold.
    case analysisFailed(summary: String)
    /// The canary analysis could not be made (its samples could not be read), and the deployment does not ignore that.
    case analysisUnreadable(detail: String)
    /// The deployment had succeeded, and the deploy stage it belongs to rolled it back with the stage.
    case stageAborted(detail: String)

    /// Whether the deployment ends as `Stopped` (a person or the system stopped it) rather than `Failed`.
    public var isStop: Bool {
        switch self {
        case .stopRequested, .interrupted, .processDied, .aliasChangedExternally, .stageAborted: return true
        case .alarm, .alarmsUnreadable, .analysisFailed, .analysisUnreadable, .hookFailed, .hookTimedOut, .platformError, .journalUnwritable: return false
        }
    }

    public var description: String {
        switch self {
        case let .alarm(name, reason): return "alarm \(name) is in ALARM: \(reason)"
        case let .alarmsUnreadable(detail): return "alarms could not be read (\(detail))"
        case let .analysisFailed(summary): return "canary analysis failed: \(summary)"
        case let .analysisUnreadable(detail): return "canary analysis could not be made (\(detail))"
        case let .hookFailed(hook, detail): return "\(hook.rawValue) hook failed: \(detail)"
        case let .hookTimedOut(hook, seconds): return "\(hook.rawValue) hook did not finish within \(seconds.compact)s"
        case let .stopRequested(detail): return "stop requested\(detail.isEmpty ? "" : ": \(detail)")"
        case let .interrupted(signal): return "interrupted by \(signal)"
        case .processDied: return "the deploying process died; recovered by 'shift recover'"
        case let .aliasChangedExternally(detail): return "the alias was changed by someone else: \(detail)"
        case let .platformError(detail): return "platform error: \(detail)"
        case let .journalUnwritable(detail): return "journal unwritable: \(detail)"
        case let .stageAborted(detail): return "the deploy stage rolled back: \(detail)"
        }
    }
}

/// The two lifecycle hooks of a Lambda deployment.
public enum LifecycleHook: String, Codable, Sendable {
    case preTraffic = "PreTraffic"
    case postTraffic = "PostTraffic"
}

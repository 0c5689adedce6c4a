import Foundation

/// What the engine tells whoever watches a deployment live: each journalled event, and progress while holding;
/// and what the ``Deployer`` says outside the journal.
public enum DeploymentUpdate: Sendable {
    case event(DeploymentEvent)
    case holding(DeploymentProgress)
    /// Worth knowing, needs no attention: the version published for the deployment, an interrupted one resumed.
    case note(String)
    /// Worth attention before the start: an alarm in INSUFFICIENT_DATA, an alarming alarm allowed.
    case warning(String)
}

/// Where a hold stands: for a person watching a terminal. Not journalled.
public struct DeploymentProgress: Sendable, Equatable {
    /// 1-based step, or nil while baking.
    public var step: Int?
    public var stepCount: Int
    public var weight: Weight
    /// Seconds until the hold ends; infinity while paused until resumed or promoted.
    public var remaining: TimeInterval
    public var alarms: [String: AlarmStateValue]
    /// Set while paused.
    public var paused: DeploymentPause?
}

/// The signal that interrupted a deployment, set by whoever cancels the engine's task.
public final class Interruption: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var name: String?

    public init() {}

    /// Records the signal's name (e.g. "SIGINT"); the caller then cancels the engine's task.
    public func record(_ signal: String) { lock.withLock { if name == nil { name = signal } } }

    /// The recorded signal, if any.
    public var signal: String? { lock.withLock { name } }
}

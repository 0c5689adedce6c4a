import Foundation

/// One entry of a deployment's append-only event log, and one line of `shift deploy --output json`.
public struct DeploymentEvent: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        case created = "Created"
        case note = "Note"
        case warning = "Warning"
        case hookStarted = "HookStarted"
        case hookSucceeded = "HookSucceeded"
        case hookFailed = "HookFailed"
        case shiftStarted = "ShiftStarted"
        case shifted = "Shifted"
        case alarmState = "AlarmState"
        case stopRequested = "StopRequested"
        case rollbackStarted = "RollbackStarted"
        case rollbackAttemptFailed = "RollbackAttemptFailed"
        case rolledBack = "RolledBack"
        case rollbackFailed = "RollbackFailed"
        case stopped = "Stopped"
        case succeeded = "Succeeded"
        /// `shift recover` took over a deployment whose process died (formerly `Resumed`).
        case recovered = "Recovered"
        /// A pause ended: `shift deployment resume`, or a timed pause ran out.
        case resumed = "Resumed"
        case platformNotice = "PlatformNotice"
        case paused = "Paused"
        case promoted = "Promoted"
        case analysisStarted = "AnalysisStarted"
        case analysisResult = "AnalysisResult"
    }

    public var time: Date
    public var kind: Kind
    public var message: String
    /// The schedule step, 1-based for people, when the event concerns one.
    public var step: Int?
    /// Percent of traffic on the target version, when the event concerns the alias.
    public var weight: Double?
    /// Alarm name to state, when the event concerns alarms.
    public var alarms: [String: String]?
    /// The verdict, on an `AnalysisResult` event.
    public var analysis: CanaryVerdict?

    public init(time: Date, kind: Kind, message: String, step: Int? = nil, weight: Double? = nil, alarms: [String: String]? = nil, analysis: CanaryVerdict? = nil) {
        self.time = time
        self.kind = kind
        self.message = message
        self.step = step
        self.weight = weight
        self.alarms = alarms
        self.analysis = analysis
    }
}

import Foundation

/// A request, from any process, that a running deployment change course: stop, pause, resume or promote.
///
/// Every store numbers a deployment's requests 1, 2, 3, ... in the order they were made, so that the deploying
/// process sees pause -> resume -> pause in that order however quickly they follow each other. The engine acts on
/// each in turn and acknowledges it by journalling its sequence number (``Deployment/controlSequence``) with the
/// event that says what it did, before it acts; a recovered process therefore acts only on the requests its
/// predecessor had not acknowledged.
public struct DeploymentControl: Codable, Equatable, Sendable {
    /// What is asked.
    public enum Action: Codable, Equatable, Sendable, CustomStringConvertible {
        /// Abort: restore the original version (`rollback`), or leave traffic where it is.
        case stop(rollback: Bool)
        /// Hold at the current weight until resumed or promoted; alarms, analysis and stop requests still act.
        case pause
        /// Lift a pause: continue the current step's remaining hold (or, at a pause or analysis line, go on).
        case resume
        /// End the current hold now and take the next step; `full`: go straight to 100 % of the target,
        /// skipping the remaining steps and analyses (the bake and the PostTraffic hook still run).
        case promote(full: Bool)

        public var description: String {
            switch self {
            case let .stop(rollback): return rollback ? "stop" : "stop without rollback"
            case .pause: return "pause"
            case .resume: return "resume"
            case let .promote(full): return full ? "promote to 100%" : "promote"
            }
        }
    }

    /// 1 for a deployment's first request, one more for each next one.
    public var sequence: Int
    public var action: Action
    public var requestedAt: Date
    /// Who asked, for the event log (user and process).
    public var requestedBy: String

    public init(sequence: Int, action: Action, requestedAt: Date, requestedBy: String) {
        self.sequence = sequence
        self.action = action
        self.requestedAt = requestedAt
        self.requestedBy = requestedBy
    }

    /// "by ops (pid 12) at 2026-12-02T01:00:00Z", for events and rollback reasons.
    public var origin: String {
        "by \(requestedBy) at \(Timestamp.format(requestedAt))"
    }
}

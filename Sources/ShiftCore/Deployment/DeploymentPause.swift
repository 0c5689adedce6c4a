import Foundation

/// Why and how a deployment holds at its current weight beyond its schedule: part of the journalled record,
/// so that a paused deployment is still paused after `shift recover --resume`.
///
/// Belongs to the phase it was taken in: the engine drops it when the phase changes.
public struct DeploymentPause: Codable, Equatable, Sendable {
    public var since: Date
    /// For people: "paused by ops (pid 12) at ...", "step list line 3", "analysis marginal: ...".
    public var reason: String
    /// When a timed pause (`pause 10m`) ends by itself; nil: only resume or promote ends it.
    public var until: Date?
    /// Seconds of the step's (or the bake's) hold that were left when it paused: what resume holds.
    /// Nil for a pause at a pause or analysis line, which comes after the hold.
    public var remainingHold: TimeInterval?
    /// The index of the step's pause or analysis line it holds at; nil while holding the step itself.
    public var gate: Int?

    public init(since: Date, reason: String, until: Date? = nil, remainingHold: TimeInterval? = nil, gate: Int? = nil) {
        self.since = since
        self.reason = reason
        self.until = until
        self.remainingHold = remainingHold
        self.gate = gate
    }
}

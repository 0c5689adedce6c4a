import Foundation

/// One step of a traffic schedule: move the alias to `weight` on the target version, hold, then pass the
/// step's gates (pause and analysis lines) in order before the next step.
///
/// A step on its own is not checked; `TrafficSchedule` enforces the rules a list of steps must meet.
public struct TrafficStep: Codable, Equatable, Sendable {
    /// The share of traffic on the *target* version once this step is applied.
    public var weight: Weight
    /// Seconds to hold at this weight, watching alarms, before the next step. 0 on the last step.
    public var hold: TimeInterval
    /// What stands between this step's hold and the next step; none on the last step.
    public var gates: [StepGate]

    /// A step to `weight` held for `hold` seconds, then passing `gates`.
    public init(weight: Weight, hold: TimeInterval = 0, gates: [StepGate] = []) {
        self.weight = weight
        self.hold = hold
        self.gates = gates
    }

    private enum CodingKeys: String, CodingKey {
        case weight, hold, gates
    }

    /// Records written before gates existed have none.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        weight = try container.decode(Weight.self, forKey: .weight)
        hold = try container.decode(TimeInterval.self, forKey: .hold)
        gates = try container.decodeIfPresent([StepGate].self, forKey: .gates) ?? []
    }

    /// Leaves `gates` out when there are none, so a schedule without them reads as before.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(weight, forKey: .weight)
        try container.encode(hold, forKey: .hold)
        if !gates.isEmpty { try container.encode(gates, forKey: .gates) }
    }
}

/// A point between two steps where the deployment waits for more than time (a step-list `pause` or `analysis` line).
public struct StepGate: Codable, Equatable, Sendable {
    public enum Kind: String, Codable, Sendable {
        /// Hold at the step's weight until promoted (or, with a `duration`, until it runs out).
        case pause
        /// Run the request's canary analysis; pass continues, fail rolls back, marginal pauses.
        case analysis
    }

    public var kind: Kind
    /// A timed pause's length in seconds (`pause 10m`); nil: until `shift deployment promote`.
    public var duration: TimeInterval?
    /// The step-list line it was read from, for errors; nil when not read from a file.
    public var line: Int?

    public init(_ kind: Kind, duration: TimeInterval? = nil, line: Int? = nil) {
        self.kind = kind
        self.duration = duration
        self.line = line
    }

    /// `pause`, `pause 10m`, `analysis`: as a step list writes it.
    public var description: String {
        switch kind {
        case .pause: return duration.map { "pause \(DurationParser.format($0))" } ?? "pause"
        case .analysis: return "analysis"
        }
    }
}

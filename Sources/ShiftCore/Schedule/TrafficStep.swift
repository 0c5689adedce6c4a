import Foundation

/// One step of a traffic schedule: move the alias to `weight` on the target version, then hold.
///
/// A step on its own is not checked; `TrafficSchedule` enforces the rules a list of steps must meet.
public struct TrafficStep: Codable, Equatable, Sendable {
    /// The share of traffic on the *target* version once this step is applied.
    public var weight: Weight
    /// Seconds to hold at this weight, watching alarms, before the next step. 0 on the last step.
    public var hold: TimeInterval

    /// A step to `weight` held for `hold` seconds.
    public init(weight: Weight, hold: TimeInterval = 0) {
        self.weight = weight
        self.hold = hold
    }
}

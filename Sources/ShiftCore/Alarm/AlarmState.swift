import Foundation

/// Where an alarm stands: its state, why, and since when.
public struct AlarmState: Codable, Equatable, Sendable {
    /// The current state.
    public var value: AlarmStateValue
    /// One human line saying why the alarm entered `value`, as CloudWatch's `StateReason`.
    public var reason: String
    /// When `value` last changed; evaluations that keep the value do not move it.
    public var updatedAt: Date

    /// A state as given; nothing to validate.
    public init(value: AlarmStateValue, reason: String, updatedAt: Date) {
        self.value = value
        self.reason = reason
        self.updatedAt = updatedAt
    }
}

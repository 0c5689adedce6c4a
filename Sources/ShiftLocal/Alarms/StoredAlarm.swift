import Foundation
import ShiftCore

/// An alarm as the local platform stores it: its definition, its state, and when it was last evaluated.
public struct StoredAlarm: Codable, Equatable, Sendable {
    public var definition: AlarmDefinition
    public var state: AlarmState
    /// The evaluation instant (a period boundary) of the last evaluation or `set-state`; nil before the first.
    public var lastEvaluatedAt: Date?
    public var description: String

    public init(definition: AlarmDefinition, state: AlarmState, lastEvaluatedAt: Date?, description: String) {
        self.definition = definition
        self.state = state
        self.lastEvaluatedAt = lastEvaluatedAt
        self.description = description
    }
}

/// Where the engine reads the states of the alarms a deployment watches.
public protocol AlarmSource: Sendable {
    /// The current state of each named alarm, keyed by name.
    /// - Throws: a `.badInput` error when an alarm does not exist; any error when states cannot be read.
    func alarmStates(named names: [String]) async throws -> [String: AlarmState]
}

/// Where the engine reads the states of the alarms a deployment watches.
public protocol AlarmSource: Sendable {
    /// The current state of each named alarm, keyed by name.
    /// - Throws: a `.badInput` error when an alarm does not exist; any error when states cannot be read.
    func alarmStates(named names: [String]) async throws -> [String: AlarmState]

    /// The current state of those of `names` that exist, keyed by name, in one read: a name the platform does not
    /// know is left out, not an error, so that one deployment's missing alarm does not fail a read shared by many
    /// (``BatchedAlarmSource``). Callers pass at most ``alarmNamesPerRead`` names.
    /// - Throws: any error when states cannot be read.
    func existingAlarmStates(named names: [String]) async throws -> [String: AlarmState]

    /// How many names one `existingAlarmStates` read takes (CloudWatch's DescribeAlarms: 100).
    var alarmNamesPerRead: Int { get }
}

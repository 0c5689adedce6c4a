/// What the command line needs to administer a platform's alarms, beyond the engine's ``AlarmSource``.
///
/// The local platform defines and evaluates alarms itself; the AWS platform reads and drills CloudWatch's and
/// throws a `.badInput` error naming the service to use for what it does not do.
public protocol AlarmCatalog: AlarmSource {
    /// Creates or replaces an alarm.
    /// - Throws: a `.badInput` error when what it watches does not exist or the platform does not define alarms.
    func putAlarm(_ definition: AlarmDefinition, description: String) async throws -> AlarmDetails

    /// An alarm and its current state.
    /// - Throws: a `.badInput` error when it does not exist.
    func describeAlarm(_ name: String) async throws -> AlarmDetails

    /// Every alarm of the account, by name.
    /// - Throws: a `.badInput` error when the platform does not list alarms.
    func describeAlarms() async throws -> [AlarmDetails]

    /// Deletes an alarm.
    /// - Throws: a `.badInput` error when it does not exist or the platform does not delete alarms.
    func deleteAlarm(_ name: String) async throws

    /// Sets an alarm's state by hand, for drills (CloudWatch's SetAlarmState); it holds until the next evaluation.
    /// - Throws: a `.badInput` error when it does not exist.
    func setAlarmState(_ name: String, to value: AlarmStateValue, reason: String) async throws -> AlarmDetails
}

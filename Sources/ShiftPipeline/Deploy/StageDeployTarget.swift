import ShiftCore

/// A deploy stage's view of its account's target: the same account, with a deployer whose engine reads alarms
/// through the stage's ``BatchedAlarmSource``.
struct StageDeployTarget: DeployTarget {
    let account: any DeployTarget
    let deployer: Deployer

    func putAlarms(_ definitions: [AlarmDefinition], description: String) async throws {
        try await account.putAlarms(definitions, description: description)
    }
}

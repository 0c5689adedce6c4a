import Foundation
import ShiftCore

/// `AlarmCatalog` and `MetricsCatalog` on the local platform: alarms it defines and evaluates over the metrics
/// log of real invocations.
extension LocalPlatform: AlarmCatalog, MetricsCatalog {
    public func alarmStates(named names: [String]) async throws -> [String: AlarmState] {
        try await alarms.alarmStates(named: names)
    }

    public func existingAlarmStates(named names: [String]) async throws -> [String: AlarmState] {
        try await alarms.existingAlarmStates(named: names)
    }

    public var alarmNamesPerRead: Int { alarms.alarmNamesPerRead }

    /// Saves the alarm after checking that what it watches exists: an alarm on nothing would sit in
    /// INSUFFICIENT_DATA for ever, and a deployment would trust it.
    public func putAlarm(_ definition: AlarmDefinition, description: String) async throws -> AlarmDetails {
        _ = try functions.function(definition.functionName)
        if let alias = definition.alias { _ = try functions.alias(alias, of: definition.functionName) }
        if let version = definition.version { _ = try functions.version(version, of: definition.functionName) }
        return Self.details(try alarms.put(definition, description: description))
    }

    public func describeAlarm(_ name: String) async throws -> AlarmDetails {
        Self.details(try alarms.alarm(name))
    }

    public func describeAlarms() async throws -> [AlarmDetails] {
        try alarms.alarms().map(Self.details)
    }

    public func deleteAlarm(_ name: String) async throws {
        try alarms.delete(name)
    }

    public func setAlarmState(_ name: String, to value: AlarmStateValue, reason: String) async throws -> AlarmDetails {
        Self.details(try alarms.setState(name, to: value, reason: reason))
    }

    public func metrics(of function: String, alias: String?, version: String?, since start: Date, period: TimeInterval) async throws -> [MetricsSummary] {
        _ = try functions.function(function)
        let records = try metricsLog(of: function).records(since: start).filter { $0.matches(alias: alias, version: version) }
        return MetricsSummary.summarize(records, period: period, since: start)
    }

    static func details(_ alarm: StoredAlarm) -> AlarmDetails {
        AlarmDetails(name: alarm.definition.name, state: alarm.state, description: alarm.description, definition: alarm.definition)
    }
}

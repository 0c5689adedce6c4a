import Foundation
import ShiftCore
import ShiftStorage

/// Alarms of one account, evaluated from the recorded metrics with CloudWatch's semantics.
///
/// There is no daemon: an alarm is evaluated when it is read, at most once per period, at the latest period
/// boundary (its evaluation instant). Like CloudWatch's, a state set by hand (`set-state`) holds until the
/// next evaluation changes it. Reads that evaluate hold the alarms lock, so concurrent readers agree.
public struct LocalAlarmStore: AlarmSource {
    public let state: StateDirectory
    let clock: any Clock

    public init(state: StateDirectory, clock: any Clock) {
        self.state = state
        self.clock = clock
    }

    /// Creates or replaces an alarm. A new alarm starts in INSUFFICIENT_DATA; a replaced one keeps its state.
    /// - Throws: `ShiftCoreError.invalidValue` for a bad name; `StorageError`.
    @discardableResult
    public func put(_ definition: AlarmDefinition, description: String = "") throws -> StoredAlarm {
        try ResourceName.validateAlarm(definition.name, field: "alarm name")
        return try withAlarmsLock {
            let existing = try read(definition.name)
            let alarm = StoredAlarm(
                definition: definition,
                state: existing?.state ?? AlarmState(value: .insufficientData, reason: "Unchecked: Initial alarm creation", updatedAt: clock.now),
                lastEvaluatedAt: existing?.definition == definition ? existing?.lastEvaluatedAt : nil,
                description: description)
            try JSONFile.write(alarm, to: state.alarmFile(definition.name))
            return alarm
        }
    }

    /// An alarm, evaluated if an evaluation is due.
    /// - Throws: `ShiftCoreError.notFound`; `StorageError`.
    public func alarm(_ name: String) throws -> StoredAlarm {
        try withAlarmsLock { try evaluated(try existing(name)) }
    }

    /// Every alarm of the account, by name, each evaluated if due.
    public func alarms() throws -> [StoredAlarm] {
        try withAlarmsLock {
            try state.entries(in: state.alarmsDirectory, suffix: ".json").compactMap { try read($0) }.map(evaluated)
        }
    }

    /// Deletes an alarm.
    /// - Throws: `ShiftCoreError.notFound`.
    public func delete(_ name: String) throws {
        try withAlarmsLock {
            _ = try existing(name)
            unlink(state.alarmFile(name).path)
            AtomicFile.syncDirectory(state.alarmsDirectory)
        }
    }

    /// Sets an alarm's state by hand, as CloudWatch's SetAlarmState does for drills.
    /// The state holds until the next evaluation instant, when the metrics decide again.
    /// - Throws: `ShiftCoreError.notFound`.
    @discardableResult
    public func setState(_ name: String, to value: AlarmStateValue, reason: String) throws -> StoredAlarm {
        try withAlarmsLock {
            var alarm = try existing(name)
            let now = clock.now
            alarm.state = AlarmState(value: value, reason: reason, updatedAt: now)
            alarm.lastEvaluatedAt = AlarmEvaluator.evaluationInstant(for: alarm.definition, at: now)
            try JSONFile.write(alarm, to: state.alarmFile(name))
            return alarm
        }
    }

    // MARK: AlarmSource

    public func alarmStates(named names: [String]) async throws -> [String: AlarmState] {
        try withAlarmsLock {
            var states: [String: AlarmState] = [:]
            for name in names {
                states[name] = try evaluated(try existing(name)).state
            }
            return states
        }
    }

    public func existingAlarmStates(named names: [String]) async throws -> [String: AlarmState] {
        try withAlarmsLock {
            var states: [String: AlarmState] = [:]
            for name in names where (try? ResourceName.validateAlarm(name)) != nil {
                guard let alarm = try read(name) else { continue }
                states[name] = try evaluated(alarm).state
            }
            return states
        }
    }

    /// Alarm files are read one by one; a read of any size is one lock.
    public var alarmNamesPerRead: Int { 100 }

    // MARK: Internals

    /// `alarm` after the evaluation that is due, written back if anything changed.
    private func evaluated(_ alarm: StoredAlarm) throws -> StoredAlarm {
        let definition = alarm.definition
        let now = clock.now
        let instant = AlarmEvaluator.evaluationInstant(for: definition, at: now)
        if let last = alarm.lastEvaluatedAt, last >= instant { return alarm }
        let lookBack = definition.period * Double(AlarmEvaluator.evaluationRange(for: definition))
        let records = try MetricsLog(directory: state.metricsDirectory(definition.functionName)).records(since: instant.addingTimeInterval(-lookBack))
        let samples = records.samples(of: definition.metric, alias: definition.alias, version: definition.version.map(String.init))
        let evaluation = AlarmEvaluator.evaluate(definition, samples: samples, at: instant, current: alarm.state.value)
        var updated = alarm
        updated.lastEvaluatedAt = instant
        if evaluation.value != alarm.state.value {
            updated.state = AlarmState(value: evaluation.value, reason: evaluation.reason, updatedAt: now)
        }
        try JSONFile.write(updated, to: state.alarmFile(definition.name))
        return updated
    }

    private func existing(_ name: String) throws -> StoredAlarm {
        try ResourceName.validateAlarm(name)
        guard let alarm = try read(name) else {
            throw ShiftCoreError.notFound(kind: "alarm", name: name, hint: "create it with 'shift alarm put \(name) --function F --metric Errors ...' (account '\(state.account)')")
        }
        return alarm
    }

    private func read(_ name: String) throws -> StoredAlarm? {
        try JSONFile.readIfPresent(StoredAlarm.self, from: state.alarmFile(name))
    }

    private func withAlarmsLock<T>(_ body: () throws -> T) throws -> T {
        try FileLock.withLock(at: state.alarmsLock, body)
    }
}

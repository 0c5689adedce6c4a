import Foundation
import ShiftCore

/// An `AlarmSource` held in memory: states a test sets at any time or scripts over time, and faults on demand.
///
/// Lock-protected so a test can change states while the engine polls. A state's `updatedAt` is the clock's time
/// when its value was first seen changed, as CloudWatch's `StateUpdatedTimestamp`.
public final class InMemoryAlarmSource: AlarmSource, @unchecked Sendable {
    /// Gives the values of some alarms at a time; alarms it leaves out keep their set state.
    public typealias Script = @Sendable (Date) -> [String: AlarmStateValue]

    private let clock: any Clock
    // Guarded by `lock`.
    private let lock = NSLock()
    private var states: [String: AlarmState] = [:]
    private var script: Script?
    private var unreadableFrom: Date?
    private var unreadableError: Error = ShiftCoreError.failed(reason: "alarm states could not be read (scripted)")
    private var readTimes: [Date] = []
    private var readNames: [[String]] = []
    private var failingNames: [String: Error] = [:]

    /// How many names one `existingAlarmStates` read takes; more is a test failure (thrown).
    public let alarmNamesPerRead: Int

    /// An alarm source without alarms, on `clock`.
    public init(clock: any Clock, namesPerRead: Int = 100) {
        self.clock = clock
        self.alarmNamesPerRead = namesPerRead
    }

    /// Makes every read that includes `name` throw `error` (as a read CloudWatch throttles past its retries).
    public func failReads(including name: String, with error: Error) {
        lock.withLock { failingNames[name] = error }
    }

    /// The names asked for by each read (successful or failed), in order.
    public var readBatches: [[String]] { lock.withLock { readNames } }

    /// Creates or changes alarm `name`.
    public func set(_ name: String, _ value: AlarmStateValue, reason: String? = nil) {
        let now = clock.now
        lock.withLock { apply(name, value, reason: reason, at: now) }
    }

    /// Makes `script` decide alarm values from the clock's time at each read, e.g. "HighErrors is ALARM from t >= 300 s".
    /// Every alarm it names must also have been `set` once (so that it exists).
    public func script(_ script: @escaping Script) {
        lock.withLock { self.script = script }
    }

    /// Makes every read at or after `date` throw `error`, as when CloudWatch cannot be reached.
    public func makeUnreadable(from date: Date = .distantPast, error: Error? = nil) {
        lock.withLock {
            unreadableFrom = date
            if let error { unreadableError = error }
        }
    }

    /// Makes reads succeed again.
    public func makeReadable() {
        lock.withLock { unreadableFrom = nil }
    }

    /// The clock's time at each successful or failed read, in order.
    public var reads: [Date] { lock.withLock { readTimes } }

    // MARK: AlarmSource

    /// The states of `names`, after applying the script at the clock's time.
    /// - Throws: the scripted error when unreadable; `ShiftCoreError.notFound` for an alarm never `set`.
    public func alarmStates(named names: [String]) async throws -> [String: AlarmState] {
        let found = try read(names)
        if let missing = names.first(where: { found[$0] == nil }) {
            throw ShiftCoreError.notFound(kind: "alarm", name: missing, hint: "set it in the test first")
        }
        return found
    }

    /// The states of those of `names` that were `set`, after applying the script at the clock's time.
    /// - Throws: the scripted error when unreadable, or when a name `failReads(including:with:)` names is asked for;
    ///   `ShiftCoreError.failed` for more than `alarmNamesPerRead` names.
    public func existingAlarmStates(named names: [String]) async throws -> [String: AlarmState] {
        guard names.count <= alarmNamesPerRead else {
            throw ShiftCoreError.failed(reason: "\(names.count) names in one read; this source takes at most \(alarmNamesPerRead)")
        }
        return try read(names)
    }

    private func read(_ names: [String]) throws -> [String: AlarmState] {
        let now = clock.now
        return try lock.withLock {
            readTimes.append(now)
            readNames.append(names)
            if let unreadableFrom, now >= unreadableFrom { throw unreadableError }
            if let failing = names.lazy.compactMap({ self.failingNames[$0] }).first { throw failing }
            if let script {
                for (name, value) in script(now) where states[name] != nil { apply(name, value, reason: nil, at: now) }
            }
            var found: [String: AlarmState] = [:]
            for name in names {
                found[name] = states[name]
            }
            return found
        }
    }

    /// Call with `lock` held.
    private func apply(_ name: String, _ value: AlarmStateValue, reason: String?, at now: Date) {
        if let current = states[name], current.value == value, reason == nil { return }
        let text = reason ?? "\(name) went to \(value.rawValue) (scripted)"
        let since = states[name].flatMap { $0.value == value ? $0.updatedAt : nil } ?? now
        states[name] = AlarmState(value: value, reason: text, updatedAt: since)
    }
}

import Foundation

/// Reads the alarms of many deployments together: a deploy stage of 100 functions, each polling its alarms every
/// 10 s, makes one read of every name the stage's deployments watch per poll interval (in reads of at most
/// `alarmNamesPerRead` names: DescribeAlarms takes 100), not 100 reads of their own.
///
/// Each deployment asks as it always does; the answer is that of the latest read when it is younger than
/// `freshness` (the stage's shortest poll interval), so a deployment sees states at most one interval old. When it
/// is older, one read of every name asked for in the last `retention` seconds starts, and every deployment that
/// asks meanwhile waits for it; a name never read joins the next read (names asked for while a read is under way
/// wait for its end and go together). One read at a time.
///
/// What one deployment sees is what it would have seen alone: a missing alarm is reported to the deployment that
/// named it, with the platform's own error (read again for it alone), a read that fails reaches only the
/// deployments with a name in it, which see that failure until the next read, and what the platform noted about a
/// read (a retry after throttling) goes to the notes of each deployment that waited for it (``PlatformNotices``).
public actor BatchedAlarmSource: AlarmSource {
    /// Reads of any size are split here, so callers may ask for any number of names.
    public nonisolated var alarmNamesPerRead: Int { .max }

    private let source: any AlarmSource
    private let clock: any Clock
    /// How long one read's answers serve everyone.
    public nonisolated let freshness: TimeInterval
    /// How long a name stays in every read after it was last asked for (its deployment ended, or is in a hook).
    public nonisolated let retention: TimeInterval

    private enum Answer {
        case state(AlarmState)
        case missing
        case failed(any Error)
    }

    private var answers: [String: (answer: Answer, readAt: Date)] = [:]
    private var lastAsked: [String: Date] = [:]
    /// Names in the order first asked for, so that one deployment's names share a read.
    private var order: [String] = []
    /// A read: the platform's notes about its calls, by name read.
    private typealias Round = Task<[String: [String]], Never>
    private var inFlight: (names: Set<String>, task: Round)?
    private var queued: (names: [String], task: Round)?
    private var calls = 0
    private var names = 0

    /// - Parameters:
    ///   - source: the platform's alarms.
    ///   - freshness: how old an answer may be (seconds): the shortest poll interval of the deployments.
    ///   - retention: how long a name not asked for stays in the reads; at least `freshness`, by default three times it.
    public init(source: any AlarmSource, clock: any Clock, freshness: TimeInterval, retention: TimeInterval? = nil) {
        self.source = source
        self.clock = clock
        self.freshness = freshness
        self.retention = max(freshness, retention ?? 3 * freshness)
    }

    /// Calls made to the platform so far (reads of up to `alarmNamesPerRead` names each, and the reads of a missing
    /// alarm for its deployment alone).
    public var platformCalls: Int { calls }

    /// Distinct alarm names asked for so far.
    public var namesAsked: Int { names }

    /// - Throws: the platform's error for a missing alarm; the error of the read that carried a name.
    public func alarmStates(named names: [String]) async throws -> [String: AlarmState] {
        let found = try await existingAlarmStates(named: names)
        let missing = names.filter { found[$0] == nil }
        guard !missing.isEmpty else { return found }
        // The platform's own words (and hint) for the deployment that named a missing alarm, and nobody else.
        calls += 1
        return found.merging(try await source.alarmStates(named: missing)) { _, again in again }
    }

    /// - Throws: the error of the read that carried one of `names`.
    public func existingAlarmStates(named names: [String]) async throws -> [String: AlarmState] {
        let now = clock.now
        for name in names where lastAsked[name] == nil {
            order.append(name)
            self.names += 1
        }
        for name in names { lastAsked[name] = now }
        let needed = names.filter { name in answers[name].map { now.timeIntervalSince($0.readAt) >= freshness } ?? true }
        if !needed.isEmpty {
            let round: Round
            if let inFlight, needed.allSatisfy(inFlight.names.contains) {
                round = inFlight.task
            } else if needed.contains(where: { answers[$0] != nil }) {
                // Stale: everyone's names are read again, so that every deployment polls on one beat.
                round = enqueue(order.filter { lastAsked[$0].map { now.timeIntervalSince($0) <= retention } ?? false })
            } else {
                round = enqueue(needed)
            }
            let notes = await round.value
            var seen = Set<String>()
            for note in names.flatMap({ notes[$0] ?? [] }) where seen.insert(note).inserted {
                PlatformNotices.current?.append(note)
            }
        }
        var states: [String: AlarmState] = [:]
        for name in names {
            switch answers[name]?.answer {
            case let .state(state)?: states[name] = state
            case .missing?, nil: break
            case let .failed(error)?: throw error
            }
        }
        return states
    }

    /// The read that will carry `names`: the one waiting for the read under way, or a new one.
    private func enqueue(_ names: [String]) -> Round {
        if var waiting = queued {
            let present = Set(waiting.names)
            waiting.names += names.filter { !present.contains($0) }
            queued = waiting
            return waiting.task
        }
        let previous = inFlight?.task
        let task = Round {
            _ = await previous?.value
            return await self.readQueued()
        }
        var unique = Set<String>()
        queued = (names.filter { unique.insert($0).inserted }, task)
        return task
    }

    /// Reads the queued names, `alarmNamesPerRead` a call, the calls at once; each call's answer or error goes to
    /// its own names, and so do the platform's notes about it.
    private func readQueued() async -> [String: [String]] {
        guard let (names, task) = queued else { return [:] }
        queued = nil
        inFlight = (Set(names), task)
        defer { inFlight = nil }
        let readAt = clock.now
        let size = max(1, source.alarmNamesPerRead)
        let batches = stride(from: 0, to: names.count, by: size).map { Array(names[$0..<min(names.count, $0 + size)]) }
        calls += batches.count
        let source = self.source
        let results = await withTaskGroup(of: (Int, Result<[String: AlarmState], any Error>, [String]).self) { group in
            for (position, batch) in batches.enumerated() {
                group.addTask {
                    let notices = PlatformNotices()
                    let result = await PlatformNotices.$current.withValue(notices) {
                        do { return Result<[String: AlarmState], any Error>.success(try await source.existingAlarmStates(named: batch)) } catch { return .failure(error) }
                    }
                    return (position, result, notices.drain())
                }
            }
            var results: [Int: (Result<[String: AlarmState], any Error>, [String])] = [:]
            for await (position, result, notes) in group { results[position] = (result, notes) }
            return results
        }
        var notes: [String: [String]] = [:]
        for (position, batch) in batches.enumerated() {
            for name in batch {
                if let batchNotes = results[position]?.1, !batchNotes.isEmpty { notes[name] = batchNotes }
                switch results[position]?.0 {
                case let .success(states)?: answers[name] = (states[name].map(Answer.state) ?? .missing, readAt)
                case let .failure(error)?: answers[name] = (.failed(error), readAt)
                case nil: break
                }
            }
        }
        return notes
    }
}

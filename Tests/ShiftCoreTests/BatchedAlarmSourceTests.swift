import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

/// One read of every name a stage's deployments watch per poll interval, in reads of at most the platform's
/// names per read, with each deployment seeing exactly what it would have seen alone.
final class BatchedAlarmSourceTests: XCTestCase {
    private var clock: ManualClock!
    private var platform: InMemoryAlarmSource!

    override func setUp() {
        clock = ManualClock()
        platform = InMemoryAlarmSource(clock: clock)
    }

    /// `count` deployments watching `perDeployment` alarms each, all OK.
    private func deployments(_ count: Int, alarms perDeployment: Int) -> [[String]] {
        (0..<count).map { deployment in
            (0..<perDeployment).map { alarm in
                let name = "f\(deployment)-alarm\(alarm)"
                platform.set(name, .ok)
                return name
            }
        }
    }

    /// Every deployment polls once, all at the same time, as the engines of a stage do at one clock reading.
    private func pollTogether(_ source: BatchedAlarmSource, _ deployments: [[String]]) async throws -> [[String: AlarmState]] {
        try await withThrowingTaskGroup(of: (Int, [String: AlarmState]).self) { group in
            for (position, names) in deployments.enumerated() {
                group.addTask { (position, try await source.alarmStates(named: names)) }
            }
            var answers = [[String: AlarmState]](repeating: [:], count: deployments.count)
            for try await (position, states) in group { answers[position] = states }
            return answers
        }
    }

    func testHundredTwentyDeployments_readTheir270AlarmsInThreeCallsPerPollInterval() async throws {
        // 120 deployments: 10 watch 5 alarms, 110 watch 2 (50 + 220 = 270 names: ceil(270 / 100) = 3 reads).
        let watched = deployments(10, alarms: 5) + deployments(110, alarms: 2).enumerated().map { position, names in names.map { "g\(position)-\($0)" } }
        for name in watched.joined() { platform.set(name, .ok) }
        let names = Set(watched.joined())
        XCTAssertEqual(names.count, 270)
        let source = BatchedAlarmSource(source: platform, clock: clock, freshness: 10)

        // The first poll: every name is new, and those asked while a read is under way go together in the next.
        let first = try await pollTogether(source, watched)
        XCTAssertEqual(first.map(\.count), watched.map(\.count))
        let firstCalls = platform.readBatches.count
        XCTAssertLessThanOrEqual(firstCalls, watched.count)

        for interval in 1...5 {
            clock.advance(by: 10)
            let before = platform.readBatches.count
            let answers = try await pollTogether(source, watched)
            XCTAssertEqual(answers.map { Set($0.keys) }, watched.map(Set.init), "each deployment gets its own names")
            let batches = Array(platform.readBatches[before...])
            XCTAssertEqual(batches.count, 3, "interval \(interval): ceil(270 / 100) reads")
            XCTAssertEqual(Set(batches.joined()), names, "every name, once")
            XCTAssertEqual(batches.joined().count, 270)
            XCTAssertTrue(batches.allSatisfy { $0.count <= 100 })
        }
        let calls = await source.platformCalls
        XCTAssertEqual(calls, firstCalls + 15)
    }

    func testPollsWithinOneInterval_shareOneRead_andSeeStatesAtMostOneIntervalOld() async throws {
        platform.set("a", .ok)
        platform.set("b", .ok)
        let source = BatchedAlarmSource(source: platform, clock: clock, freshness: 10)
        _ = try await source.alarmStates(named: ["a"])
        clock.advance(by: 1)
        _ = try await source.alarmStates(named: ["b"])  // a name never read joins a read of its own
        XCTAssertEqual(platform.readBatches, [["a"], ["b"]])

        clock.advance(by: 9)  // a's answer is 10 s old: everyone's names are read again, together
        platform.set("b", .alarm)
        let a = try await source.alarmStates(named: ["a"])
        XCTAssertEqual(a["a"]?.value, .ok)
        XCTAssertEqual(platform.readBatches.last, ["a", "b"])
        clock.advance(by: 5)
        let fiveSecondsLater = try await source.alarmStates(named: ["b"])
        XCTAssertEqual(fiveSecondsLater["b"]?.value, .alarm, "b was read with a, 5 s ago")
        platform.set("b", .ok)
        clock.advance(by: 4)
        let nineSecondsLater = try await source.alarmStates(named: ["b"])
        XCTAssertEqual(nineSecondsLater["b"]?.value, .alarm, "9 s old: still the last read's")
        XCTAssertEqual(platform.readBatches.count, 3)
        clock.advance(by: 1)
        let tenSecondsLater = try await source.alarmStates(named: ["b"])
        XCTAssertEqual(tenSecondsLater["b"]?.value, .ok, "10 s old: read again")
        XCTAssertEqual(platform.readBatches.count, 4)
    }

    func testMissingAlarm_failsOnlyTheDeploymentThatNamedIt_withThePlatformsError() async throws {
        platform.set("a-errors", .ok)
        platform.set("b-errors", .alarm)
        let source = BatchedAlarmSource(source: platform, clock: clock, freshness: 10)
        async let a = Result { try await source.alarmStates(named: ["a-errors", "a-typo"]) }
        async let b = Result { try await source.alarmStates(named: ["b-errors"]) }
        let (answerA, answerB) = await (a, b)
        XCTAssertThrowsError(try answerA.get()) { error in
            guard case let ShiftCoreError.notFound(_, name, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "a-typo")
        }
        XCTAssertEqual(try answerB.get()["b-errors"]?.value, .alarm)
    }

    func testFailedRead_reachesOnlyTheDeploymentsWithANameInIt() async throws {
        platform = InMemoryAlarmSource(clock: clock, namesPerRead: 2)
        for name in ["x1", "x2", "y1", "y2"] { platform.set(name, .ok) }
        let source = BatchedAlarmSource(source: platform, clock: clock, freshness: 10)
        _ = try await source.alarmStates(named: ["x1", "x2"])
        _ = try await source.alarmStates(named: ["y1", "y2"])
        platform.failReads(including: "x1", with: ShiftCoreError.failed(reason: "Throttling: Rate exceeded (after 5 attempts)"))
        clock.advance(by: 10)

        let answers = await [["x1", "x2"], ["y1", "y2"]].asyncMap { names in await Result { try await source.alarmStates(named: names) } }
        // The batches are read at once, so in either order.
        XCTAssertEqual(Set(platform.readBatches.suffix(2)), [["x1", "x2"], ["y1", "y2"]], "one read of both batches")
        XCTAssertThrowsError(try answers[0].get()) { XCTAssertTrue("\($0)".contains("Throttling"), "\($0)") }
        XCTAssertEqual(try answers[1].get().mapValues(\.value), ["y1": .ok, "y2": .ok])
        // Within the interval the failure is the answer for x's deployment, without another call.
        clock.advance(by: 5)
        let cached = await Result { try await source.alarmStates(named: ["x2"]) }
        XCTAssertThrowsError(try cached.get())
        XCTAssertEqual(platform.readBatches.count, 4)
    }

    func testNamesNobodyAsksFor_leaveTheReadsAfterTheRetention() async throws {
        platform.set("done", .ok)
        platform.set("running", .ok)
        let source = BatchedAlarmSource(source: platform, clock: clock, freshness: 10, retention: 30)
        _ = try await source.alarmStates(named: ["done"])
        _ = try await source.alarmStates(named: ["running"])
        for _ in 1...4 {
            clock.advance(by: 10)
            _ = try await source.alarmStates(named: ["running"])
        }
        XCTAssertEqual(platform.readBatches, [["done"], ["running"], ["done", "running"], ["done", "running"], ["done", "running"], ["running"]])
    }
}

extension Result where Failure == Error {
    fileprivate init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async -> T) async -> [T] {
        var mapped: [T] = []
        for element in self { mapped.append(await transform(element)) }
        return mapped
    }
}

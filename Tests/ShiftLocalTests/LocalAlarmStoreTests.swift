import ShiftCore
import ShiftLocal
import ShiftStorage
import ShiftTestSupport
import XCTest

final class LocalAlarmStoreTests: XCTestCase {
    var directory: TemporaryDirectory!
    var clock: ManualClock!
    var state: StateDirectory!
    var alarms: LocalAlarmStore!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        // A period boundary, so that the arithmetic below reads plainly.
        clock = ManualClock(now: Date(timeIntervalSince1970: 1_800_000_000))
        state = try StateDirectory(root: directory.url, account: "default")
        alarms = LocalAlarmStore(state: state, clock: clock)
    }

    override func tearDown() { directory.remove() }

    private func errorsAlarm(period: TimeInterval = 10) throws -> AlarmDefinition {
        try AlarmDefinition(name: "errors", functionName: "orders", alias: "live", metric: .errors, statistic: .sum, period: period,
                            evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 2, comparison: .greaterThanOrEqualToThreshold, treatMissingData: .notBreaching)
    }

    private func recordInvocations(errors: Int, successes: Int, alias: String = "live") throws {
        let log = MetricsLog(directory: state.metricsDirectory("orders"))
        for index in 0..<(errors + successes) {
            try log.append(InvocationRecord(timestamp: clock.now, alias: alias, executedVersion: "2", durationMilliseconds: 5, isError: index < errors))
        }
    }

    func testNewAlarm_startsInInsufficientData() throws {
        let alarm = try alarms.put(try errorsAlarm())
        XCTAssertEqual(alarm.state.value, .insufficientData)
    }

    func testRecordedErrors_driveAlarmIntoAlarmAtNextPeriodBoundary() throws {
        try alarms.put(try errorsAlarm())
        clock.advance(by: 1)
        try recordInvocations(errors: 3, successes: 5)
        // The period [0, 10) is not complete yet: the evaluation at t=0 sees nothing breaching.
        XCTAssertNotEqual(try alarms.alarm("errors").state.value, .alarm)
        clock.advance(by: 9)
        let alarm = try alarms.alarm("errors")
        XCTAssertEqual(alarm.state.value, .alarm)
        XCTAssertEqual(alarm.state.updatedAt, clock.now)
        XCTAssertTrue(alarm.state.reason.contains("Threshold Crossed"), alarm.state.reason)
    }

    func testDamagedMetricsLog_makesTheAlarmUnreadable_notQuiet() throws {
        try alarms.put(try errorsAlarm())
        let log = state.metricsDirectory("orders").appendingPathComponent("metrics.tsv")
        try FileManager.default.createDirectory(at: state.metricsDirectory("orders"), withIntermediateDirectories: true)
        try Data(repeating: 0, count: 1024).write(to: log)
        clock.advance(by: 10)
        XCTAssertThrowsError(try alarms.alarm("errors")) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput, "\(error)")
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains(log.path) == true, "\(error)")
        }
    }

    func testErrorsOnOtherAlias_areNotCounted() throws {
        try alarms.put(try errorsAlarm())
        clock.advance(by: 1)
        try recordInvocations(errors: 5, successes: 0, alias: "beta")
        clock.advance(by: 10)
        XCTAssertEqual(try alarms.alarm("errors").state.value, .ok)
    }

    func testSetState_holdsUntilNextEvaluation() async throws {
        try alarms.put(try errorsAlarm())
        clock.advance(by: 11)
        XCTAssertEqual(try alarms.alarm("errors").state.value, .ok)
        clock.advance(by: 1)
        try alarms.setState("errors", to: .alarm, reason: "drill")
        clock.advance(by: 5)
        let during = try await alarms.alarmStates(named: ["errors"])
        XCTAssertEqual(during["errors"]?.value, .alarm)
        XCTAssertEqual(during["errors"]?.reason, "drill")
        clock.advance(by: 5)
        XCTAssertEqual(try alarms.alarm("errors").state.value, .ok, "the next evaluation decides from the metrics again")
    }

    func testUnknownAlarm_isNotFound() async throws {
        do {
            _ = try await alarms.alarmStates(named: ["nope"])
            XCTFail("an unknown alarm was read")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
        }
    }

    func testPutReplacingDefinition_keepsStateButEvaluatesAgain() throws {
        try alarms.put(try errorsAlarm())
        clock.advance(by: 10)
        XCTAssertEqual(try alarms.alarm("errors").state.value, .ok)
        let replaced = try alarms.put(try errorsAlarm(period: 20))
        XCTAssertEqual(replaced.state.value, .ok)
        XCTAssertNil(replaced.lastEvaluatedAt)
    }
}

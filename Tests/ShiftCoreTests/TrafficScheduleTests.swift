import Foundation
import ShiftCore
import XCTest

final class TrafficScheduleTests: XCTestCase {
    // MARK: - Timeline

    func testTimeline_firstStepAtZero_eachNextAfterThePreviousHold() throws {
        let schedule = try TrafficSchedule(steps: [step(5, hold: 120), step(50, hold: 600), step(100)])

        XCTAssertEqual(schedule.timeline, [entry(0, 5), entry(120, 50), entry(720, 100)])
    }

    func testTotalDuration_isTheSumOfTheHolds() throws {
        let schedule = try TrafficSchedule(steps: [step(5, hold: 120), step(50, hold: 600), step(100)])

        XCTAssertEqual(schedule.totalDuration, 720)
    }

    func testTotalDuration_equalsTheLastStepsOffset() throws {
        let schedule = try TrafficSchedule(steps: [step(1, hold: 7), step(2, hold: 11), step(3, hold: 13), step(100)])

        XCTAssertEqual(schedule.totalDuration, schedule.timeline.last?.offset)
    }

    func testOffsetOfStep_isTheHoldsBeforeIt() throws {
        let schedule = try TrafficSchedule(steps: [step(5, hold: 120), step(50, hold: 600), step(100)])

        XCTAssertEqual(schedule.offset(ofStep: 0), 0)
        XCTAssertEqual(schedule.offset(ofStep: 1), 120)
        XCTAssertEqual(schedule.offset(ofStep: 2), 720)
    }

    func testOffsetOfStep_matchesTheTimeline() throws {
        let schedule = try TrafficSchedule(steps: [step(10, hold: 30), step(20, hold: 0), step(30, hold: 45), step(100)])

        XCTAssertEqual(schedule.steps.indices.map { schedule.offset(ofStep: $0) }, schedule.timeline.map(\.offset))
    }

    func testSingleStepAtFull_isValid_andTakesNoTime() throws {
        let schedule = try TrafficSchedule(steps: [step(100)])

        XCTAssertEqual(schedule.timeline, [entry(0, 100)])
        XCTAssertEqual(schedule.totalDuration, 0)
    }

    func testZeroHoldBetweenSteps_isAllowed() throws {
        let schedule = try TrafficSchedule(steps: [step(10, hold: 0), step(100)])

        XCTAssertEqual(schedule.timeline, [entry(0, 10), entry(0, 100)])
    }

    func testFractionalWeightsAndHolds_areAllowed() throws {
        let schedule = try TrafficSchedule(steps: [step(2.5, hold: 0.5), step(100)])

        XCTAssertEqual(schedule.timeline, [entry(0, 2.5), entry(0.5, 100)])
    }

    func testExactlyTheLimit_isAllowed() throws {
        let schedule = try TrafficSchedule(steps: [step(10, hold: 1_440 * 60), step(50, hold: 1_440 * 60), step(100)])

        XCTAssertEqual(schedule.totalDuration, 2_880 * 60)
        XCTAssertEqual(TrafficSchedule.maximumTotalDuration, 172_800)
    }

    // MARK: - Rules

    func testEmptySteps_areRejected() {
        assertRejected([], field: "steps", value: "[]", expected: "at least one step, the last at 100%")
    }

    func testFirstStepAtZero_isRejected() {
        assertRejected(
            [step(0, hold: 60), step(100)], field: "steps[0].weight", value: "0%",
            expected: "more than 0%: every step must move traffic to the target version")
    }

    func testEqualWeights_areRejected() {
        assertRejected(
            [step(10, hold: 60), step(10, hold: 60), step(100)], field: "steps[1].weight", value: "10%",
            expected: "more than the previous step's 10%: weights must strictly increase")
    }

    func testDecreasingWeights_areRejected() {
        assertRejected(
            [step(10, hold: 60), step(30, hold: 60), step(20, hold: 60), step(100)], field: "steps[2].weight", value: "20%",
            expected: "more than the previous step's 30%: weights must strictly increase")
    }

    func testStepAfterFull_isRejectedAsNotIncreasing() {
        assertRejected(
            [step(100, hold: 0), step(100)], field: "steps[1].weight", value: "100%",
            expected: "more than the previous step's 100%: weights must strictly increase")
    }

    func testLastStepBelowFull_isRejected() {
        assertRejected(
            [step(10, hold: 60), step(90)], field: "steps[1].weight", value: "90%",
            expected: "100% on the last step: a schedule ends with all traffic on the target version")
    }

    func testLastStepHolding_isRejected_becauseBakeIsSeparate() {
        assertRejected(
            [step(10, hold: 60), step(100, hold: 300)], field: "steps[1].hold", value: "5m",
            expected: "0 on the last step: the bake time after 100% is a separate deployment option")
    }

    func testNegativeHold_isRejected() {
        assertRejected(
            [step(10, hold: -1), step(100)], field: "steps[0].hold", value: "-1",
            expected: "a finite number of seconds, 0 or more")
    }

    func testNaNHold_isRejected() {
        assertRejected(
            [step(10, hold: .nan), step(100)], field: "steps[0].hold", value: "nan",
            expected: "a finite number of seconds, 0 or more")
    }

    func testInfiniteHold_isRejected() {
        assertRejected(
            [step(10, hold: .infinity), step(100)], field: "steps[0].hold", value: "inf",
            expected: "a finite number of seconds, 0 or more")
    }

    func testInfiniteHoldOnLastStep_isRejectedAsNotFinite() {
        assertRejected(
            [step(10, hold: 60), step(100, hold: .infinity)], field: "steps[1].hold", value: "inf",
            expected: "a finite number of seconds, 0 or more")
    }

    func testOneSecondOverTheLimit_isRejected() {
        assertRejected(
            [step(10, hold: 2_880 * 60 + 1), step(100)], field: "steps", value: "48h1s from the first to the last shift",
            expected: "at most 2880 minutes (48h) from the first to the last traffic shift, CodeDeploy's limit")
    }

    func testOverTheLimit_isReportedAtTheStepThatCrossesIt() {
        assertRejected(
            [step(10, hold: 1_440 * 60), step(20, hold: 1_440 * 60), step(30, hold: 60), step(100)],
            field: "steps", value: "48h1m from the first to the last shift",
            expected: "at most 2880 minutes (48h) from the first to the last traffic shift, CodeDeploy's limit")
    }

    func testRules_areCheckedInStepOrder() {
        // Step 1 holds a negative time and step 2 decreases: the earlier step is reported.
        assertRejected(
            [step(10, hold: 60), step(20, hold: -5), step(15, hold: 60), step(100)], field: "steps[1].hold", value: "-5",
            expected: "a finite number of seconds, 0 or more")
    }

    func testError_readsAsOneLine() {
        XCTAssertThrowsError(try TrafficSchedule(steps: [step(10, hold: 60), step(90)])) { error in
            XCTAssertEqual(
                (error as? LocalizedError)?.errorDescription,
                "steps[1].weight is '90%'; expected 100% on the last step: a schedule ends with all traffic on the target version")
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
        }
    }

    // MARK: - Coding

    func testEncoding_isStepsWithWeightAsAFractionAndHoldInSeconds() throws {
        let schedule = try TrafficSchedule(steps: [step(10, hold: 300), step(100)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]

        let json = String(decoding: try encoder.encode(schedule), as: UTF8.self)

        XCTAssertEqual(json, #"{"steps":[{"hold":300,"weight":0.1},{"hold":0,"weight":1}]}"#)
    }

    func testEncodeThenDecode_roundTrips() throws {
        let schedule = try TrafficSchedule(steps: [step(5, hold: 120), step(50, hold: 600), step(100)])

        let decoded = try JSONDecoder().decode(TrafficSchedule.self, from: JSONEncoder().encode(schedule))

        XCTAssertEqual(decoded, schedule)
    }

    func testDecoding_appliesTheRules() {
        let json = Data(#"{"steps":[{"weight":0.5,"hold":60},{"weight":0.2,"hold":60},{"weight":1,"hold":0}]}"#.utf8)

        XCTAssertThrowsError(try JSONDecoder().decode(TrafficSchedule.self, from: json)) { error in
            XCTAssertEqual(
                error as? ShiftCoreError,
                .invalidValue(field: "steps[1].weight", value: "20%", expected: "more than the previous step's 50%: weights must strictly increase"))
        }
    }

    func testDecoding_rejectsEmptySteps() {
        XCTAssertThrowsError(try JSONDecoder().decode(TrafficSchedule.self, from: Data(#"{"steps":[]}"#.utf8))) { error in
            XCTAssertEqual(error as? ShiftCoreError, .invalidValue(field: "steps", value: "[]", expected: "at least one step, the last at 100%"))
        }
    }

    func testDecoding_rejectsLastStepHolding() {
        let json = Data(#"{"steps":[{"weight":1,"hold":60}]}"#.utf8)

        XCTAssertThrowsError(try JSONDecoder().decode(TrafficSchedule.self, from: json)) { error in
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
        }
    }

    func testDecoding_rejectsAWeightAboveOne() {
        let json = Data(#"{"steps":[{"weight":1.5,"hold":0}]}"#.utf8)

        XCTAssertThrowsError(try JSONDecoder().decode(TrafficSchedule.self, from: json)) { error in
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
        }
    }

    func testDecoding_rejectsMissingSteps() {
        XCTAssertThrowsError(try JSONDecoder().decode(TrafficSchedule.self, from: Data("{}".utf8))) { error in
            XCTAssertTrue(error is DecodingError, "\(error)")
        }
    }

    // MARK: - Helpers

    private func step(_ percent: Double, hold: TimeInterval = 0) -> TrafficStep {
        TrafficStep(weight: weight(percent), hold: hold)
    }

    private func entry(_ offset: TimeInterval, _ percent: Double) -> TrafficSchedule.TimelineEntry {
        TrafficSchedule.TimelineEntry(offset: offset, weight: weight(percent))
    }

    private func weight(_ percent: Double) -> Weight {
        do { return try Weight(percent: percent) } catch { fatalError("\(error)") }
    }

    private func assertRejected(
        _ steps: [TrafficStep], field: String, value: String, expected: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try TrafficSchedule(steps: steps), file: file, line: line) { error in
            XCTAssertEqual(
                error as? ShiftCoreError, .invalidValue(field: field, value: value, expected: expected),
                file: file, line: line)
        }
    }
}

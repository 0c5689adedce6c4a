import XCTest
@testable import ShiftCore

/// 2024-01-01 12:00:00 UTC: a multiple of every period used here, so it is an evaluation instant.
private let noon = Date(timeIntervalSince1970: 1_704_110_400)

/// What a row of the CloudWatch guide's tables expects for one treatment.
private enum Outcome {
    case state(AlarmStateValue)
    /// "Retain current state".
    case retainsCurrent
}

private let ok = Outcome.state(.ok)
private let alarm = Outcome.state(.alarm)
private let insufficientData = Outcome.state(.insufficientData)

final class AlarmEvaluatorTests: XCTestCase {
    // MARK: Helpers

    /// Maximum of each period, breaching above 1.0, one-minute periods unless told otherwise.
    private func makeDefinition(
        evaluationPeriods: Int = 3,
        datapointsToAlarm: Int = 3,
        treatMissingData: MissingDataTreatment = .missing,
        statistic: Statistic = .maximum,
        comparison: ComparisonOperator = .greaterThanThreshold,
        threshold: Double = 1,
        period: TimeInterval = 60
    ) throws -> AlarmDefinition {
        try AlarmDefinition(
            name: "test-alarm", functionName: "orders", metric: .errors, statistic: statistic, period: period,
            evaluationPeriods: evaluationPeriods, datapointsToAlarm: datapointsToAlarm, threshold: threshold,
            comparison: comparison, treatMissingData: treatMissingData)
    }

    /// Samples written as the guide writes datapoints: oldest first, one slot per period of the range that ends at
    /// `instant`; "X" breaches (5.0), "0" does not (0.0), "-" has no samples.
    private func samples(_ row: String, period: TimeInterval = 60, endingAt instant: Date = noon) -> [MetricSample] {
        let slots = row.split(separator: " ")
        return slots.enumerated().compactMap { index, slot in
            let start = instant.addingTimeInterval(-Double(slots.count - index) * period)
            switch slot {
            case "X": return MetricSample(timestamp: start.addingTimeInterval(1), value: 5)
            case "0": return MetricSample(timestamp: start.addingTimeInterval(1), value: 0)
            default: return nil
            }
        }
    }

    private func evaluate(
        _ definition: AlarmDefinition, _ samples: [MetricSample], at instant: Date = noon, current: AlarmStateValue = .ok
    ) -> AlarmEvaluation {
        AlarmEvaluator.evaluate(definition, samples: samples, at: instant, current: current)
    }

    /// Asserts one row of a table in the guide, for every treatment and from every current state.
    private func assertRow(
        _ row: String, datapointsToAlarm: Int, evaluationPeriods: Int,
        missing: Outcome, ignore: Outcome, breaching: Outcome, notBreaching: Outcome,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let expectations: [(MissingDataTreatment, Outcome)] = [
            (.missing, missing), (.ignore, ignore), (.breaching, breaching), (.notBreaching, notBreaching),
        ]
        for (treatment, outcome) in expectations {
            let definition = try makeDefinition(
                evaluationPeriods: evaluationPeriods, datapointsToAlarm: datapointsToAlarm, treatMissingData: treatment)
            for current in AlarmStateValue.allCases {
                let expected: AlarmStateValue
                switch outcome {
                case let .state(value): expected = value
                case .retainsCurrent: expected = current
                }
                let evaluation = evaluate(definition, samples(row), current: current)
                XCTAssertEqual(
                    evaluation.value, expected, "'\(row)' \(datapointsToAlarm) of \(evaluationPeriods), \(treatment), from \(current)",
                    file: file, line: line)
            }
        }
    }

    // MARK: Evaluation instant

    func testEvaluationInstant_alignsDownToAMultipleOfThePeriodSinceTheEpoch() throws {
        let definition = try makeDefinition(period: 60)
        XCTAssertEqual(AlarmEvaluator.evaluationInstant(for: definition, at: noon.addingTimeInterval(59.999)), noon)
        XCTAssertEqual(AlarmEvaluator.evaluationInstant(for: definition, at: noon.addingTimeInterval(61)), noon.addingTimeInterval(60))
    }

    func testEvaluationInstant_onABoundary_isThatBoundary() throws {
        XCTAssertEqual(AlarmEvaluator.evaluationInstant(for: try makeDefinition(period: 300), at: noon), noon)
    }

    func testEvaluationInstant_withAPeriodThatDoesNotDivideAnHour_alignsToTheEpochNotTheHour() throws {
        let definition = try makeDefinition(period: 7)
        XCTAssertEqual(
            AlarmEvaluator.evaluationInstant(for: definition, at: Date(timeIntervalSince1970: 100)),
            Date(timeIntervalSince1970: 98))
        // noon is 1_704_110_400 = 7 × 243_444_342 + 6.
        XCTAssertEqual(AlarmEvaluator.evaluationInstant(for: definition, at: noon), noon.addingTimeInterval(-6))
    }

    func testEvaluationInstant_beforeTheEpoch_alignsDown() throws {
        XCTAssertEqual(
            AlarmEvaluator.evaluationInstant(for: try makeDefinition(period: 60), at: Date(timeIntervalSince1970: -1)),
            Date(timeIntervalSince1970: -60))
    }

    // MARK: The evaluation range and its datapoints

    func testEvaluationRange_isEvaluationPeriodsPlusTwo_asInTheGuidesExamples() throws {
        XCTAssertEqual(AlarmEvaluator.evaluationRange(for: try makeDefinition(evaluationPeriods: 3, datapointsToAlarm: 3)), 5)
        XCTAssertEqual(AlarmEvaluator.evaluationRange(for: try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1)), 3)
    }

    func testDatapoints_coverTheRangeOldestFirst_withNilForMissingPeriods() throws {
        let evaluation = evaluate(try makeDefinition(), samples("0 - X - X"))
        XCTAssertEqual(evaluation.datapoints, [0, nil, 5, nil, 5])
    }

    func testPeriods_groupSamplesFromTheirStartUpToButExcludingTheNextStart() throws {
        let definition = try makeDefinition(evaluationPeriods: 2, datapointsToAlarm: 1, statistic: .sum)
        let samples = [
            MetricSample(timestamp: noon.addingTimeInterval(-120), value: 1),
            MetricSample(timestamp: noon.addingTimeInterval(-60.001), value: 2),
            MetricSample(timestamp: noon.addingTimeInterval(-60), value: 4),
            MetricSample(timestamp: noon.addingTimeInterval(-0.001), value: 8),
        ]
        XCTAssertEqual(evaluate(definition, samples).datapoints, [nil, nil, 3, 12])
    }

    func testSampleAtTheInstant_belongsToTheNextPeriod_andIsIgnored() throws {
        let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1)
        let evaluation = evaluate(definition, [MetricSample(timestamp: noon, value: 5)])
        XCTAssertEqual(evaluation.datapoints, [nil, nil, nil])
        XCTAssertEqual(evaluation.value, .insufficientData)
    }

    func testSamplesAfterTheInstant_areIgnored() throws {
        let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1)
        let samples = samples("- - 0") + [
            MetricSample(timestamp: noon.addingTimeInterval(1), value: 5),
            MetricSample(timestamp: noon.addingTimeInterval(3_600), value: 5),
        ]
        let evaluation = evaluate(definition, samples)
        XCTAssertEqual(evaluation.datapoints, [nil, nil, 0])
        XCTAssertEqual(evaluation.value, .ok)
    }

    func testSamplesBeforeTheRange_areIgnored() throws {
        // The range is 5 periods; a breach 6 periods back is not seen, so all is missing.
        let evaluation = evaluate(try makeDefinition(datapointsToAlarm: 1), samples("X - - - - -"))
        XCTAssertEqual(evaluation.datapoints, [nil, nil, nil, nil, nil])
        XCTAssertEqual(evaluation.value, .insufficientData)
    }

    func testSampleExactlyAtTheRangeStart_isInTheOldestPeriod() throws {
        let definition = try makeDefinition()
        let evaluation = evaluate(definition, [MetricSample(timestamp: noon.addingTimeInterval(-300), value: 7)])
        XCTAssertEqual(evaluation.datapoints, [7, nil, nil, nil, nil])
    }

    func testEvaluationAtAnUnalignedInstant_usesPeriodsEndingExactlyThere() throws {
        let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1, statistic: .sum)
        let instant = noon.addingTimeInterval(30)
        let samples = [
            MetricSample(timestamp: noon.addingTimeInterval(-31), value: 1),
            MetricSample(timestamp: noon.addingTimeInterval(-29), value: 2),
            MetricSample(timestamp: noon.addingTimeInterval(29), value: 4),
        ]
        XCTAssertEqual(evaluate(definition, samples, at: instant).datapoints, [nil, 1, 6])
    }

    func testSamplesInAnArraySlice_areFoundByTheirOwnIndices() throws {
        let all = samples("X X X X X 0 0 0 0 0", endingAt: noon)
        let definition = try makeDefinition(datapointsToAlarm: 1)
        // The slice starts at index 5; evaluated five periods earlier it holds nothing in range.
        XCTAssertEqual(evaluate(definition, Array(all[5...])).value, .ok)
        XCTAssertEqual(AlarmEvaluator.evaluate(definition, samples: all[5...], at: noon, current: .alarm).value, .ok)
        XCTAssertEqual(
            AlarmEvaluator.evaluate(definition, samples: all[5...], at: noon.addingTimeInterval(-300), current: .ok).value,
            .insufficientData)
    }

    func testOneMillionSamples_onlyThoseInTheWindowCount() throws {
        // One sample a second for a million seconds around noon: 60 per one-minute period.
        let first = noon.addingTimeInterval(-500_000)
        let samples = (0..<1_000_000).map { second in
            let timestamp = first.addingTimeInterval(Double(second))
            let isRecent = timestamp >= noon.addingTimeInterval(-180) && timestamp < noon
            return MetricSample(timestamp: timestamp, value: isRecent ? 5 : 100)
        }
        let counts = AlarmEvaluator.evaluate(
            try makeDefinition(statistic: .sampleCount, threshold: 59), samples: samples, at: noon, current: .ok)
        XCTAssertEqual(counts.datapoints, [60, 60, 60, 60, 60])
        XCTAssertEqual(counts.value, .alarm)
        let maxima = AlarmEvaluator.evaluate(
            try makeDefinition(threshold: 50), samples: samples, at: noon, current: .alarm)
        XCTAssertEqual(maxima.datapoints, [100, 100, 5, 5, 5])
        XCTAssertEqual(maxima.value, .ok)
    }

    // MARK: Statistics per period

    func testEveryStatistic_reducesEachPeriodsSamples() throws {
        let samples = [3.0, 1, 2, 10].enumerated().map { index, value in
            MetricSample(timestamp: noon.addingTimeInterval(-60 + Double(index)), value: value)
        }
        let expected: [(Statistic, Double)] = [
            (.sum, 16), (.average, 4), (.minimum, 1), (.maximum, 10), (.sampleCount, 4), (.percentile(50), 2), (.percentile(99), 10),
        ]
        for (statistic, value) in expected {
            let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1, statistic: statistic)
            XCTAssertEqual(evaluate(definition, samples).datapoints.last, value, "\(statistic)")
        }
    }

    func testSampleCountAlarm_breachesOnTheNumberOfSamples_notTheirValues() throws {
        let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1, statistic: .sampleCount, threshold: 2)
        let zeros = (0..<3).map { MetricSample(timestamp: noon.addingTimeInterval(-30 + Double($0)), value: 0) }
        XCTAssertEqual(evaluate(definition, zeros).value, .alarm)
        XCTAssertEqual(evaluate(definition, Array(zeros.prefix(2))).value, .ok)
    }

    func testP99Alarm_breachesWhenTheSlowestPercentIsSlow() throws {
        let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1, statistic: .percentile(99), threshold: 500)
        let durations = (1...100).map { MetricSample(timestamp: noon.addingTimeInterval(-60 + Double($0) / 2), value: Double($0 * 10)) }
        // Nearest rank 99 of 10…1000 is 990.
        XCTAssertEqual(evaluate(definition, durations).datapoints.last, 990)
        XCTAssertEqual(evaluate(definition, durations).value, .alarm)
    }

    // MARK: M out of N, all datapoints present

    func testThreeOfThreeBreaching_goesToAlarm() throws {
        XCTAssertEqual(evaluate(try makeDefinition(), samples("0 0 X X X")).value, .alarm)
    }

    func testTwoOfThreeBreaching_withThreeOfThree_isOk() throws {
        XCTAssertEqual(evaluate(try makeDefinition(), samples("X X X 0 X"), current: .alarm).value, .ok)
    }

    func testTwoOfThreeBreaching_goesToAlarm() throws {
        XCTAssertEqual(evaluate(try makeDefinition(datapointsToAlarm: 2), samples("0 0 0 X X")).value, .alarm)
    }

    func testBreachingDatapoints_needNotBeConsecutive() throws {
        XCTAssertEqual(evaluate(try makeDefinition(datapointsToAlarm: 2), samples("0 0 X 0 X")).value, .alarm)
    }

    func testOneOfThreeBreaching_withTwoOfThree_isOk() throws {
        XCTAssertEqual(evaluate(try makeDefinition(datapointsToAlarm: 2), samples("X X 0 0 X"), current: .alarm).value, .ok)
    }

    func testBreachesOlderThanTheLastNDatapoints_doNotCount() throws {
        XCTAssertEqual(evaluate(try makeDefinition(datapointsToAlarm: 1), samples("X X 0 0 0"), current: .alarm).value, .ok)
    }

    func testOneOfOneBreaching_goesToAlarm_andOneOfOneNotBreaching_isOk() throws {
        let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1)
        XCTAssertEqual(evaluate(definition, samples("0 0 X")).value, .alarm)
        XCTAssertEqual(evaluate(definition, samples("X X 0"), current: .alarm).value, .ok)
    }

    func testEveryComparison_decidesBreachAtTheThreshold() throws {
        // One datapoint exactly at the threshold: only the "OrEqualTo" operators breach.
        let atThreshold = [MetricSample(timestamp: noon.addingTimeInterval(-30), value: 1)]
        let expected: [(ComparisonOperator, AlarmStateValue)] = [
            (.greaterThanThreshold, .ok), (.greaterThanOrEqualToThreshold, .alarm),
            (.lessThanThreshold, .ok), (.lessThanOrEqualToThreshold, .alarm),
        ]
        for (comparison, value) in expected {
            let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1, comparison: comparison)
            XCTAssertEqual(evaluate(definition, atThreshold).value, value, "\(comparison)")
        }
    }

    func testLessThanThreshold_alarmsOnLowValues() throws {
        let definition = try makeDefinition(evaluationPeriods: 2, datapointsToAlarm: 2, comparison: .lessThanThreshold)
        XCTAssertEqual(evaluate(definition, samples("X X X 0 0")).value, .alarm)
        XCTAssertEqual(evaluate(definition, samples("0 0 0 X 0")).value, .ok)
    }

    func testCurrentState_mattersOnlyForIgnore() throws {
        for treatment in [MissingDataTreatment.missing, .breaching, .notBreaching] {
            let definition = try makeDefinition(treatMissingData: treatment)
            for row in ["- - - - -", "- - X - -", "0 - - - -", "X X X X X"] {
                let values = Set(AlarmStateValue.allCases.map { evaluate(definition, samples(row), current: $0).value })
                XCTAssertEqual(values.count, 1, "'\(row)' with \(treatment)")
            }
        }
    }

    // MARK: Missing data: the guide's tables, row by row
    //
    // Amazon CloudWatch User Guide, "Configuring how CloudWatch alarms treat missing data", section
    // "How alarm state is evaluated when data is missing"
    // (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html;
    // github.com/awsdocs/amazon-cloudwatch-user-guide doc_source/AlarmThatSendsEmail.md). Evaluation range 5,
    // most recent datapoint on the right; 0 = not breaching, X = breaching, - = missing.

    // First table: Datapoints to Alarm 3, Evaluation Periods 3.

    func testTable1Row1_threeRealAcrossGaps_twoBreaching_isOkForEveryTreatment() throws {
        try assertRow("0 - X - X", datapointsToAlarm: 3, evaluationPeriods: 3,
                      missing: ok, ignore: ok, breaching: ok, notBreaching: ok)
    }

    func testTable1Row2_oneOldNonBreaching_isOkForEveryTreatment_evenBreaching() throws {
        try assertRow("0 - - - -", datapointsToAlarm: 3, evaluationPeriods: 3,
                      missing: ok, ignore: ok, breaching: ok, notBreaching: ok)
    }

    func testTable1Row3_allMissing_isInsufficientRetainedAlarmOrOkByTreatment() throws {
        try assertRow("- - - - -", datapointsToAlarm: 3, evaluationPeriods: 3,
                      missing: insufficientData, ignore: .retainsCurrent, breaching: alarm, notBreaching: ok)
    }

    func testTable1Row4_threeMostRecentRealBreaching_goesToAlarmForEveryTreatment() throws {
        try assertRow("0 X X - X", datapointsToAlarm: 3, evaluationPeriods: 3,
                      missing: alarm, ignore: alarm, breaching: alarm, notBreaching: alarm)
    }

    func testTable1Row5_breachThreeBackThenMissing_isPrematureAlarmWithMissing_retainedWithIgnore() throws {
        try assertRow("- - X - -", datapointsToAlarm: 3, evaluationPeriods: 3,
                      missing: alarm, ignore: .retainsCurrent, breaching: alarm, notBreaching: ok)
    }

    // Second table: Datapoints to Alarm 2, Evaluation Periods 3.

    func testTable2Row1_twoOfThreeRealAcrossGapsBreaching_goesToAlarmForEveryTreatment() throws {
        try assertRow("0 - X - X", datapointsToAlarm: 2, evaluationPeriods: 3,
                      missing: alarm, ignore: alarm, breaching: alarm, notBreaching: alarm)
    }

    func testTable2Row2_noGapsInTheLastThree_olderDatapointsNotNeeded() throws {
        try assertRow("0 0 X 0 X", datapointsToAlarm: 2, evaluationPeriods: 3,
                      missing: alarm, ignore: alarm, breaching: alarm, notBreaching: alarm)
    }

    func testTable2Row3_oneFilledDatapoint_goesToAlarmOnlyWhenTreatedAsBreaching() throws {
        try assertRow("0 - X - -", datapointsToAlarm: 2, evaluationPeriods: 3,
                      missing: ok, ignore: ok, breaching: alarm, notBreaching: ok)
    }

    func testTable2Row4_twoFilledDatapoints_goToAlarmOnlyWhenTreatedAsBreaching() throws {
        try assertRow("- - - - 0", datapointsToAlarm: 2, evaluationPeriods: 3,
                      missing: ok, ignore: ok, breaching: alarm, notBreaching: ok)
    }

    func testTable2Row5_breachTwoBackThenMissing_isPrematureAlarmWithMissing_retainedWithIgnore() throws {
        try assertRow("- - - X -", datapointsToAlarm: 2, evaluationPeriods: 3,
                      missing: alarm, ignore: .retainsCurrent, breaching: alarm, notBreaching: ok)
    }

    // Rows of the guide's earlier revision of the same tables (same repository, earlier commit), still consistent
    // with the current text: "the alarm does not go immediately into ALARM state when the data is - - - - X".

    func testEarlierTable1_onlyTheNewestBreaching_isInsufficientWithMissing_retainedWithIgnore() throws {
        try assertRow("- - - - X", datapointsToAlarm: 3, evaluationPeriods: 3,
                      missing: insufficientData, ignore: .retainsCurrent, breaching: alarm, notBreaching: ok)
    }

    func testEarlierTable1_onlyTheOldestBreaching_goesToAlarmWithMissing_retainedWithIgnore() throws {
        try assertRow("X - - - -", datapointsToAlarm: 3, evaluationPeriods: 3,
                      missing: alarm, ignore: .retainsCurrent, breaching: alarm, notBreaching: ok)
    }

    func testEarlierTable2_onlyTheNewestBreaching_isInsufficientWithMissing_retainedWithIgnore() throws {
        try assertRow("- - - - X", datapointsToAlarm: 2, evaluationPeriods: 3,
                      missing: insufficientData, ignore: .retainsCurrent, breaching: alarm, notBreaching: ok)
    }

    // MARK: Missing data: the rules behind the tables

    func testAllMissing_withMissingTreatment_isInsufficientData() throws {
        XCTAssertEqual(evaluate(try makeDefinition(treatMissingData: .missing), [], current: .alarm).value, .insufficientData)
    }

    func testAllMissing_withBreachingTreatment_goesToAlarm() throws {
        XCTAssertEqual(evaluate(try makeDefinition(treatMissingData: .breaching), []).value, .alarm)
    }

    func testAllMissing_withNotBreachingTreatment_isOk() throws {
        XCTAssertEqual(evaluate(try makeDefinition(treatMissingData: .notBreaching), [], current: .alarm).value, .ok)
    }

    func testIgnore_retainsCurrentState() throws {
        let definition = try makeDefinition(treatMissingData: .ignore)
        for current in AlarmStateValue.allCases {
            XCTAssertEqual(evaluate(definition, [], current: current).value, current)
        }
    }

    func testIgnore_whenRealDatapointsDecide_doesNotRetain() throws {
        let definition = try makeDefinition(datapointsToAlarm: 2, treatMissingData: .ignore)
        XCTAssertEqual(evaluate(definition, samples("- X - X -"), current: .ok).value, .alarm)
        XCTAssertEqual(evaluate(definition, samples("- - - 0 -"), current: .alarm).value, .ok)
    }

    func testEnoughRealDatapointsAcrossGaps_treatmentIsNotConsulted() throws {
        // "the value you set for how to treat missing data is not needed and is ignored"
        for treatment in MissingDataTreatment.allCases {
            let definition = try makeDefinition(treatMissingData: treatment)
            XCTAssertEqual(evaluate(definition, samples("X X X - -")).value, .alarm, "\(treatment)")
            XCTAssertEqual(evaluate(definition, samples("X - 0 - X"), current: .alarm).value, .ok, "\(treatment)")
        }
    }

    func testMetricStoppedFlowing_lastRealDatapointsAreReEvaluated() throws {
        // The guide's note: alarms "might repeatedly re-evaluate the last set of data points" after the metric stops.
        let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: .notBreaching)
        XCTAssertEqual(evaluate(definition, samples("X - -")).value, .alarm)
        XCTAssertEqual(evaluate(definition, samples("X - - -")).value, .ok)
    }

    func testFilling_usesMissingDatapointsOnlyAsFewTimesAsPossible() throws {
        // Two real datapoints, so only one missing one is filled: 0, X and one breaching fill are 2, not 3.
        let definition = try makeDefinition(treatMissingData: .breaching)
        XCTAssertEqual(evaluate(definition, samples("0 - X - -")).value, .ok)
        // A breaching fill is enough when two real ones breach.
        XCTAssertEqual(evaluate(definition, samples("X - X - -")).value, .alarm)
    }

    func testMissing_withMRealBreachingAmongFewerThanN_goesToAlarm() throws {
        for treatment in [MissingDataTreatment.missing, .ignore] {
            let definition = try makeDefinition(datapointsToAlarm: 2, treatMissingData: treatment)
            XCTAssertEqual(evaluate(definition, samples("X - - X -"), current: .ok).value, .alarm, "\(treatment)")
        }
    }

    func testMissing_withANonBreachingAmongFewerThanN_isOk_evenIfItIsOlderThanTheBreach() throws {
        let definition = try makeDefinition(datapointsToAlarm: 2)
        XCTAssertEqual(evaluate(definition, samples("- - 0 X -"), current: .alarm).value, .ok)
    }

    func testMissing_breachTooRecentForEarlyAlarm_isInsufficientData() throws {
        let definition = try makeDefinition()
        XCTAssertEqual(evaluate(definition, samples("- - - X -"), current: .ok).value, .insufficientData)
        XCTAssertEqual(evaluate(definition, samples("- - - X X"), current: .ok).value, .insufficientData)
    }

    func testMissing_breachesOldEnoughWithOnlyMissingSince_goesToAlarmEarly() throws {
        let definition = try makeDefinition()
        XCTAssertEqual(evaluate(definition, samples("- - X X -")).value, .alarm)
        XCTAssertEqual(evaluate(definition, samples("- X - - -")).value, .alarm)
    }

    // MARK: Reasons

    func testReason_alarm_matchesCloudWatchsWording() throws {
        let definition = try makeDefinition(datapointsToAlarm: 2, statistic: .maximum, period: 5)
        let samples = [
            MetricSample(timestamp: noon, value: 0),
            MetricSample(timestamp: noon.addingTimeInterval(5), value: 4),
            MetricSample(timestamp: noon.addingTimeInterval(10), value: 5),
        ]
        let evaluation = evaluate(definition, samples, at: noon.addingTimeInterval(15))
        XCTAssertEqual(evaluation.value, .alarm)
        XCTAssertEqual(
            evaluation.reason,
            "Threshold Crossed: 2 out of the last 3 datapoints [5.0 (01/01/24 12:00:10), 4.0 (01/01/24 12:00:05)] were greater "
                + "than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).")
    }

    func testReason_ok_listsTheNonBreachingDatapoints_andTheMinimumForALARMToOK() throws {
        let evaluation = evaluate(try makeDefinition(), samples("X X 0 0 X"), current: .alarm)
        XCTAssertEqual(evaluation.value, .ok)
        XCTAssertEqual(
            evaluation.reason,
            "Threshold Crossed: 2 out of the last 3 datapoints [0.0 (01/01/24 11:58:00), 0.0 (01/01/24 11:57:00)] were not "
                + "greater than the threshold (1.0) (minimum 1 datapoint for ALARM -> OK transition).")
    }

    func testReason_oneOfOne_usesTheSingleDatapointWording() throws {
        let definition = try makeDefinition(evaluationPeriods: 1, datapointsToAlarm: 1, comparison: .greaterThanOrEqualToThreshold)
        XCTAssertEqual(
            evaluate(definition, samples("- - X")).reason,
            "Threshold Crossed: 1 datapoint [5.0 (01/01/24 11:59:00)] was greater than or equal to the threshold (1.0).")
    }

    func testReason_allMissingFilled_usesCloudWatchsNoDatapointsWording() throws {
        XCTAssertEqual(
            evaluate(try makeDefinition(treatMissingData: .breaching), []).reason,
            "Threshold Crossed: no datapoints were received for 5 periods and 3 missing datapoints were treated as [Breaching].")
        XCTAssertEqual(
            evaluate(try makeDefinition(treatMissingData: .notBreaching), []).reason,
            "Threshold Crossed: no datapoints were received for 5 periods and 3 missing datapoints were treated as [NonBreaching].")
    }

    func testReason_partlyFilled_saysHowManyWereFilledAndAs() throws {
        let evaluation = evaluate(try makeDefinition(datapointsToAlarm: 2, treatMissingData: .breaching), samples("0 - X - -"))
        XCTAssertEqual(
            evaluation.reason,
            "Threshold Crossed: 2 out of the last 3 datapoints [5.0 (01/01/24 11:57:00)] and 1 missing datapoint treated as "
                + "[Breaching] were greater than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition).")
    }

    func testReason_allMissing_isInsufficientDataNamingTheRange() throws {
        XCTAssertEqual(
            evaluate(try makeDefinition(), []).reason,
            "Insufficient Data: 5 datapoints were unknown (no samples from 01/01/24 11:55:00 to 01/01/24 12:00:00).")
    }

    func testReason_ignore_namesTheRetainedState() throws {
        XCTAssertEqual(
            evaluate(try makeDefinition(treatMissingData: .ignore), [], current: .alarm).reason,
            "Retained ALARM: 3 out of the last 3 datapoints were missing and missing data is ignored.")
        XCTAssertEqual(
            evaluate(try makeDefinition(treatMissingData: .ignore), samples("- - - - X"), current: .ok).reason,
            "Retained OK: 2 out of the last 3 datapoints were missing and missing data is ignored; 1 datapoint "
                + "[5.0 (01/01/24 11:59:00)] was greater than the threshold (1.0), fewer than the 3 needed for ALARM.")
    }

    func testReason_earlyAlarm_saysHowFarBackTheBreachIs() throws {
        XCTAssertEqual(
            evaluate(try makeDefinition(), samples("- - X - -")).reason,
            "Threshold Crossed: 1 out of the last 3 datapoints [5.0 (01/01/24 11:57:00)] was greater than the threshold (1.0) "
                + "and 2 were missing; the oldest breaching datapoint is 3 datapoints back, at least 3, and none since was "
                + "within the threshold.")
    }

    func testReason_breachTooRecent_saysWhatALARMNeeds() throws {
        XCTAssertEqual(
            evaluate(try makeDefinition(), samples("- - - - X")).reason,
            "Insufficient Data: 1 out of the last 3 datapoints [5.0 (01/01/24 11:59:00)] was greater than the threshold (1.0) "
                + "and 2 were missing; ALARM needs 3 breaching, or the oldest breaching at least 3 datapoints back.")
    }

    func testReason_okWithMissing_saysHowManyWereMissing() throws {
        XCTAssertEqual(
            evaluate(try makeDefinition(datapointsToAlarm: 2), samples("- - - - 0")).reason,
            "Threshold Crossed: 1 out of the last 3 datapoints [0.0 (01/01/24 11:59:00)] was not greater than the threshold "
                + "(1.0) and 2 were missing.")
    }

    func testReasonTimestamps_areUTCDayMonthYear() {
        XCTAssertEqual(AlarmEvaluator.timestamp(noon), "01/01/24 12:00:00")
        XCTAssertEqual(AlarmEvaluator.timestamp(Date(timeIntervalSince1970: 0)), "01/01/70 00:00:00")
        XCTAssertEqual(AlarmEvaluator.timestamp(Date(timeIntervalSince1970: 951_825_599.9)), "29/02/00 11:59:59")
        XCTAssertEqual(AlarmEvaluator.timestamp(Date(timeIntervalSince1970: 1_709_251_199)), "29/02/24 23:59:59")
        XCTAssertEqual(AlarmEvaluator.timestamp(Date(timeIntervalSince1970: -1)), "31/12/69 23:59:59")
    }

    func testEvaluation_isDeterministic() throws {
        let definition = try makeDefinition(datapointsToAlarm: 2)
        XCTAssertEqual(evaluate(definition, samples("0 - X - X")), evaluate(definition, samples("0 - X - X")))
    }
}

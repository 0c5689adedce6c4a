import Foundation
import ShiftCore
import XCTest

final class DeploymentPreferenceTests: XCTestCase {
    // MARK: - CodeDeploy's predefined Lambda configurations

    func testCanary10Percent5Minutes_holdsTenPercentForFiveMinutes() throws {
        let preference = try DeploymentPreference.named("Canary10Percent5Minutes")

        XCTAssertEqual(preference.name, "Canary10Percent5Minutes")
        XCTAssertEqual(preference.schedule.steps, [step(10, hold: 300), step(100)])
        XCTAssertEqual(preference.schedule.timeline, [entry(0, 10), entry(300, 100)])
        XCTAssertEqual(preference.schedule.totalDuration, 300)
    }

    func testCanary10Percent10Minutes_holdsTenPercentForTenMinutes() throws {
        let schedule = try DeploymentPreference.named("Canary10Percent10Minutes").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 10), entry(600, 100)])
    }

    func testCanary10Percent15Minutes_holdsTenPercentForFifteenMinutes() throws {
        let schedule = try DeploymentPreference.named("Canary10Percent15Minutes").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 10), entry(900, 100)])
    }

    func testCanary10Percent30Minutes_holdsTenPercentForThirtyMinutes() throws {
        let schedule = try DeploymentPreference.named("Canary10Percent30Minutes").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 10), entry(1_800, 100)])
    }

    func testLinear10PercentEvery1Minute_tenStepsOverNineMinutes() throws {
        let schedule = try DeploymentPreference.named("Linear10PercentEvery1Minute").schedule

        XCTAssertEqual(schedule.timeline, [
            entry(0, 10), entry(60, 20), entry(120, 30), entry(180, 40), entry(240, 50),
            entry(300, 60), entry(360, 70), entry(420, 80), entry(480, 90), entry(540, 100),
        ])
        XCTAssertEqual(schedule.totalDuration, 540)
        XCTAssertEqual(schedule.steps.last, step(100))
    }

    func testLinear10PercentEvery2Minutes_tenStepsOverEighteenMinutes() throws {
        let schedule = try DeploymentPreference.named("Linear10PercentEvery2Minutes").schedule

        XCTAssertEqual(schedule.timeline, [
            entry(0, 10), entry(120, 20), entry(240, 30), entry(360, 40), entry(480, 50),
            entry(600, 60), entry(720, 70), entry(840, 80), entry(960, 90), entry(1_080, 100),
        ])
    }

    func testLinear10PercentEvery3Minutes_tenStepsOverTwentySevenMinutes() throws {
        let schedule = try DeploymentPreference.named("Linear10PercentEvery3Minutes").schedule

        XCTAssertEqual(schedule.timeline, [
            entry(0, 10), entry(180, 20), entry(360, 30), entry(540, 40), entry(720, 50),
            entry(900, 60), entry(1_080, 70), entry(1_260, 80), entry(1_440, 90), entry(1_620, 100),
        ])
    }

    func testLinear10PercentEvery10Minutes_tenStepsOverNinetyMinutes() throws {
        let schedule = try DeploymentPreference.named("Linear10PercentEvery10Minutes").schedule

        XCTAssertEqual(schedule.timeline, [
            entry(0, 10), entry(600, 20), entry(1_200, 30), entry(1_800, 40), entry(2_400, 50),
            entry(3_000, 60), entry(3_600, 70), entry(4_200, 80), entry(4_800, 90), entry(5_400, 100),
        ])
        XCTAssertEqual(schedule.totalDuration, 90 * 60)
    }

    func testAllAtOnce_isOneStepToFullAtZero() throws {
        let preference = try DeploymentPreference.named("AllAtOnce")

        XCTAssertEqual(preference.name, "AllAtOnce")
        XCTAssertEqual(preference.schedule.steps, [step(100)])
        XCTAssertEqual(preference.schedule.timeline, [entry(0, 100)])
        XCTAssertEqual(preference.schedule.totalDuration, 0)
    }

    func testPredefinedNames_areTheNineCodeDeployLambdaConfigurations() throws {
        XCTAssertEqual(DeploymentPreference.predefinedNames.count, 9)
        for name in DeploymentPreference.predefinedNames {
            XCTAssertEqual(try DeploymentPreference.named(name).name, name)
        }
    }

    func testCodeDeployPrefix_givesTheSameScheduleAndTheBareName() throws {
        for name in DeploymentPreference.predefinedNames {
            let prefixed = try DeploymentPreference.named("CodeDeployDefault.Lambda" + name)
            XCTAssertEqual(prefixed, try DeploymentPreference.named(name), name)
            XCTAssertEqual(prefixed.name, name)
        }
    }

    func testCodeDeployPrefix_canary() throws {
        let preference = try DeploymentPreference.named("CodeDeployDefault.LambdaCanary10Percent5Minutes")

        XCTAssertEqual(preference.name, "Canary10Percent5Minutes")
        XCTAssertEqual(preference.schedule.timeline, [entry(0, 10), entry(300, 100)])
    }

    func testCodeDeployPrefix_allAtOnce() throws {
        let preference = try DeploymentPreference.named("CodeDeployDefault.LambdaAllAtOnce")

        XCTAssertEqual(preference.name, "AllAtOnce")
        XCTAssertEqual(preference.schedule.timeline, [entry(0, 100)])
    }

    // MARK: - Integral percentages

    func testEveryNamedAndWholePercentPreference_timelineWeightsAreWholePercents() throws {
        // CodeDeploy's percentages are integers; a weight made from one must read back as it, not as 56.99999999999999.
        var names = DeploymentPreference.predefinedNames
        for percent in 1...99 {
            names += ["Canary\(percent)Percent5Minutes", "Linear\(percent)PercentEvery1Minute", "Linear\(percent)PercentEvery30Seconds"]
        }
        for name in names {
            for entry in try DeploymentPreference.named(name).schedule.timeline {
                XCTAssertEqual(entry.weight.percent, entry.weight.percent.rounded(), "\(name) at \(entry.offset) s")
            }
        }
    }

    func testLinear3PercentEvery1Minute_at18Minutes_is57Percent() throws {
        let timeline = try DeploymentPreference.named("Linear3PercentEvery1Minute").schedule.timeline

        XCTAssertEqual(timeline.first { $0.offset == 18 * 60 }?.weight.percent, 57)
        XCTAssertEqual(String(decoding: try JSONEncoder().encode(timeline[18].weight.percent), as: UTF8.self), "57")
    }

    // MARK: - Custom forms

    func testCustomCanaryInMinutes_holdsItsPercentForItsInterval() throws {
        let preference = try DeploymentPreference.named("Canary5Percent7Minutes")

        XCTAssertEqual(preference.name, "Canary5Percent7Minutes")
        XCTAssertEqual(preference.schedule.timeline, [entry(0, 5), entry(420, 100)])
    }

    func testCustomCanarySingularMinute() throws {
        let schedule = try DeploymentPreference.named("Canary25Percent1Minute").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 25), entry(60, 100)])
    }

    func testCustomCanaryInSeconds() throws {
        let preference = try DeploymentPreference.named("Canary10Percent30Seconds")

        XCTAssertEqual(preference.name, "Canary10Percent30Seconds")
        XCTAssertEqual(preference.schedule.timeline, [entry(0, 10), entry(30, 100)])
    }

    func testCustomCanarySingularSecond() throws {
        let schedule = try DeploymentPreference.named("Canary50Percent1Second").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 50), entry(1, 100)])
    }

    func testUnitSpelling_doesNotHaveToAgreeWithTheCount() throws {
        XCTAssertEqual(try DeploymentPreference.named("Canary10Percent5Minute").schedule.timeline, [entry(0, 10), entry(300, 100)])
        XCTAssertEqual(try DeploymentPreference.named("Linear50PercentEvery1Seconds").schedule.timeline, [entry(0, 50), entry(1, 100)])
    }

    func testCanaryExtremes_oneAndNinetyNinePercent() throws {
        XCTAssertEqual(try DeploymentPreference.named("Canary1Percent1Minute").schedule.timeline, [entry(0, 1), entry(60, 100)])
        XCTAssertEqual(try DeploymentPreference.named("Canary99Percent1Minute").schedule.timeline, [entry(0, 99), entry(60, 100)])
    }

    func testCustomLinearInMinutes() throws {
        let schedule = try DeploymentPreference.named("Linear20PercentEvery5Minutes").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 20), entry(300, 40), entry(600, 60), entry(900, 80), entry(1_200, 100)])
    }

    func testCustomLinearInSeconds() throws {
        let preference = try DeploymentPreference.named("Linear25PercentEvery30Seconds")

        XCTAssertEqual(preference.name, "Linear25PercentEvery30Seconds")
        XCTAssertEqual(preference.schedule.timeline, [entry(0, 25), entry(30, 50), entry(60, 75), entry(90, 100)])
    }

    func testCustomLinearSingularSecond() throws {
        let schedule = try DeploymentPreference.named("Linear10PercentEvery1Second").schedule

        XCTAssertEqual(schedule.timeline.map(\.offset), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
        XCTAssertEqual(schedule.timeline.map(\.weight.value), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
    }

    func testLinear30PercentEvery1Minute_capsTheLastStepAtFull() throws {
        let schedule = try DeploymentPreference.named("Linear30PercentEvery1Minute").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 30), entry(60, 60), entry(120, 90), entry(180, 100)])
    }

    func testLinear33PercentEvery2Minutes_endsWithAOnePercentStep() throws {
        let schedule = try DeploymentPreference.named("Linear33PercentEvery2Minutes").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 33), entry(120, 66), entry(240, 99), entry(360, 100)])
    }

    func testLinear60PercentEvery1Minute_isTwoSteps() throws {
        let schedule = try DeploymentPreference.named("Linear60PercentEvery1Minute").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 60), entry(60, 100)])
    }

    func testLinear99PercentEvery1Minute_isTwoSteps() throws {
        let schedule = try DeploymentPreference.named("Linear99PercentEvery1Minute").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 99), entry(60, 100)])
    }

    func testLinear1PercentEvery1Minute_hundredStepsOverNinetyNineMinutes() throws {
        let schedule = try DeploymentPreference.named("Linear1PercentEvery1Minute").schedule

        XCTAssertEqual(schedule.timeline, (1...100).map { entry(TimeInterval($0 - 1) * 60, Double($0)) })
        XCTAssertEqual(schedule.totalDuration, 99 * 60)
    }

    func testLinearWeights_areExactlyThePercentages_evenWhereFloatingPointIsInexact() throws {
        // 7 % * 4 = 28 %, and 0.07 * 4 != 0.28 in binary floating point: weights come from whole percentages.
        let schedule = try DeploymentPreference.named("Linear7PercentEvery1Minute").schedule

        XCTAssertEqual(schedule.timeline.map(\.weight), (1...15).map { weight(Double(min($0 * 7, 100))) })
    }

    func testLeadingZeros_areAccepted_andTheNameIsKeptAsGiven() throws {
        let preference = try DeploymentPreference.named("Canary010Percent05Minutes")

        XCTAssertEqual(preference.name, "Canary010Percent05Minutes")
        XCTAssertEqual(preference.schedule.timeline, [entry(0, 10), entry(300, 100)])
    }

    // MARK: - CodeDeploy's limits

    func testCanaryOf2880Minutes_isTheLongestAllowed() throws {
        XCTAssertEqual(try DeploymentPreference.named("Canary10Percent2880Minutes").schedule.totalDuration, 172_800)
        XCTAssertEqual(try DeploymentPreference.named("Canary10Percent172800Seconds").schedule.totalDuration, 172_800)
    }

    func testCanaryOf2881Minutes_isRejectedAsTooLong() {
        assertRejected("Canary10Percent2881Minutes", expected: """
            at most 2880 minutes (48h) from the first to the last traffic shift, CodeDeploy's limit, \
            but this takes 48h1m; use a shorter interval
            """)
    }

    func testCanaryOf172801Seconds_isRejectedAsTooLong() {
        assertRejected("Canary10Percent172801Seconds", expected: """
            at most 2880 minutes (48h) from the first to the last traffic shift, CodeDeploy's limit, \
            but this takes 48h1s; use a shorter interval
            """)
    }

    func testLinear10PercentEvery320Minutes_reachesFullAtExactly2880Minutes() throws {
        XCTAssertEqual(try DeploymentPreference.named("Linear10PercentEvery320Minutes").schedule.totalDuration, 2_880 * 60)
    }

    func testLinear10PercentEvery321Minutes_isRejectedAsTooLong() {
        assertRejected("Linear10PercentEvery321Minutes", expected: """
            at most 2880 minutes (48h) from the first to the last traffic shift, CodeDeploy's limit, \
            but this takes 48h9m; use a larger percentage or a shorter interval
            """)
    }

    func testLinear1PercentEvery29Minutes_fitsBecauseFullComesAfter99Intervals() throws {
        XCTAssertEqual(try DeploymentPreference.named("Linear1PercentEvery29Minutes").schedule.totalDuration, 99 * 29 * 60)
    }

    func testLinear1PercentEvery30Minutes_isRejectedAsTooLong() {
        assertRejected("Linear1PercentEvery30Minutes", expected: """
            at most 2880 minutes (48h) from the first to the last traffic shift, CodeDeploy's limit, \
            but this takes 49h30m; use a larger percentage or a shorter interval
            """)
    }

    func testIntervalTooLargeForAnInteger_isRejectedAsTooLong() {
        assertRejectedMentioning("Canary10Percent99999999999999999999Minutes", "at most 2880 minutes")
        assertRejectedMentioning("Linear10PercentEvery99999999999999999999Seconds", "at most 2880 minutes")
    }

    func testCanary100Percent5Minutes_isRejected_atMost99InOneIncrement() {
        assertRejected("Canary100Percent5Minutes", expected: "a canary increment of 1 to 99 percent, e.g. Canary10Percent5Minutes")
    }

    func testCanary0Percent5Minutes_isRejected() {
        assertRejected("Canary0Percent5Minutes", expected: "a canary increment of 1 to 99 percent, e.g. Canary10Percent5Minutes")
    }

    func testCanaryAbove100Percent_isRejected() {
        assertRejected("Canary150Percent5Minutes", expected: "a canary increment of 1 to 99 percent, e.g. Canary10Percent5Minutes")
        assertRejected("Canary99999999999999999999Percent5Minutes", expected: "a canary increment of 1 to 99 percent, e.g. Canary10Percent5Minutes")
    }

    func testLinear0PercentEvery1Minute_isRejected() {
        assertRejected("Linear0PercentEvery1Minute", expected: "a linear increment of 1 to 99 percent, e.g. Linear10PercentEvery1Minute")
    }

    func testLinear100PercentEvery1Minute_isRejected_useAllAtOnce() {
        assertRejected("Linear100PercentEvery1Minute", expected: "a linear increment of 1 to 99 percent, e.g. Linear10PercentEvery1Minute")
    }

    func testCanaryWithZeroInterval_isRejected() {
        assertRejected("Canary10Percent0Minutes", expected: "a canary interval of at least 1 minute or 1 second, e.g. Canary10Percent5Minutes")
        assertRejected("Canary10Percent0Seconds", expected: "a canary interval of at least 1 minute or 1 second, e.g. Canary10Percent5Minutes")
    }

    func testLinearWithZeroInterval_isRejected() {
        assertRejected("Linear10PercentEvery0Minutes", expected: "a linear interval of at least 1 minute or 1 second, e.g. Linear10PercentEvery1Minute")
        assertRejected("Linear10PercentEvery0Seconds", expected: "a linear interval of at least 1 minute or 1 second, e.g. Linear10PercentEvery1Minute")
    }

    func testPercentIsCheckedBeforeInterval() {
        assertRejected("Canary0Percent0Minutes", expected: "a canary increment of 1 to 99 percent, e.g. Canary10Percent5Minutes")
    }

    // MARK: - Unknown names

    func testUnknownNames_areRejected_listingTheAcceptedForms() {
        let names = [
            "", "Canary", "Blue", "canary10percent5minutes", "CANARY10PERCENT5MINUTES",
            "Canary10Percent", "Canary10Percent5", "Canary10Percent5Hours", "Canary10Percent5Mins",
            "Canary10.5Percent5Minutes", "Canary-10Percent5Minutes", "Canary10Percent-5Minutes",
            "Linear10PercentEvery", "Linear10Percent1Minute", "Linear10PercentEvery1", "LinearPercentEvery1Minute",
            " AllAtOnce", "AllAtOnce ", "allatonce", "Canary10Percent5Minutes\n",
            "CodeDeployDefault.AllAtOnce", "CodeDeployDefault.OneAtATime", "CodeDeployDefault.ECSCanary10Percent5Minutes",
            "Canary٥Percent5Minutes",
        ]
        for name in names {
            assertRejectedMentioning(name, "one of Canary10Percent5Minutes, Canary10Percent10Minutes")
        }
    }

    func testUnknownName_errorSaysWhatWouldFixIt() {
        XCTAssertThrowsError(try DeploymentPreference.named("Blue")) { error in
            XCTAssertEqual((error as? LocalizedError)?.errorDescription, """
                --preference is 'Blue'; expected one of Canary10Percent5Minutes, Canary10Percent10Minutes, \
                Canary10Percent15Minutes, Canary10Percent30Minutes, Linear10PercentEvery1Minute, \
                Linear10PercentEvery2Minutes, Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes, AllAtOnce \
                (each also as CodeDeployDefault.Lambda<name>), or Canary<P>Percent<N>Minutes or \
                Linear<P>PercentEvery<N>Minutes (unit Minute, Minutes, Second or Seconds), e.g. Canary10Percent30Seconds
                """)
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
        }
    }

    func testCodeDeployPrefixOnACustomForm_isRejected_becauseCodeDeployReservesIt() {
        for name in [
            "CodeDeployDefault.LambdaCanary5Percent7Minutes", "CodeDeployDefault.LambdaCanary10Percent5Seconds",
            "CodeDeployDefault.LambdaLinear20PercentEvery1Minute", "CodeDeployDefault.Lambda",
            "CodeDeployDefault.LambdaBlue", "CodeDeployDefault.LambdaCodeDeployDefault.LambdaAllAtOnce",
        ] {
            assertRejectedMentioning(name, "custom forms such as Canary5Percent7Minutes take no prefix")
        }
    }

    // MARK: - Summary

    func testSummary_ofEachPredefinedConfiguration() throws {
        let expected = [
            "Canary10Percent5Minutes": "10% for 5m, then 100%",
            "Canary10Percent10Minutes": "10% for 10m, then 100%",
            "Canary10Percent15Minutes": "10% for 15m, then 100%",
            "Canary10Percent30Minutes": "10% for 30m, then 100%",
            "Linear10PercentEvery1Minute": "+10% every 1m over 9m",
            "Linear10PercentEvery2Minutes": "+10% every 2m over 18m",
            "Linear10PercentEvery3Minutes": "+10% every 3m over 27m",
            "Linear10PercentEvery10Minutes": "+10% every 10m over 1h30m",
            "AllAtOnce": "100% at once",
        ]
        for (name, summary) in expected {
            XCTAssertEqual(try DeploymentPreference.named(name).summary, summary, name)
        }
    }

    func testSummary_ofCustomForms() throws {
        XCTAssertEqual(try DeploymentPreference.named("Canary10Percent30Seconds").summary, "10% for 30s, then 100%")
        XCTAssertEqual(try DeploymentPreference.named("Linear30PercentEvery1Minute").summary, "+30% every 1m over 3m")
        XCTAssertEqual(try DeploymentPreference.named("Linear7PercentEvery1Minute").summary, "+7% every 1m over 14m")
        XCTAssertEqual(try DeploymentPreference.named("Linear60PercentEvery1Minute").summary, "60% for 1m, then 100%")
    }

    func testSummary_ofAStepList_namesEachStep() throws {
        let preference = try DeploymentPreference.parseStepList("5% 2m\n50% 10m\n100%\n", file: "plan.steps")

        XCTAssertEqual(preference.summary, "5% for 2m, 50% for 10m, then 100%")
    }

    func testSummary_ofAStepListWithEqualIncrements_readsAsLinear() throws {
        let preference = try DeploymentPreference.parseStepList("25% 30s\n50% 30s\n75% 30s\n100%", file: "plan.steps")

        XCTAssertEqual(preference.summary, "+25% every 30s over 1m30s")
    }

    // MARK: - Coding

    func testEncodeThenDecode_roundTrips() throws {
        for name in DeploymentPreference.predefinedNames + ["Linear30PercentEvery1Minute", "Canary10Percent30Seconds"] {
            let preference = try DeploymentPreference.named(name)
            XCTAssertEqual(try JSONDecoder().decode(DeploymentPreference.self, from: JSONEncoder().encode(preference)), preference)
        }
    }

    func testDecoding_validatesTheSchedule() {
        let json = Data(#"{"name":"Odd","schedule":{"steps":[{"weight":0.5,"hold":60}]}}"#.utf8)

        XCTAssertThrowsError(try JSONDecoder().decode(DeploymentPreference.self, from: json)) { error in
            XCTAssertEqual(
                error as? ShiftCoreError,
                .invalidValue(field: "steps[0].weight", value: "50%", expected: "100% on the last step: a schedule ends with all traffic on the target version"))
        }
    }

    // MARK: - Step-list files

    func testStepList_oneStepPerLine_percentThenHold() throws {
        let preference = try DeploymentPreference.parseStepList("5% 2m\n50% 10m\n100%\n", file: "plan.steps")

        XCTAssertEqual(preference.schedule.steps, [step(5, hold: 120), step(50, hold: 600), step(100)])
        XCTAssertEqual(preference.schedule.timeline, [entry(0, 5), entry(120, 50), entry(720, 100)])
    }

    func testStepList_isNamedAfterTheFilesLastPathComponent() throws {
        XCTAssertEqual(try DeploymentPreference.parseStepList("100%", file: "plan.steps").name, "Custom(plan.steps)")
        XCTAssertEqual(try DeploymentPreference.parseStepList("100%", file: "deploy/prod/plan.steps").name, "Custom(plan.steps)")
        XCTAssertEqual(try DeploymentPreference.parseStepList("100%", file: "/abs/plan.txt").name, "Custom(plan.txt)")
    }

    func testStepList_ignoresBlankLinesAndComments() throws {
        let text = """
            # A careful rollout.

            5% 2m      # one in twenty

               # indented comment
            50% 10m
            100%       # done
            """
        let preference = try DeploymentPreference.parseStepList(text, file: "plan.steps")

        XCTAssertEqual(preference.schedule.timeline, [entry(0, 5), entry(120, 50), entry(720, 100)])
    }

    func testStepList_acceptsEveryHoldSyntax() throws {
        let text = "1% 30s\n2% 5m\n3% 1h\n4% 90\n5% 1m30s\n6% 0\n100%"
        let schedule = try DeploymentPreference.parseStepList(text, file: "plan.steps").schedule

        XCTAssertEqual(schedule.steps.map(\.hold), [30, 300, 3_600, 90, 90, 0, 0])
    }

    func testStepList_finalHoldOfZeroMayBeWritten() throws {
        XCTAssertEqual(try DeploymentPreference.parseStepList("10% 1m\n100% 0s", file: "p").schedule.steps, [step(10, hold: 60), step(100)])
        XCTAssertEqual(try DeploymentPreference.parseStepList("10% 1m\n100% 0", file: "p").schedule.steps, [step(10, hold: 60), step(100)])
    }

    func testStepList_acceptsDecimalPercentages() throws {
        let schedule = try DeploymentPreference.parseStepList("2.5% 1m\n100%", file: "p").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 2.5), entry(60, 100)])
    }

    func testStepList_acceptsTabsAndWindowsLineEndings() throws {
        let schedule = try DeploymentPreference.parseStepList("10%\t1m\r\n\r\n50%   2m\r\n100%\r\n", file: "p").schedule

        XCTAssertEqual(schedule.timeline, [entry(0, 10), entry(60, 50), entry(180, 100)])
    }

    func testStepList_singleFullStep_isAllAtOnce() throws {
        XCTAssertEqual(try DeploymentPreference.parseStepList("100%", file: "p").schedule.timeline, [entry(0, 100)])
    }

    func testStepList_exactly2880Minutes_isAllowed() throws {
        XCTAssertEqual(try DeploymentPreference.parseStepList("10% 24h\n20% 1440m\n100%", file: "p").schedule.totalDuration, 172_800)
    }

    func testStepList_percentWithoutSign_isRejectedAtItsLine() {
        assertStepListRejected(
            "10% 1m\n20 1m\n100%", line: 2, field: "percent", value: "20",
            expected: "a percentage such as 10% at the start of the line, then a hold such as 5m")
    }

    func testStepList_holdFirst_isRejectedAsPercent() {
        assertStepListRejected(
            "\n5m 10%\n100%", line: 2, field: "percent", value: "5m",
            expected: "a percentage such as 10% at the start of the line, then a hold such as 5m")
    }

    func testStepList_malformedPercentages_areRejected() {
        for bad in ["abc%", "%", "-5%", "+5%", "1e1%", "nan%", "5%%", "5.%", ".5%", "10 %"] {
            let token = String(bad.prefix { !$0.isWhitespace })
            assertStepListRejected(
                "# plan\n\(bad) 1m\n100%", line: 2, field: "percent", value: token,
                expected: "a percentage such as 10% at the start of the line, then a hold such as 5m")
        }
    }

    func testStepList_zeroPercent_isRejectedAtItsLine() {
        assertStepListRejected("0% 1m\n100%", line: 1, field: "percent", value: "0%", expected: "a percentage above 0% and at most 100%")
    }

    func testStepList_percentAbove100_isRejectedAtItsLine() {
        assertStepListRejected("10% 1m\n\n101%", line: 3, field: "percent", value: "101%", expected: "a percentage above 0% and at most 100%")
    }

    func testStepList_malformedHold_isRejectedAtItsLine() {
        assertStepListRejected("10% 1m\n20% 5x\n100%", line: 2, field: "hold", value: "5x", expected: DurationParser.expectedForm)
    }

    func testStepList_extraWords_areRejectedAsHold() {
        assertStepListRejected("10% 5m then\n100%", line: 1, field: "hold", value: "5m then", expected: DurationParser.expectedForm)
    }

    func testStepList_negativeHold_isRejectedAsHold() {
        assertStepListRejected("10% -5m\n100%", line: 1, field: "hold", value: "-5m", expected: DurationParser.expectedForm)
    }

    func testStepList_missingHoldBeforeTheLastStep_isRejectedAtItsLine() {
        assertStepListRejected(
            "10% 1m\n20%\n100%", line: 2, field: "hold", value: "",
            expected: "a hold after the percentage, e.g. '20% 5m'; only the last step may omit it")
    }

    func testStepList_weightsNotIncreasing_isRejectedAtTheOffendingLine() {
        assertStepListRejected(
            "# plan\n30% 1m\n\n20% 1m\n100%", line: 4, field: "steps", value: "20%",
            expected: "more than the previous step's 30%: weights must strictly increase")
    }

    func testStepList_repeatedWeight_isRejectedAtTheRepeat() {
        assertStepListRejected(
            "10% 1m\n10% 1m\n100%", line: 2, field: "steps", value: "10%",
            expected: "more than the previous step's 10%: weights must strictly increase")
    }

    func testStepList_lastStepNotFull_isRejectedAtTheLastStep() {
        assertStepListRejected(
            "10% 1m\n90%\n# end\n", line: 2, field: "steps", value: "90%",
            expected: "100% on the last step: a schedule ends with all traffic on the target version")
    }

    func testStepList_lastStepHolding_isRejected_becauseBakeIsSeparate() {
        assertStepListRejected(
            "10% 1m\n100% 5m", line: 2, field: "steps", value: "5m",
            expected: "0 on the last step: the bake time after 100% is a separate deployment option")
    }

    func testStepList_over2880Minutes_isRejectedAtTheLineThatCrossesTheLimit() {
        assertStepListRejected(
            "10% 24h\n20% 24h\n30% 1m\n100%", line: 3, field: "steps", value: "48h1m from the first to the last shift",
            expected: "at most 2880 minutes (48h) from the first to the last traffic shift, CodeDeploy's limit")
    }

    func testStepList_empty_isRejected() {
        for text in ["", "\n\n", "# only a comment\n   \n"] {
            assertStepListRejected(
                text, line: 1, field: "steps", value: "",
                expected: "at least one step per line such as '10% 5m', the last one '100%'")
        }
    }

    func testStepList_reportsTheFirstErrorByLine() {
        assertStepListRejected("10% 1m\n5% nope\n0% 1m\n100%", line: 2, field: "hold", value: "nope", expected: DurationParser.expectedForm)
    }

    func testStepList_errorReadsAsFileLineFieldValue() {
        XCTAssertThrowsError(try DeploymentPreference.parseStepList("10% 1m\n5% 1m\n100%", file: "deploy/plan.steps")) { error in
            XCTAssertEqual(
                (error as? LocalizedError)?.errorDescription,
                "deploy/plan.steps:2: steps is '5%'; expected more than the previous step's 10%: weights must strictly increase")
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
        }
    }

    // MARK: - Helpers

    // MARK: - Step-list pause and analysis lines

    func testStepList_pauseAndAnalysisLines_standAfterTheStepBeforeThem() throws {
        let text = "10% 5m\nanalysis\npause   # until promoted\n50% 10m\npause 10m\n100%\n"
        let steps = try DeploymentPreference.parseStepList(text, file: "plan.steps").schedule.steps
        XCTAssertEqual(steps.map(\.weight), [weight(10), weight(50), weight(100)])
        XCTAssertEqual(steps[0].gates, [StepGate(.analysis, line: 2), StepGate(.pause, line: 3)])
        XCTAssertEqual(steps[1].gates, [StepGate(.pause, duration: 600, line: 5)])
        XCTAssertEqual(steps[2].gates, [])
    }

    func testStepList_withGates_summaryAndTimelineShowThem() throws {
        let preference = try DeploymentPreference.parseStepList("10% 5m\nanalysis\npause\n50% 1m\npause 10m\n100%", file: "plan.steps")
        XCTAssertEqual(preference.summary, "10% for 5m, analysis, pause, 50% for 1m, pause 10m, then 100%")
        // A pause until promoted and an analysis count as no time; a timed pause does.
        XCTAssertEqual(preference.schedule.timeline.map(\.offset), [0, 300, 960])
    }

    func testStepList_withGates_roundTripsThroughJSON_andOldRecordsWithoutGatesDecode() throws {
        let preference = try DeploymentPreference.parseStepList("10% 5m\npause 1m\n100%", file: "plan.steps")
        XCTAssertEqual(try JSONDecoder().decode(DeploymentPreference.self, from: JSONEncoder().encode(preference)), preference)
        let old = #"{"name":"x","schedule":{"steps":[{"weight":0.1,"hold":60},{"weight":1,"hold":0}]}}"#
        let decoded = try JSONDecoder().decode(DeploymentPreference.self, from: Data(old.utf8))
        XCTAssertEqual(decoded.schedule.steps.map(\.gates), [[], []])
        let plain = String(decoding: try JSONEncoder().encode(try DeploymentPreference.named("Canary10Percent5Minutes")), as: UTF8.self)
        XCTAssertFalse(plain.contains("gates"), "a schedule without gates reads as before: \(plain)")
    }

    func testStepList_gateBeforeTheFirstStep_isRejectedAtItsLine() {
        assertStepListRejected("# plan\npause\n10% 1m\n100%", line: 2, field: "pause", value: "pause",
                               expected: "a step such as '10% 5m' before it: a pause line stands between two steps")
        assertStepListRejected("analysis\n100%", line: 1, field: "analysis", value: "analysis",
                               expected: "a step such as '10% 5m' before it: a analysis line stands between two steps")
    }

    func testStepList_gateAfterTheLastStep_isRejectedAtItsLine() {
        assertStepListRejected("10% 1m\n100%\n\npause 5m", line: 4, field: "pause", value: "pause 5m",
                               expected: "a step after it: pause and analysis lines stand between two steps, before the last one (100%)")
    }

    func testStepList_malformedPauseOrAnalysis_isRejectedAtItsLine() {
        let pause = "'pause' alone (until promoted) or 'pause' and a duration above 0, e.g. 'pause 10m'"
        assertStepListRejected("10% 1m\npause soon\n100%", line: 2, field: "pause", value: "soon", expected: pause)
        assertStepListRejected("10% 1m\npause 0s\n100%", line: 2, field: "pause", value: "0s", expected: pause)
        assertStepListRejected("10% 1m\nanalysis now\n100%", line: 2, field: "analysis", value: "analysis now",
                               expected: "'analysis' alone: the analysis is the deployment's own")
    }

    func testStepList_analysisLine_withoutAnAnalysisInTheRequest_isAValidationErrorNamingTheLine() throws {
        let preference = try DeploymentPreference.parseStepList("10% 1m\n\nanalysis\n100%", file: "plan.steps")
        let request = DeploymentRequest(functionName: "orders", alias: "live", targetVersion: 2, preference: preference)
        XCTAssertThrowsError(try request.validate()) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
            XCTAssertEqual((error as? LocalizedError)?.errorDescription,
                           "Custom(plan.steps) line 3 is 'analysis'; expected an analysis for the deployment: an 'analysis' line runs the deployment's canary analysis, and this deployment has none")
        }
    }

    private func step(_ percent: Double, hold: TimeInterval = 0) -> TrafficStep {
        TrafficStep(weight: weight(percent), hold: hold)
    }

    private func entry(_ offset: TimeInterval, _ percent: Double) -> TrafficSchedule.TimelineEntry {
        TrafficSchedule.TimelineEntry(offset: offset, weight: weight(percent))
    }

    private func weight(_ percent: Double) -> Weight {
        do { return try Weight(percent: percent) } catch { fatalError("\(error)") }
    }

    private func assertRejected(_ name: String, expected: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try DeploymentPreference.named(name), "'\(name)' was accepted", file: file, line: line) { error in
            XCTAssertEqual(
                error as? ShiftCoreError, .invalidValue(field: "--preference", value: name, expected: expected),
                file: file, line: line)
        }
    }

    private func assertRejectedMentioning(_ name: String, _ phrase: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try DeploymentPreference.named(name), "'\(name)' was accepted", file: file, line: line) { error in
            guard case let .invalidValue(field, value, expected)? = error as? ShiftCoreError else {
                return XCTFail("unexpected error \(error)", file: file, line: line)
            }
            XCTAssertEqual(field, "--preference", file: file, line: line)
            XCTAssertEqual(value, name, file: file, line: line)
            XCTAssertTrue(expected.contains(phrase), "'\(expected)' does not mention '\(phrase)'", file: file, line: line)
        }
    }

    private func assertStepListRejected(
        _ text: String, line stepLine: Int, field: String, value: String, expected: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertThrowsError(try DeploymentPreference.parseStepList(text, file: "plan.steps"), file: file, line: line) { error in
            XCTAssertEqual(
                error as? ShiftCoreError,
                .invalidFileValue(file: "plan.steps", line: stepLine, field: field, value: value, expected: expected),
                file: file, line: line)
        }
    }
}

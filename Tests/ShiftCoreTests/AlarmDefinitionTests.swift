import XCTest
import ShiftCore

final class AlarmDefinitionTests: XCTestCase {
    /// A valid definition with one setting changed.
    private func makeDefinition(
        name: String = "orders-errors",
        functionName: String = "orders",
        alias: String? = "live",
        version: Int? = nil,
        statistic: Statistic = .sum,
        period: TimeInterval = 60,
        evaluationPeriods: Int = 3,
        datapointsToAlarm: Int = 2,
        threshold: Double = 1
    ) throws -> AlarmDefinition {
        try AlarmDefinition(
            name: name, functionName: functionName, alias: alias, version: version, metric: .errors,
            statistic: statistic, period: period, evaluationPeriods: evaluationPeriods,
            datapointsToAlarm: datapointsToAlarm, threshold: threshold, comparison: .greaterThanOrEqualToThreshold,
            treatMissingData: .notBreaching)
    }

    /// Asserts that `body` throws `ShiftCoreError.invalidValue` for `field`, and returns the error's message.
    @discardableResult
    private func assertInvalid(
        _ field: String, file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Any
    ) -> String? {
        var message: String?
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let error = error as? ShiftCoreError, case let .invalidValue(actualField, _, _) = error else {
                return XCTFail("expected ShiftCoreError.invalidValue, got \(error)", file: file, line: line)
            }
            XCTAssertEqual(actualField, field, file: file, line: line)
            XCTAssertEqual(error.category, .badInput, file: file, line: line)
            message = error.errorDescription
        }
        return message
    }

    // MARK: Valid definitions

    func testValidDefinition_keepsEverySetting() throws {
        let definition = try makeDefinition()
        XCTAssertEqual(definition.name, "orders-errors")
        XCTAssertEqual(definition.functionName, "orders")
        XCTAssertEqual(definition.alias, "live")
        XCTAssertNil(definition.version)
        XCTAssertEqual(definition.metric, .errors)
        XCTAssertEqual(definition.statistic, .sum)
        XCTAssertEqual(definition.period, 60)
        XCTAssertEqual(definition.evaluationPeriods, 3)
        XCTAssertEqual(definition.datapointsToAlarm, 2)
        XCTAssertEqual(definition.threshold, 1)
        XCTAssertEqual(definition.comparison, .greaterThanOrEqualToThreshold)
        XCTAssertEqual(definition.treatMissingData, .notBreaching)
    }

    func testTreatMissingData_defaultsToMissing_asCloudWatchDoes() throws {
        let definition = try AlarmDefinition(
            name: "a", functionName: "f", metric: .duration, statistic: .percentile(99), period: 60,
            evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 500, comparison: .greaterThanThreshold)
        XCTAssertEqual(definition.treatMissingData, .missing)
        XCTAssertNil(definition.alias)
        XCTAssertNil(definition.version)
    }

    func testNeitherAliasNorVersion_isValid_andWatchesTheWholeFunction() throws {
        XCTAssertNoThrow(try makeDefinition(alias: nil, version: nil))
    }

    func testVersionWithoutAlias_isValid() throws {
        XCTAssertEqual(try makeDefinition(alias: nil, version: 7).version, 7)
    }

    func testBoundaryValues_areAccepted() throws {
        XCTAssertNoThrow(try makeDefinition(name: String(repeating: "a", count: 255)))
        XCTAssertNoThrow(try makeDefinition(period: 1, evaluationPeriods: 1, datapointsToAlarm: 1))
        XCTAssertNoThrow(try makeDefinition(evaluationPeriods: 5, datapointsToAlarm: 5))
        XCTAssertNoThrow(try makeDefinition(period: 60, evaluationPeriods: 1440, datapointsToAlarm: 1))
        XCTAssertNoThrow(try makeDefinition(period: 86_400, evaluationPeriods: 1, datapointsToAlarm: 1))
        XCTAssertNoThrow(try makeDefinition(statistic: .percentile(0.001)))
        XCTAssertNoThrow(try makeDefinition(statistic: .percentile(99.999)))
        XCTAssertNoThrow(try makeDefinition(threshold: -1e300))
    }

    // MARK: Validation, one rule each

    func testEmptyName_isRejected() {
        assertInvalid("--alarm-name") { try self.makeDefinition(name: "") }
    }

    func testNameLongerThan255Characters_isRejected() {
        let message = assertInvalid("--alarm-name") { try self.makeDefinition(name: String(repeating: "a", count: 256)) }
        XCTAssertTrue(message?.contains("256 characters") ?? false, message ?? "")
        XCTAssertTrue(message?.contains("at most 255 characters") ?? false, message ?? "")
    }

    func testNonASCIIName_isRejected_asCloudWatchRequires() {
        assertInvalid("--alarm-name") { try self.makeDefinition(name: "erreurs-é") }
    }

    func testEmptyFunctionName_isRejected() {
        assertInvalid("--function-name") { try self.makeDefinition(functionName: "") }
    }

    func testEmptyAlias_isRejected() {
        assertInvalid("--alias") { try self.makeDefinition(alias: "") }
    }

    func testVersionBelowOne_isRejected() {
        assertInvalid("--version") { try self.makeDefinition(alias: nil, version: 0) }
        assertInvalid("--version") { try self.makeDefinition(alias: nil, version: -3) }
    }

    func testAliasAndVersionTogether_areRejected() {
        let message = assertInvalid("--alias") { try self.makeDefinition(alias: "live", version: 3) }
        XCTAssertEqual(
            message,
            "--alias is 'live with --version 3'; expected at most one of --alias and --version (give neither to watch every invocation of the function)")
    }

    func testPeriodOfZeroOrLess_isRejected() {
        assertInvalid("--period") { try self.makeDefinition(period: 0) }
        assertInvalid("--period") { try self.makeDefinition(period: -60) }
    }

    func testPeriodNotAWholeNumberOfSeconds_isRejected() {
        let message = assertInvalid("--period") { try self.makeDefinition(period: 1.5) }
        XCTAssertEqual(message, "--period is '1.5'; expected a whole number of seconds greater than 0, e.g. 60")
    }

    func testPeriodNotFinite_isRejected() {
        assertInvalid("--period") { try self.makeDefinition(period: .infinity) }
        assertInvalid("--period") { try self.makeDefinition(period: .nan) }
    }

    func testEvaluationPeriodsBelowOne_isRejected() {
        assertInvalid("--evaluation-periods") { try self.makeDefinition(evaluationPeriods: 0, datapointsToAlarm: 1) }
    }

    func testDatapointsToAlarmBelowOne_isRejected() {
        assertInvalid("--datapoints-to-alarm") { try self.makeDefinition(datapointsToAlarm: 0) }
    }

    func testDatapointsToAlarmAboveEvaluationPeriods_isRejected_sayingTheLimit() {
        let message = assertInvalid("--datapoints-to-alarm") { try self.makeDefinition(evaluationPeriods: 3, datapointsToAlarm: 4) }
        XCTAssertEqual(message, "--datapoints-to-alarm is '4'; expected from 1 to --evaluation-periods (3)")
    }

    func testEvaluationLongerThanOneDay_isRejected_sayingHowManyPeriodsFit() {
        let message = assertInvalid("--evaluation-periods") { try self.makeDefinition(period: 60, evaluationPeriods: 1441, datapointsToAlarm: 1) }
        XCTAssertTrue(message?.contains("at most 1440 with --period 60") ?? false, message ?? "")
    }

    func testPeriodLongerThanOneDay_isRejected() {
        assertInvalid("--period") { try self.makeDefinition(period: 86_401, evaluationPeriods: 1, datapointsToAlarm: 1) }
    }

    func testPercentileOutsideZeroToHundred_isRejected() {
        for percent in [0, 100, -1, 150, Double.nan, .infinity] {
            assertInvalid("--statistic") { try self.makeDefinition(statistic: .percentile(percent)) }
        }
    }

    func testThresholdNotFinite_isRejected() {
        assertInvalid("--threshold") { try self.makeDefinition(threshold: .infinity) }
        assertInvalid("--threshold") { try self.makeDefinition(threshold: .nan) }
    }

    // MARK: Codable

    func testCoding_roundTrips() throws {
        for definition in [try makeDefinition(), try makeDefinition(alias: nil, version: 4, statistic: .percentile(99.9))] {
            let decoded = try JSONDecoder().decode(AlarmDefinition.self, from: JSONEncoder().encode(definition))
            XCTAssertEqual(decoded, definition)
        }
    }

    func testEncoding_writesStatisticAndOperatorsAsCloudWatchStrings() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(try makeDefinition(statistic: .percentile(99))), as: UTF8.self)
        XCTAssertEqual(
            json,
            #"{"alias":"live","comparison":"GreaterThanOrEqualToThreshold","datapointsToAlarm":2,"evaluationPeriods":3,"#
                + #""functionName":"orders","metric":"Errors","name":"orders-errors","period":60,"statistic":"p99","#
                + #""threshold":1,"treatMissingData":"notBreaching"}"#)
    }

    func testDecoding_withoutDatapointsToAlarmOrTreatMissingData_usesPutMetricAlarmDefaults() throws {
        let json = #"{"name":"a","functionName":"f","metric":"Duration","statistic":"p99","period":60,"#
            + #""evaluationPeriods":4,"threshold":800,"comparison":"GreaterThanThreshold"}"#
        let definition = try JSONDecoder().decode(AlarmDefinition.self, from: Data(json.utf8))
        XCTAssertEqual(definition.datapointsToAlarm, 4)
        XCTAssertEqual(definition.treatMissingData, .missing)
    }

    func testDecoding_validatesAsTheInitializerDoes() {
        let json = #"{"name":"a","functionName":"f","metric":"Errors","statistic":"Sum","period":60,"#
            + #""evaluationPeriods":3,"datapointsToAlarm":5,"threshold":1,"comparison":"GreaterThanThreshold"}"#
        assertInvalid("--datapoints-to-alarm") { try JSONDecoder().decode(AlarmDefinition.self, from: Data(json.utf8)) }
    }

    func testDecoding_rejectsAliasAndVersionTogether() {
        let json = #"{"name":"a","functionName":"f","alias":"live","version":2,"metric":"Errors","statistic":"Sum","#
            + #""period":60,"evaluationPeriods":1,"threshold":1,"comparison":"GreaterThanThreshold"}"#
        assertInvalid("--alias") { try JSONDecoder().decode(AlarmDefinition.self, from: Data(json.utf8)) }
    }

    func testDecoding_rejectsUnknownStatisticNamingTheAcceptedForms() {
        let json = #"{"name":"a","functionName":"f","metric":"Errors","statistic":"Median","period":60,"#
            + #""evaluationPeriods":1,"threshold":1,"comparison":"GreaterThanThreshold"}"#
        assertInvalid("statistic") { try JSONDecoder().decode(AlarmDefinition.self, from: Data(json.utf8)) }
    }
}

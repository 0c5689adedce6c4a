import ShiftCore
import XCTest

final class DurationParserTests: XCTestCase {
    // MARK: - Accepted forms

    func testBareNumber_isSeconds() throws {
        XCTAssertEqual(try DurationParser.parse(duration: "90"), 90)
        XCTAssertEqual(try DurationParser.parse(duration: "0"), 0)
        XCTAssertEqual(try DurationParser.parse(duration: "172800"), 172_800)
    }

    func testEachUnit_isSecondsMinutesOrHours() throws {
        XCTAssertEqual(try DurationParser.parse(duration: "30s"), 30)
        XCTAssertEqual(try DurationParser.parse(duration: "5m"), 300)
        XCTAssertEqual(try DurationParser.parse(duration: "1h"), 3_600)
    }

    func testZeroWithAUnit_isZero() throws {
        XCTAssertEqual(try DurationParser.parse(duration: "0s"), 0)
        XCTAssertEqual(try DurationParser.parse(duration: "0m"), 0)
        XCTAssertEqual(try DurationParser.parse(duration: "0h"), 0)
    }

    func testCombinedUnits_addUp() throws {
        XCTAssertEqual(try DurationParser.parse(duration: "1m30s"), 90)
        XCTAssertEqual(try DurationParser.parse(duration: "1h15m"), 4_500)
        XCTAssertEqual(try DurationParser.parse(duration: "1h30s"), 3_630)
        XCTAssertEqual(try DurationParser.parse(duration: "2h0m5s"), 7_205)
    }

    func testComponentsMayExceedTheirUnit() throws {
        XCTAssertEqual(try DurationParser.parse(duration: "90m"), 5_400)
        XCTAssertEqual(try DurationParser.parse(duration: "1m90s"), 150)
    }

    func testLeadingZeros_areAccepted() throws {
        XCTAssertEqual(try DurationParser.parse(duration: "05m"), 300)
    }

    func testDays_comeBeforeHours() throws {
        XCTAssertEqual(try DurationParser.parse(duration: "7d"), 604_800)
        XCTAssertEqual(try DurationParser.parse(duration: "1d12h"), 129_600)
        assertRejected("1h1d")
    }

    func testSurroundingWhitespace_isIgnored() throws {
        XCTAssertEqual(try DurationParser.parse(duration: "  5m "), 300)
        XCTAssertEqual(try DurationParser.parse(duration: "\t90"), 90)
    }

    // MARK: - Rejected forms

    func testEmpty_isRejected() {
        assertRejected("")
        assertRejected("   ")
    }

    func testUnknownUnit_isRejected() {
        assertRejected("5x")
        assertRejected("5min")
        assertRejected("5M")
        assertRejected("5ms")
    }

    func testUnitWithoutNumber_isRejected() {
        assertRejected("m")
        assertRejected("1mh")
        assertRejected("h1m")
    }

    func testUnitsOutOfOrder_areRejected() {
        assertRejected("1m1h")
        assertRejected("30s1m")
    }

    func testRepeatedUnit_isRejected() {
        assertRejected("1m2m")
        assertRejected("1s1s")
    }

    func testTrailingNumberWithoutUnit_isRejected() {
        assertRejected("1m30")
    }

    func testInnerWhitespace_isRejected() {
        assertRejected("5 m")
        assertRejected("1m 30s")
    }

    func testNegativeAndFractional_areRejected() {
        assertRejected("-5s")
        assertRejected("-5")
        assertRejected("1.5m")
        assertRejected("0.5")
        assertRejected("+5s")
    }

    func testNonASCIIDigits_areRejected() {
        assertRejected("٥s")
        assertRejected("٥")
    }

    func testNumberTooLargeForAnInteger_isRejected() {
        assertRejected("99999999999999999999")
        assertRejected("99999999999999999999s")
    }

    func testError_namesTheFieldAndValue_andShowsTheSyntax() {
        XCTAssertThrowsError(try DurationParser.parse(duration: "5x", field: "--hold")) { error in
            XCTAssertEqual(
                error as? ShiftCoreError,
                .invalidValue(field: "--hold", value: "5x", expected: "a duration such as 30s, 5m, 1h, 1m30s or 90 (seconds)"))
            XCTAssertEqual(
                (error as? LocalizedError)?.errorDescription,
                "--hold is '5x'; expected a duration such as 30s, 5m, 1h, 1m30s or 90 (seconds)")
        }
    }

    func testError_defaultsToFieldDuration() {
        XCTAssertThrowsError(try DurationParser.parse(duration: "soon")) { error in
            XCTAssertEqual(error as? ShiftCoreError, .invalidValue(field: "duration", value: "soon", expected: DurationParser.expectedForm))
        }
    }

    // MARK: - Formatting

    func testFormat_writesLargestUnitsFirst_andSkipsZeroComponents() {
        XCTAssertEqual(DurationParser.format(0), "0s")
        XCTAssertEqual(DurationParser.format(30), "30s")
        XCTAssertEqual(DurationParser.format(60), "1m")
        XCTAssertEqual(DurationParser.format(90), "1m30s")
        XCTAssertEqual(DurationParser.format(300), "5m")
        XCTAssertEqual(DurationParser.format(3_600), "1h")
        XCTAssertEqual(DurationParser.format(3_630), "1h30s")
        XCTAssertEqual(DurationParser.format(5_400), "1h30m")
        XCTAssertEqual(DurationParser.format(3_661), "1h1m1s")
        XCTAssertEqual(DurationParser.format(172_800), "48h")
    }

    func testFormat_keepsFractionsAndSigns() {
        XCTAssertEqual(DurationParser.format(1.5), "1.5s")
        XCTAssertEqual(DurationParser.format(-90), "-1m30s")
    }

    func testFormatThenParse_roundTrips() throws {
        for seconds: TimeInterval in [0, 1, 59, 60, 61, 3_599, 3_600, 3_601, 3_661, 86_400, 172_800] {
            XCTAssertEqual(try DurationParser.parse(duration: DurationParser.format(seconds)), seconds, "\(seconds)")
        }
    }

    // MARK: - Helpers

    private func assertRejected(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try DurationParser.parse(duration: text), "'\(text)' was accepted", file: file, line: line) { error in
            XCTAssertEqual(
                error as? ShiftCoreError,
                .invalidValue(field: "duration", value: text, expected: DurationParser.expectedForm),
                file: file, line: line)
        }
    }
}

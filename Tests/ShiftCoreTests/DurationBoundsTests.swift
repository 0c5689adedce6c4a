import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

final class DurationBoundsTests: XCTestCase {
    private let every: [(name: String, bounds: DurationBounds)] = [
        ("timeout", .timeout), ("hold", .hold), ("run", .run), ("pollInterval", .pollInterval),
        ("approvalTimeout", .approvalTimeout), ("history", .history), ("period", .period),
    ]

    // MARK: Syntax

    func testPlainSecondsAndUnits_parseAlike() throws {
        XCTAssertEqual(try DurationBounds.timeout.parse("90", field: "f"), 90)
        XCTAssertEqual(try DurationBounds.timeout.parse("0.5", field: "f"), 0.5)
        XCTAssertEqual(try DurationBounds.timeout.parse("1m30s", field: "f"), 90)
        XCTAssertEqual(try DurationBounds.timeout.parse(" 1h ", field: "f"), 3_600)
        XCTAssertEqual(try DurationBounds.timeout.parse("7d", field: "f"), 604_800)
        XCTAssertEqual(try DurationBounds.approvalTimeout.parse("30d", field: "f"), 2_592_000)
    }

    func testHold_acceptsZero() throws {
        XCTAssertEqual(try DurationBounds.hold.parse("0", field: "--bake"), 0)
        XCTAssertEqual(try DurationBounds.hold.parse("0s", field: "--bake"), 0)
    }

    func testExponentNaNInfinityAndSigns_areRejected_namingTheRange() {
        for text in ["2e10", "1e-300", "1e308", "nan", "NaN", "inf", "-inf", "infinity", "+5", "-1", "0x10", "1.", ".5", "1..2", "5 m", "", "   "] {
            assertRejected(.timeout, text, field: "--hook-timeout")
        }
    }

    func testAboveTheMaximum_isRejected() {
        assertRejected(.timeout, "604801", field: "--hook-timeout")
        assertRejected(.timeout, "8d", field: "--hook-timeout")
        assertRejected(.hold, "1000000000000000000000000000000", field: "--bake")
        assertRejected(.hold, String(repeating: "9", count: 400), field: "--bake")
        assertRejected(.approvalTimeout, "31d", field: "stages[1].timeout")
        assertRejected(.pollInterval, "2h", field: "--poll-interval")
        assertRejected(.period, "86401", field: "--period")
    }

    func testBelowTheMinimum_isRejected() {
        assertRejected(.pollInterval, "0.001", field: "--poll-interval")
        assertRejected(.pollInterval, "0", field: "--poll-interval")
        assertRejected(.timeout, "0", field: "--hook-timeout")
        assertRejected(.run, "0s", field: "--duration")
        assertRejected(.history, "0.5", field: "--since")
    }

    func testError_isOneLine_namingFieldValueAndRange() {
        XCTAssertThrowsError(try DurationBounds.timeout.parse("2e10", field: "--hook-timeout")) { error in
            XCTAssertEqual(
                (error as? LocalizedError)?.errorDescription,
                "--hook-timeout is '2e10'; expected a duration from 0.001s to 7d, e.g. 90 (seconds), 0.5, 30s, 5m, 1h30m or 7d")
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
        }
        XCTAssertThrowsError(try DurationBounds.pollInterval.parse("0", field: "--poll-interval")) { error in
            XCTAssertEqual((error as? LocalizedError)?.errorDescription?.contains("from 0.01s to 1h"), true)
        }
    }

    func testLongHostileInput_isQuotedShort() {
        let text = String(repeating: "9", count: 5_000)
        XCTAssertThrowsError(try DurationBounds.hold.parse(text, field: "--bake")) { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertLessThan(message.count, 200, message)
        }
    }

    // MARK: Numbers that arrive as numbers

    func testCheck_refusesNonFiniteAndOutOfRange() {
        for value in [Double.nan, .infinity, -.infinity, -1, 2e10, 1e308] {
            XCTAssertThrowsError(try DurationBounds.hold.check(value, field: "--bake"), "\(value)")
        }
        XCTAssertNoThrow(try DurationBounds.hold.check(600, field: "--bake"))
    }

    /// `Task.sleep(nanoseconds:)` takes a UInt64: no accepted duration may overflow it.
    func testEveryMaximum_fitsInUInt64Nanoseconds() {
        for (name, bounds) in every {
            XCTAssertLessThan(bounds.maximum * 1e9, 0x1p64, name)
            XCTAssertTrue(bounds.contains(bounds.maximum), name)
            XCTAssertFalse(bounds.contains(bounds.maximum.nextUp), name)
        }
    }

    // MARK: Property

    /// The audit's method kept as a test: random text from the characters that matter, for every use. Each
    /// input is either accepted within the bounds, or refused with `invalidValue` naming the field; never a trap.
    func testRandomText_isAcceptedWithinBounds_orRefusedAsBadInput() {
        var generator = SeededGenerator(seed: 11)
        let pieces = ["0", "1", "7", "9", "99999", ".", "e", "e-", "E+", "-", "+", "d", "h", "m", "s", "ms", "nan", "inf", " ", "x", "٥", "0x"]
        var accepted = 0
        for _ in 0..<5_000 {
            let count = Int.random(in: 1...8, using: &generator)
            let text = (0..<count).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let (name, bounds) = every.randomElement(using: &generator)!
            do {
                let seconds = try bounds.parse(text, field: name)
                XCTAssertTrue(bounds.contains(seconds), "\(name) accepted '\(text)' as \(seconds)")
                accepted += 1
            } catch let error as ShiftCoreError {
                guard case let .invalidValue(field, _, expected) = error else { return XCTFail("\(name) '\(text)': \(error)") }
                XCTAssertEqual(field, name)
                XCTAssertEqual(expected, bounds.expected)
                XCTAssertFalse((error.errorDescription ?? "").contains("\n"))
            } catch {
                XCTFail("\(name) '\(text)': unexpected \(error)")
            }
        }
        // Not a vacuous property: some inputs pass.
        XCTAssertGreaterThan(accepted, 100)
    }

    // MARK: Helpers

    private func assertRejected(_ bounds: DurationBounds, _ text: String, field: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try bounds.parse(text, field: field), "'\(text)' was accepted", file: file, line: line) { error in
            guard case let .invalidValue(reportedField, _, expected)? = error as? ShiftCoreError else {
                return XCTFail("\(error)", file: file, line: line)
            }
            XCTAssertEqual(reportedField, field, file: file, line: line)
            XCTAssertEqual(expected, bounds.expected, file: file, line: line)
        }
    }
}

@testable import ShiftCore
import XCTest

final class TimestampTests: XCTestCase {
    private func foundationParse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    func testParseUTC_givesTheFormatStylesInstant_toAMicrosecond_forWhatFormatWrites() {
        var generator = SystemRandomNumberGenerator()
        // Milliseconds from 1970 to 2400, leap days and year ends included by chance and by hand.
        var instants = (0..<5_000).map { _ in Double(Int.random(in: 0..<13_569_465_600_000, using: &generator)) / 1_000 }
        instants += [0, 951_782_400, 951_868_799.999, 4_107_542_400, 1_798_761_599.999]
        for instant in instants {
            let text = Timestamp.format(Date(timeIntervalSince1970: instant))
            XCTAssertEqual(Timestamp.parseUTC(text.utf8)!.timeIntervalSince1970, foundationParse(text)!.timeIntervalSince1970, accuracy: 1e-5, text)
            let whole = String(text.prefix(19)) + "Z"
            XCTAssertEqual(Timestamp.parseUTC(whole.utf8)!.timeIntervalSince1970, foundationParse(whole)!.timeIntervalSince1970, accuracy: 1e-5, whole)
        }
    }

    func testParseUTC_whenTheDateDoesNotExist_orTheFormDiffers_returnsNil() {
        for text in ["2026-02-29T00:00:00.000Z", "2026-13-01T00:00:00.000Z", "2026-11-25T24:00:00.000Z",
                     "2026-11-25T04:30:00.123+0000", "2026-11-25T04:30:00,123Z", "2026-11-25 04:30:00.123Z", "2026-11-25T04:30:0a.123Z"] {
            XCTAssertNil(Timestamp.parseUTC(text.utf8), text)
        }
        XCTAssertNotNil(Timestamp.parseUTC("2028-02-29T00:00:00.000Z".utf8))
    }

    /// A time read and written again is written as read: Foundation's format style, which truncates, wrote
    /// `.123` back as `.122` for 4 instants in 10.
    func testFormat_ofWhatParseReads_writesItBackUnchanged() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let milliseconds = Int.random(in: -62_135_596_800_000..<253_402_300_800_000, using: &generator)
            let date = Date(timeIntervalSince1970: Double(milliseconds) / 1_000)
            let text = Timestamp.format(date)
            XCTAssertEqual(Timestamp.format(Timestamp.parse(text)!), text)
            XCTAssertEqual(Timestamp.parse(text)!.timeIntervalSince1970, date.timeIntervalSince1970, accuracy: 1e-6, text)
        }
    }

    /// The calendar arithmetic writes the dates Foundation's Gregorian calendar names, leap days and negative
    /// instants included; a time between two milliseconds goes to the nearer one, carrying into the next day.
    /// (From 1583: before its 1582 reform Foundation's calendar is Julian, ISO 8601's stays Gregorian.)
    func testFormat_writesFoundationsCalendarDate_toTheNearestMillisecond() {
        var generator = SystemRandomNumberGenerator()
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        var seconds = (0..<2_000).map { _ in Int.random(in: -12_212_553_600..<253_402_300_800, using: &generator) }
        seconds += [0, -1, 951_782_400, 951_868_799, 4_107_542_400, 1_798_761_599]
        for second in seconds {
            let date = Date(timeIntervalSince1970: Double(second))
            let parts = utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let expected = String(format: "%04d-%02d-%02dT%02d:%02d:%02d.000Z", parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!)
            XCTAssertEqual(Timestamp.format(date), expected)
        }
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_764_650_000.1239)), "2025-12-02T04:33:20.124Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: 1_764_719_999.9996)), "2025-12-03T00:00:00.000Z")
        XCTAssertEqual(Timestamp.format(Date(timeIntervalSince1970: -1.5)), "1969-12-31T23:59:58.500Z")
        XCTAssertEqual(LambdaTimestamp.format(Date(timeIntervalSince1970: 1_764_650_000.123)), "2025-12-02T04:33:20.123+0000")
    }

    func testParse_readsOtherISO8601Forms_throughFoundation() {
        XCTAssertEqual(Timestamp.parse("2026-11-25T05:30:00.250+01:00")?.timeIntervalSince1970, 1_795_581_000.25)
        XCTAssertNil(Timestamp.parse("yesterday"))
    }
}

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
}

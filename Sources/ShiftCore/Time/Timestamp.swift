import Foundation

/// ISO 8601 timestamps with milliseconds, in UTC.
public enum Timestamp {
    /// "2026-11-25T04:30:00.123Z".
    public static func format(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }

    /// Parses what `format` writes, with or without fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// What `format` writes, `YYYY-MM-DDTHH:MM:SS.mmmZ` (or without `.mmm`), read by arithmetic: listing orders
    /// thousands of deployments by their creation time, and the format style's parser costs microseconds a call.
    /// The instant is `parse`'s to within 10 microseconds (the two round differently in the last bits), so it orders
    /// but does not replace `parse`. Nil for any other form (offsets, other fractions). Inlinable, so that it is
    /// specialised for the caller's byte collection (unspecialised, each byte went through a value witness).
    @inlinable
    public static func parseUTC<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Date? {
        guard bytes.count == 24 || bytes.count == 20 else { return nil }
        var index = bytes.startIndex
        func number(_ width: Int, then separator: UInt8?) -> Int? {
            var value = 0
            for _ in 0..<width {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
                index = bytes.index(after: index)
            }
            if let separator {
                guard bytes[index] == separator else { return nil }
                index = bytes.index(after: index)
            }
            return value
        }
        guard let year = number(4, then: UInt8(ascii: "-")), let month = number(2, then: UInt8(ascii: "-")),
              let day = number(2, then: UInt8(ascii: "T")), let hour = number(2, then: UInt8(ascii: ":")),
              let minute = number(2, then: UInt8(ascii: ":")),
              let second = number(2, then: bytes.count == 24 ? UInt8(ascii: ".") : UInt8(ascii: "Z")) else { return nil }
        var millisecond = 0
        if bytes.count == 24 {
            guard let fraction = number(3, then: UInt8(ascii: "Z")) else { return nil }
            millisecond = fraction
        }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 60 else { return nil }
        let seconds = daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3_600 + minute * 60 + second
        return Date(timeIntervalSince1970: Double(seconds) + Double(millisecond) / 1_000)
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`).
    @usableFromInline
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let shifted = month <= 2 ? year - 1 : year
        let era = (shifted >= 0 ? shifted : shifted - 399) / 400
        let yearOfEra = shifted - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    @usableFromInline
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

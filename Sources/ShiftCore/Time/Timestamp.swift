import Foundation

/// ISO 8601 timestamps with milliseconds, in UTC.
///
/// Both directions are arithmetic on whole milliseconds, so that a time read and written again is written as it was
/// read. Foundation's `Date.ISO8601FormatStyle` truncates: `2025-12-02T04:33:20.123Z` parses to a `Date` a hair
/// below `.123`, which it then writes as `.122`, so that 4 times in 10 a record saved again moved its times back a
/// millisecond. It also costs microseconds and a locale's set-up per call, on every state file read.
public enum Timestamp {
    /// "2026-11-25T04:30:00.123Z": `date` to the nearest millisecond, in the proleptic Gregorian calendar as ISO 8601
    /// has it. Years outside 0 to 9999 are written by Foundation's format style.
    public static func format(_ date: Date) -> String {
        format(milliseconds: (date.timeIntervalSince1970 * 1_000).rounded())
            ?? date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!))
    }

    /// `format`'s text for a whole number of milliseconds since 1970, nil outside the years 0 to 9999.
    private static func format(milliseconds: Double) -> String? {
        guard milliseconds.magnitude < 1e15 else { return nil }
        let (days, millisecondOfDay) = floorDivision(Int(milliseconds), 86_400_000)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        guard (0...9999).contains(year) else { return nil }
        var text = ""
        text.reserveCapacity(24)
        func append(_ value: Int, width: Int, then separator: String) {
            let digits = String(value)
            text += String(repeating: "0", count: max(0, width - digits.count)) + digits + separator
        }
        append(year, width: 4, then: "-")
        append(month, width: 2, then: "-")
        append(day, width: 2, then: "T")
        append(millisecondOfDay / 3_600_000, width: 2, then: ":")
        append(millisecondOfDay / 60_000 % 60, width: 2, then: ":")
        append(millisecondOfDay / 1_000 % 60, width: 2, then: ".")
        append(millisecondOfDay % 1_000, width: 3, then: "Z")
        return text
    }

    /// Parses what `format` writes, with or without fractional seconds, and any other ISO 8601 time with an offset
    /// (through Foundation's format style).
    public static func parse(_ text: String) -> Date? {
        if let date = parseUTC(text.utf8) { return date }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }

    /// What `format` writes, `YYYY-MM-DDTHH:MM:SS.mmmZ` (or without `.mmm`), read by arithmetic: the instant is the
    /// whole number of milliseconds written, which `format` writes back unchanged. Nil for any other form (offsets,
    /// other fractions). Inlinable, so that it is specialised for the caller's byte collection (unspecialised, each
    /// byte went through a value witness): listing orders thousands of deployments by their creation time.
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

    /// The date of the proleptic Gregorian calendar `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// `value / divisor` rounded down, and the remainder, which is never negative.
    static func floorDivision(_ value: Int, _ divisor: Int) -> (quotient: Int, remainder: Int) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
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

import Foundation

/// Lambda's `LastModified`: `2026-11-25T17:00:36.123+0000` (milliseconds, UTC written as `+0000`, not `Z`).
public enum LambdaTimestamp {
    /// `date` as Lambda writes it: `Timestamp`'s form, to the nearest millisecond, with `+0000` for `Z`.
    public static func format(_ date: Date) -> String {
        let utc = Timestamp.format(date)
        return utc.hasSuffix("Z") ? utc.dropLast() + "+0000" : utc
    }

    /// Parses Lambda's format, with or without milliseconds, and ISO 8601 as `Timestamp` writes it (moto's).
    public static func parse(_ text: String) -> Date? {
        if let date = Timestamp.parse(text) { return date }
        for format in formats {
            if let date = formatter(format).date(from: text) { return date }
        }
        return nil
    }

    private static let formats = ["yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd'T'HH:mm:ssZ"]

    private static func formatter(_ format: String) -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = format
        return formatter
    }
}

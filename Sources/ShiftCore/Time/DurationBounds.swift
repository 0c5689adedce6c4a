import Foundation

/// The one way a duration a user gives (a command-line option or a pipeline field) is read, and the range
/// each use allows.
///
/// Syntax, the same everywhere: a plain decimal number of seconds (`90`, `0.5`), or `DurationParser`'s units
/// (`30s`, `5m`, `1h30m`, `7d`). Exponents (`2e10`), `nan`, `inf`, signs and hexadecimal are not numbers here.
///
/// Bounds, so that no value overflows a sleep (nanoseconds in a `UInt64`), busy-polls, or waits past any
/// sensible horizon:
///
/// | use | from | to |
/// |---|---|---|
/// | `timeout`: hook timeout, build/test stage timeout | 0.001s | 7d |
/// | `hold`: bake, `traffic --duration` | 0 (`traffic`: 0.001s) | 7d |
/// | `pollInterval`: alarm polls while holding | 0.01s | 1h |
/// | `approvalTimeout`: an approval gate | 0.001s | 30d |
/// | `history`: `metrics --since` | 1s | 400d |
/// | `period`: an alarm's or `metrics`' period | 1s | 1d |
public struct DurationBounds: Equatable, Sendable {
    /// The shortest accepted duration, in seconds.
    public let minimum: TimeInterval
    /// The longest accepted duration, in seconds.
    public let maximum: TimeInterval

    /// - Precondition: `0 <= minimum <= maximum`, both finite.
    public init(minimum: TimeInterval, maximum: TimeInterval) {
        precondition(minimum >= 0 && minimum <= maximum && maximum.isFinite, "invalid duration bounds")
        self.minimum = minimum
        self.maximum = maximum
    }

    private static let hour: TimeInterval = 3_600
    private static let day: TimeInterval = 86_400

    /// A hook's or a build/test stage's time limit.
    public static let timeout = DurationBounds(minimum: 0.001, maximum: 7 * day)
    /// A hold where 0 means none: the bake at 100 %.
    public static let hold = DurationBounds(minimum: 0, maximum: 7 * day)
    /// A hold that must last: how long `traffic` runs.
    public static let run = DurationBounds(minimum: 0.001, maximum: 7 * day)
    /// The time between two alarm polls: short enough to react, long enough not to busy-poll.
    public static let pollInterval = DurationBounds(minimum: 0.01, maximum: hour)
    /// How long an approval gate waits for a person.
    public static let approvalTimeout = DurationBounds(minimum: 0.001, maximum: 30 * day)
    /// How far back metrics reach.
    public static let history = DurationBounds(minimum: 1, maximum: 400 * day)
    /// The length of one metrics period or alarm datapoint (CloudWatch's alarms reach back one day at most).
    public static let period = DurationBounds(minimum: 1, maximum: day)

    /// What an accepted value looks like, for messages: `a duration from 0.01s to 1h, e.g. 90 (seconds), 0.5, 30s, 5m, 1h30m or 7d`.
    public var expected: String {
        "a duration from \(Self.describe(minimum)) to \(Self.describe(maximum)), e.g. 90 (seconds), 0.5, 30s, 5m, 1h30m or 7d"
    }

    /// Reads `text` (surrounding whitespace ignored) and checks it is within the bounds.
    /// - Parameter field: the option or field path reported in the error, e.g. `--bake` or `stages[2].timeout`.
    /// - Returns: the duration in seconds.
    /// - Throws: `ShiftCoreError.invalidValue` naming `field`, the text and the allowed range.
    public func parse(_ text: String, field: String) throws -> TimeInterval {
        let invalid = ShiftCoreError.invalidValue(field: field, value: Self.shown(text), expected: expected)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let seconds: TimeInterval
        if Self.isPlainDecimal(trimmed) {
            // Many digits give a huge or infinite Double, refused by the range check below.
            guard let value = Double(trimmed) else { throw invalid }
            seconds = value
        } else {
            guard let value = try? DurationParser.parse(duration: trimmed, field: field) else { throw invalid }
            seconds = value
        }
        guard contains(seconds) else { throw invalid }
        return seconds
    }

    /// Checks a duration that arrived as a number (a request built in code, a record read back).
    /// - Throws: `ShiftCoreError.invalidValue` naming `field`, the value and the allowed range.
    public func check(_ seconds: TimeInterval, field: String) throws {
        guard contains(seconds) else {
            throw ShiftCoreError.invalidValue(field: field, value: seconds.compact, expected: expected)
        }
    }

    /// Whether `seconds` is finite and within the bounds.
    public func contains(_ seconds: TimeInterval) -> Bool {
        seconds.isFinite && seconds >= minimum && seconds <= maximum
    }

    /// Digits, optionally a point and more digits: what `Double(_:)` accepts minus exponents, signs, `nan`, `inf`, hex.
    private static func isPlainDecimal(_ text: String) -> Bool {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else { return false }
        guard parts.count == 2 else { return true }
        return !parts[1].isEmpty && parts[1].allSatisfy(\.isASCIIDigit)
    }

    /// A bound as a user would write it: whole days as `7d`, else `DurationParser`'s form.
    private static func describe(_ seconds: TimeInterval) -> String {
        if seconds >= day, seconds.truncatingRemainder(dividingBy: day) == 0 { return "\(Int(seconds / day))d" }
        return DurationParser.format(seconds)
    }

    /// Hostile input can be long: a message quotes at most 40 characters of it.
    private static func shown(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(40)) + "..."
    }
}

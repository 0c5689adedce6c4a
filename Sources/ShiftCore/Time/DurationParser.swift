import Foundation

/// Reads and writes the short duration syntax shared by step-list files and command-line flags:
/// `30s`, `5m`, `1h`, `1m30s`, `1h15m`, `7d`, or a bare number of seconds such as `90`.
///
/// Components are whole numbers, written largest unit first (`d`, `h`, `m`, then `s`), each at most once.
/// Fractions and negative durations are not part of the syntax: holds are whole seconds or more.
public enum DurationParser {
    /// What a valid duration looks like, for error messages that say what would fix the input.
    public static let expectedForm = "a duration such as 30s, 5m, 1h, 1m30s or 90 (seconds)"

    /// Parses `text` (surrounding whitespace ignored) into seconds.
    /// - Parameters:
    ///   - text: e.g. `"5m"`, `"1m30s"`, `"90"`.
    ///   - field: the name reported in the error, e.g. `"--hold"`.
    /// - Returns: the duration in seconds, 0 or more.
    /// - Throws: `ShiftCoreError.invalidValue` when `text` is not of the syntax.
    public static func parse(duration text: String, field: String = "duration") throws -> TimeInterval {
        let invalid = ShiftCoreError.invalidValue(field: field, value: text, expected: expectedForm)
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw invalid }

        if trimmed.allSatisfy(\.isASCIIDigit) {
            guard let seconds = Int(trimmed) else { throw invalid }
            return TimeInterval(seconds)
        }

        // Units in the only order they may appear; each is consumed at most once.
        let units: [(symbol: Character, seconds: Int)] = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var nextUnit = 0
        var total: TimeInterval = 0
        var digits = ""
        for character in trimmed {
            if character.isASCIIDigit {
                digits.append(character)
                continue
            }
            guard !digits.isEmpty, let amount = Int(digits),
                  let position = units[nextUnit...].firstIndex(where: { $0.symbol == character })
            else { throw invalid }
            total += TimeInterval(amount) * TimeInterval(units[position].seconds)
            nextUnit = position + 1
            digits = ""
        }
        // A trailing number without a unit ("1m30") is ambiguous; ask for the unit.
        guard digits.isEmpty else { throw invalid }
        return total
    }

    /// Writes `seconds` in the same syntax, largest units first: 300 -> "5m", 90 -> "1m30s",
    /// 5400 -> "1h30m", 0 -> "0s". Fractions of a second are kept: 1.5 -> "1.5s".
    public static func format(_ seconds: TimeInterval) -> String {
        guard seconds.isFinite else { return "\(seconds)s" }
        guard seconds == seconds.rounded(), abs(seconds) < 1e15 else {
            return "\(seconds)s"
        }
        var rest = Int64(abs(seconds))
        if rest == 0 { return "0s" }
        var text = seconds < 0 ? "-" : ""
        let hours = rest / 3_600
        rest %= 3_600
        let minutes = rest / 60
        rest %= 60
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if rest > 0 { text += "\(rest)s" }
        return text
    }
}

extension Character {
    /// `0` to `9` only: `isNumber` would also accept other scripts' digits and fractions.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

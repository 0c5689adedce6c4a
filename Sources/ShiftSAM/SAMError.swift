import Foundation
import ShiftCore

/// The errors of `shift sam convert`: a template that cannot be read or converted, or (with `--strict`) parts
/// that cannot carry over. Each is one line naming the file, line and column, and what would fix it.
public enum SAMError: CategorizedError, LocalizedError, Equatable {
    /// The template file cannot be read at all.
    case unreadableFile(file: String, detail: String)
    /// The template is not YAML or JSON, not a SAM template, or a value in it cannot be evaluated.
    case invalidTemplate(file: String, line: Int, column: Int, field: String, message: String)
    /// A value given on the command line is not acceptable.
    case invalidOption(option: String, value: String, expected: String)
    /// `--strict`: parts of the template would not carry over (each listed on stderr before).
    case notCarriedOver(file: String, count: Int)

    public var category: ErrorCategory { .badInput }

    public var errorDescription: String? {
        switch self {
        case let .unreadableFile(file, detail):
            return "cannot read template \(file): \(detail)"
        case let .invalidTemplate(file, line, column, field, message):
            return "\(file):\(line):\(column): \(field.isEmpty ? "(top level)" : field): \(message)"
        case let .invalidOption(option, value, expected):
            return "\(option) is '\(value)'; expected \(expected)"
        case let .notCarriedOver(file, count):
            return "\(file): \(count == 1 ? "1 part" : "\(count) parts") of the template cannot carry over (listed above); convert without --strict to accept that, or change the template"
        }
    }
}

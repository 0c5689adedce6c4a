import Foundation
import ShiftCore
import Yams

/// Reads YAML nodes into values, collecting every problem with its line, column and field path instead of
/// stopping at the first, so that `shift pipeline validate` reports them all at once.
final class NodeReader {
    let file: String
    private(set) var issues: [FileIssue] = []
    private(set) var warnings: [FileIssue] = []

    init(file: String) {
        self.file = file
    }

    // MARK: Reporting

    func report(_ node: Node?, _ field: String, _ message: String, at fallback: Mark? = nil) {
        issues.append(issue(node, field, message, fallback: fallback))
    }

    func warn(_ node: Node?, _ field: String, _ message: String) {
        warnings.append(issue(node, field, message, fallback: nil))
    }

    private func issue(_ node: Node?, _ field: String, _ message: String, fallback: Mark?) -> FileIssue {
        let mark = node?.mark ?? fallback
        return FileIssue(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, field: field, message: message)
    }

    /// Reports a `ShiftCoreError` raised by a domain initializer as what the field expects.
    func report(_ error: Error, _ node: Node?, _ field: String) {
        if case let ShiftCoreError.invalidValue(_, value, expected)? = error as? ShiftCoreError {
            report(node, field, "is '\(value)'; expected \(expected)")
        } else {
            report(node, field, (error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
    }

    // MARK: Shapes

    /// How a node reads in a message: `a mapping`, `a list`, `'text'`, `nothing`.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case let .scalar(scalar): return isNull(node) ? "nothing" : "'\(scalar.string.prefix(60))'"
        }
    }

    /// `~`, `null` or an empty plain value.
    static func isNull(_ node: Node) -> Bool {
        guard case let .scalar(scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    /// A mapping's fields, after reporting unknown keys, duplicates, non-string keys and missing required keys.
    func fields(_ node: Node, _ path: String, allowed: [String], required: [String] = [], expected: String = "a mapping") -> Fields? {
        guard case let .mapping(mapping) = node else {
            report(node, path, "is \(Self.describe(node)); expected \(expected)")
            return nil
        }
        var values: [String: (key: Node, value: Node)] = [:]
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                report(key, path, "has a key that is \(Self.describe(key)); expected a name")
                continue
            }
            let name = scalar.string
            let field = Fields.join(path, name)
            if values[name] != nil {
                report(key, field, "appears twice; give each key once")
            } else if !allowed.contains(name) {
                report(key, field, "is not a known field; expected one of \(allowed.joined(separator: ", "))\(Self.suggestion(name, allowed))")
            } else {
                values[name] = (key, value)
            }
        }
        for name in required {
            if let entry = values[name] {
                if Self.isNull(entry.value) { report(entry.key, Fields.join(path, name), "has no value; it is required") }
            } else {
                report(node, Fields.join(path, name), "is missing; it is required")
            }
        }
        return Fields(node: node, path: path, values: values)
    }

    /// `; did you mean 'x'?` for a near miss (one edit or a case difference), else nothing.
    static func suggestion(_ name: String, _ candidates: [String]) -> String {
        let lowered = name.lowercased()
        if let match = candidates.first(where: { $0.lowercased() == lowered || editDistance($0.lowercased(), lowered) <= 2 }) {
            return " (did you mean '\(match)'?)"
        }
        return ""
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    // MARK: Values

    /// A scalar as text; nil (reported) for a mapping, a list or nothing.
    func string(_ node: Node, _ path: String, expected: String = "text") -> String? {
        guard case let .scalar(scalar) = node, !Self.isNull(node) else {
            report(node, path, "is \(Self.describe(node)); expected \(expected)")
            return nil
        }
        return scalar.string
    }

    /// A whole number within `range`.
    func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>) -> Int? {
        let expected = "a whole number from \(range.lowerBound) to \(range.upperBound)"
        guard let text = string(node, path, expected: expected) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            report(node, path, "is '\(text)'; expected \(expected)")
            return nil
        }
        return value
    }

    /// A finite number, at least `minimum` (exclusive when `positive`).
    func number(_ node: Node, _ path: String, expected: String) -> Double? {
        guard let text = string(node, path, expected: expected) else { return nil }
        guard let value = Double(text), value.isFinite else {
            report(node, path, "is '\(text)'; expected \(expected)")
            return nil
        }
        return value
    }

    /// `true` or `false`.
    func boolean(_ node: Node, _ path: String) -> Bool? {
        guard let text = string(node, path, expected: "true or false") else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(node, path, "is '\(text)'; expected true or false")
            return nil
        }
    }

    /// A duration within `bounds`, read as every option and field reads one (`DurationBounds`).
    func duration(_ node: Node, _ path: String, within bounds: DurationBounds) -> TimeInterval? {
        guard let text = string(node, path, expected: bounds.expected) else { return nil }
        do {
            return try bounds.parse(text, field: path)
        } catch {
            report(error, node, path)
            return nil
        }
    }

    /// A list of text; a single scalar counts as a list of one.
    func strings(_ node: Node, _ path: String, expected: String) -> [String]? {
        switch node {
        case let .sequence(sequence):
            var result: [String] = []
            for (index, item) in sequence.enumerated() {
                if let text = string(item, "\(path)[\(index)]", expected: expected) { result.append(text) }
            }
            return result
        case .scalar where !Self.isNull(node):
            return string(node, path, expected: expected).map { [$0] }
        default:
            report(node, path, "is \(Self.describe(node)); expected a list of \(expected)")
            return nil
        }
    }

    /// Environment variables: a mapping of names (a letter, then letters, digits or `_`) to text.
    func environment(_ node: Node, _ path: String) -> [String: String] {
        guard case let .mapping(mapping) = node else {
            if !Self.isNull(node) { report(node, path, "is \(Self.describe(node)); expected a mapping of variable names to values") }
            return [:]
        }
        var result: [String: String] = [:]
        for (key, value) in mapping {
            guard let name = string(key, path, expected: "a variable name") else { continue }
            let field = Fields.join(path, name)
            guard let first = name.first, first.isASCII, first.isLetter, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                report(key, field, "is not a variable name; expected a letter, then letters, digits or '_'")
                continue
            }
            if result[name] != nil { report(key, field, "appears twice; give each variable once") }
            if case .scalar = value {
                result[name] = Self.isNull(value) ? "" : value.scalar?.string ?? ""
            } else {
                report(value, field, "is \(Self.describe(value)); expected text (quote numbers and booleans if you like)")
            }
        }
        return result
    }
}

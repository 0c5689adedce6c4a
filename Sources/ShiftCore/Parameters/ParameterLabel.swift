/// A label attached to one version of a parameter, following SSM's LabelParameterVersion rules.
///
/// At most 100 characters; letters, digits, `.`, `-` and `_`; not starting with a digit;
/// no `aws` or `ssm` prefix.
public struct ParameterLabel: RawRepresentable, Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// Validates `label`.
    /// - Throws: `ShiftCoreError.invalidValue(field: "label", ...)` saying what would fix it.
    public init(_ label: String) throws {
        func invalid(_ expected: String) -> ShiftCoreError {
            .invalidValue(field: "label", value: String(label.prefix(80)), expected: expected)
        }
        guard !label.isEmpty, label.count <= 100 else { throw invalid("1 to 100 characters, e.g. prod") }
        guard label.unicodeScalars.allSatisfy({ scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_": return true
            default: return false
            }
        }) else { throw invalid("only letters, digits, . - and _") }
        guard let first = label.unicodeScalars.first, !("0"..."9").contains(first) else {
            throw invalid("a label not starting with a digit (a number selects a version)")
        }
        let lower = label.lowercased()
        guard !lower.hasPrefix("aws"), !lower.hasPrefix("ssm") else {
            throw invalid("a label not starting with 'aws' or 'ssm' (reserved by SSM)")
        }
        rawValue = label
    }

    /// Validates `rawValue`; nil when it breaks a rule.
    public init?(rawValue: String) {
        guard let label = try? ParameterLabel(rawValue) else { return nil }
        self = label
    }

    /// Decodes and validates a label.
    /// - Throws: `DecodingError.dataCorrupted` when the label breaks a rule.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let label = ParameterLabel(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a valid label")
        }
        self = label
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: ParameterLabel, rhs: ParameterLabel) -> Bool { lhs.rawValue < rhs.rawValue }
}

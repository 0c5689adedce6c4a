/// What `NAME[:QUALIFIER]` names: the unpublished code, a version, or an alias.
public enum FunctionQualifier: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// `$LATEST`: the function's current code and configuration, unpublished.
    case latest
    case version(Int)
    case alias(String)

    /// Parses the part after the colon: `$LATEST`, a number, or an alias name.
    /// - Throws: `ShiftCoreError.invalidValue` when it is none of those.
    public init(parsing text: String) throws {
        if text == "$LATEST" {
            self = .latest
        } else if let number = Int(text) {
            guard number >= 1 else {
                throw ShiftCoreError.invalidValue(field: "version", value: text, expected: "a published version number (1 or more)")
            }
            self = .version(number)
        } else {
            try ResourceName.validateAlias(text, field: "qualifier")
            self = .alias(text)
        }
    }

    /// Splits `NAME[:QUALIFIER]`; without a qualifier, `$LATEST`.
    /// - Throws: `ShiftCoreError.invalidValue` for a bad name or qualifier.
    public static func split(_ target: String) throws -> (function: String, qualifier: FunctionQualifier) {
        let parts = target.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        try ResourceName.validateFunction(parts[0], field: "function")
        guard parts.count == 2 else { return (parts[0], .latest) }
        return (parts[0], try FunctionQualifier(parsing: parts[1]))
    }

    public var description: String {
        switch self {
        case .latest: return "$LATEST"
        case let .version(number): return String(number)
        case let .alias(name): return name
        }
    }
}

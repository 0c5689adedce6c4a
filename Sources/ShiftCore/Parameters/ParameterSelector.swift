/// Which version of a parameter to read: a number or a label, as in SSM's `name:3` or `name:prod`.
public enum ParameterSelector: Equatable, Sendable {
    case version(Int)
    case label(ParameterLabel)

    /// SSM's `Selector` field: `:3` or `:prod`.
    public var text: String {
        switch self {
        case let .version(number): return ":\(number)"
        case let .label(label): return ":\(label.rawValue)"
        }
    }

    /// Splits `NAME`, `NAME:3` or `NAME:LABEL` (what `shift param get` accepts) into a name and a selector.
    /// - Throws: `ShiftCoreError.invalidValue` for a bad name, version or label.
    public static func parse(_ text: String) throws -> (name: ParameterName, selector: ParameterSelector?) {
        guard let colon = text.lastIndex(of: ":") else { return (try ParameterName(text), nil) }
        let name = try ParameterName(String(text[..<colon]))
        let selector = String(text[text.index(after: colon)...])
        if let first = selector.unicodeScalars.first, ("0"..."9").contains(first) {
            guard let number = Int(selector), number >= 1 else {
                throw ShiftCoreError.invalidValue(field: "version", value: selector, expected: "a version number of 1 or more")
            }
            return (name, .version(number))
        }
        return (name, .label(try ParameterLabel(selector)))
    }
}

import Foundation

/// One `{{param:/path/name}}` occurrence in a string: the name it refers to and where it stands.
///
/// Only the reference is ever stored; its value is resolved when needed and masked in output.
public struct ParameterReference: Equatable, Sendable {
    /// What opens a reference.
    public static let opening = "{{param:"
    /// What closes a reference.
    public static let closing = "}}"

    /// The parameter name between the delimiters, as written.
    public let name: String
    /// Where the whole reference, delimiters included, stands in the string it was found in.
    public let range: Range<String.Index>

    public init(name: String, range: Range<String.Index>) {
        self.name = name
        self.range = range
    }

    /// Every reference in `text`, in order.
    /// - Throws: `ShiftCoreError.invalidValue(field: "reference", ...)` for an unterminated reference or one
    ///   whose name is empty or holds whitespace or braces.
    public static func find(in text: String) throws -> [ParameterReference] {
        var references: [ParameterReference] = []
        var searchStart = text.startIndex
        while let open = text.range(of: opening, range: searchStart..<text.endIndex) {
            guard let close = text.range(of: closing, range: open.upperBound..<text.endIndex) else {
                throw ShiftCoreError.invalidValue(
                    field: "reference", value: String(text[open.lowerBound...].prefix(80)),
                    expected: "a reference closed with }}, e.g. {{param:/orders/prod/db-url}}"
                )
            }
            let name = String(text[open.upperBound..<close.lowerBound])
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "}" }) else {
                throw ShiftCoreError.invalidValue(
                    field: "reference", value: String(text[open.lowerBound..<close.upperBound].prefix(80)),
                    expected: "a parameter name without spaces or braces, e.g. {{param:/orders/prod/db-url}}"
                )
            }
            references.append(ParameterReference(name: name, range: open.lowerBound..<close.upperBound))
            searchStart = close.upperBound
        }
        return references
    }

    /// The distinct names referenced in `text`, in first-seen order.
    /// - Throws: as `find(in:)`.
    public static func names(in text: String) throws -> [String] {
        var seen = Set<String>()
        return try find(in: text).map(\.name).filter { seen.insert($0).inserted }
    }

    /// `text` with each reference replaced by `values[name]`.
    /// - Throws: `ShiftCoreError.notFound` naming the first parameter without a value; as `find(in:)`.
    public static func substitute(in text: String, values: [String: String]) throws -> String {
        var result = ""
        var position = text.startIndex
        for reference in try find(in: text) {
            guard let value = values[reference.name] else {
                throw ShiftCoreError.notFound(kind: "parameter", name: reference.name, hint: "create it with `shift param put \(reference.name) VALUE`")
            }
            result += text[position..<reference.range.lowerBound]
            result += value
            position = reference.range.upperBound
        }
        result += text[position...]
        return result
    }

    /// `text` with every reference resolved through `resolver`, and the values used (for a `SecretMasker`).
    /// - Throws: the resolver's error for a missing or unreadable parameter; as `find(in:)`.
    public static func resolve(in text: String, using resolver: any ParameterResolver) async throws -> (text: String, values: [String]) {
        var values: [String: String] = [:]
        for name in try names(in: text) {
            values[name] = try await resolver.resolve(name)
        }
        return (try substitute(in: text, values: values), Array(values.values))
    }
}

/// A parameter name that SSM Parameter Store would accept, such as `/orders/prod/db-password`.
///
/// The rules follow SSM's PutParameter: letters, digits and `. - _ /` only; a name with a `/`
/// is hierarchical and must start with `/`; at most 15 levels; at most 1011 characters; no `aws`
/// or `ssm` prefix (any case). shift adds one rule of its own: no empty, `.` or `..` level, so
/// that a name never reads as a path that leaves its directory.
public struct ParameterName: RawRepresentable, Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The longest name SSM accepts (its 2048-character limit counts the ARN prefix).
    public static let maximumLength = 1011
    /// The deepest hierarchy SSM accepts.
    public static let maximumLevels = 15

    public let rawValue: String

    /// Validates `name`.
    /// - Throws: `ShiftCoreError.invalidValue(field: "name", ...)` saying which rule failed and what would fix it.
    public init(_ name: String) throws {
        func invalid(_ expected: String) -> ShiftCoreError {
            // Names are not secret; quote at most a prefix so that an absurd input stays one line.
            .invalidValue(field: "name", value: String(name.prefix(80)), expected: expected)
        }
        guard !name.isEmpty else { throw invalid("a name such as /orders/prod/db-password") }
        guard name.count <= Self.maximumLength else {
            throw invalid("at most \(Self.maximumLength) characters (this one has \(name.count)); shorten it")
        }
        if let bad = name.unicodeScalars.first(where: { !Self.isAllowed($0) }) {
            throw invalid("only letters, digits and . - _ / (found '\(bad.escaped(asASCII: true))'); replace it, e.g. with -")
        }
        if name.contains("/") {
            guard name.hasPrefix("/") else {
                throw invalid("a hierarchical name to start with /, e.g. /\(name.prefix(60))")
            }
            let levels = name.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            guard levels.count <= Self.maximumLevels else {
                throw invalid("at most \(Self.maximumLevels) levels (this one has \(levels.count)); flatten the hierarchy")
            }
            if let level = levels.first(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
                let what = level.isEmpty ? "an empty level (// or a trailing /)" : "a '\(level)' level"
                throw invalid("no \(what); remove it")
            }
        }
        let first = (name.hasPrefix("/") ? String(name.dropFirst()) : name).lowercased()
        if first.hasPrefix("aws") || first.hasPrefix("ssm") {
            throw invalid("a name not starting with 'aws' or 'ssm' (reserved by SSM); choose another first level")
        }
        rawValue = name
    }

    /// Validates `rawValue`; nil when it breaks a rule.
    public init?(rawValue: String) {
        guard let name = try? ParameterName(rawValue) else { return nil }
        self = name
    }

    /// Decodes and validates a name.
    /// - Throws: `DecodingError.dataCorrupted` when the name breaks a rule.
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: (error as? ShiftCoreError)?.errorDescription ?? "\(error)")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// Whether the name has a `/`, i.e. lives in a hierarchy.
    public var isHierarchical: Bool { rawValue.hasPrefix("/") }

    /// Whether this name lies under `path` (e.g. `/orders/`), directly or, when `recursive`, at any depth.
    ///
    /// As SSM's GetParametersByPath: `/orders` and `/orders/` are the same path; without
    /// `recursive` only names one level below it match.
    public func isUnder(path: String, recursive: Bool) -> Bool {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        guard rawValue.hasPrefix(prefix), rawValue.count > prefix.count else { return false }
        return recursive || !rawValue.dropFirst(prefix.count).contains("/")
    }

    /// The resource part of the parameter's ARN: `parameter/orders/prod/db-url` (SSM drops a hierarchical name's leading `/`).
    public var arnResource: String {
        "parameter/" + (isHierarchical ? String(rawValue.dropFirst()) : rawValue)
    }

    /// The ARN of this parameter on a local account, e.g. `arn:aws:ssm:local:000000000000:parameter/orders/prod/db-url`.
    public var localARN: String { LocalARN.arn(service: "ssm", resource: arnResource) }

    /// Checks a path that a listing selects names under, as GetParametersByPath and DescribeParameters' `Path` filter take it.
    /// - Throws: `ShiftCoreError.invalidValue(field: "path", ...)` for a path not starting with `/`.
    public static func validate(path: String) throws {
        guard path.hasPrefix("/") else {
            throw ShiftCoreError.invalidValue(field: "path", value: String(path.prefix(80)), expected: "a path starting with /, e.g. /orders/prod")
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: ParameterName, rhs: ParameterName) -> Bool { lhs.rawValue < rhs.rawValue }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "_", "/": return true
        default: return false
        }
    }
}

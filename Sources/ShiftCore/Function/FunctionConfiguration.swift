import Foundation

/// What a function runs and how: the part of a function that a version snapshots beside its code.
public struct FunctionConfiguration: Codable, Equatable, Sendable {
    /// The command that handles one event (the local platform runs it with `/bin/sh -c`).
    public var handler: String
    /// Seconds an invocation may run before it is killed and counted as an error.
    public var timeout: TimeInterval
    /// Variables given to the handler. Values may reference parameters; those are resolved at invocation.
    public var environment: [String: String]
    /// Free text.
    public var description: String

    /// Lambda's default timeout.
    public static let defaultTimeout: TimeInterval = 3
    /// Lambda's maximum timeout.
    public static let maximumTimeout: TimeInterval = 900

    /// - Throws: `ShiftCoreError.invalidValue` for an empty handler, a timeout outside 1...900 seconds or a bad variable name.
    public init(handler: String, timeout: TimeInterval = defaultTimeout, environment: [String: String] = [:], description: String = "") throws {
        guard !handler.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ShiftCoreError.invalidValue(field: "--handler", value: handler, expected: "a command, e.g. './handler.sh'")
        }
        guard timeout.isFinite, timeout >= 1, timeout <= Self.maximumTimeout, timeout == timeout.rounded() else {
            throw ShiftCoreError.invalidValue(field: "--timeout", value: timeout.compact, expected: "whole seconds from 1 to 900")
        }
        for key in environment.keys {
            try Self.validateVariableName(key)
        }
        self.handler = handler
        self.timeout = timeout
        self.environment = environment
        self.description = description
    }

    /// Lambda's rule for variable names: a letter, then letters, digits or underscores.
    static func validateVariableName(_ key: String) throws {
        guard let first = key.first, first.isASCII, first.isLetter,
              key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw ShiftCoreError.invalidValue(field: "--env", value: key, expected: "a variable name: a letter, then letters, digits or '_'")
        }
    }

    /// Parses `KEY=VALUE` pairs as given to `--env`.
    /// - Throws: `ShiftCoreError.invalidValue` for a pair without '=' or a bad name.
    public static func parseEnvironment(_ pairs: [String]) throws -> [String: String] {
        var environment: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "=") else {
                throw ShiftCoreError.invalidValue(field: "--env", value: pair, expected: "KEY=VALUE")
            }
            let key = String(pair[..<equals])
            try validateVariableName(key)
            environment[key] = String(pair[pair.index(after: equals)...])
        }
        return environment
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            handler: try container.decode(String.self, forKey: .handler),
            timeout: try container.decode(TimeInterval.self, forKey: .timeout),
            environment: try container.decode([String: String].self, forKey: .environment),
            description: try container.decode(String.self, forKey: .description)
        )
    }
}

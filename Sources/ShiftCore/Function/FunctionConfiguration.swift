import Foundation

/// What a function runs and how: the part of a function that a version snapshots beside its code.
public struct FunctionConfiguration: Codable, Equatable, Sendable {
    /// What handles one event: without a runtime, a command (the local platform runs it with `/bin/sh -c`); with
    /// one, Lambda's handler name for that runtime (e.g. `app.lambda_handler`, `index.handler`).
    public var handler: String
    /// Lambda's runtime identifier (`python3.12`, `nodejs22.x`, ...), or nil for a command handler (on AWS: the
    /// account's runtime). Which runtimes run is the platform's to say.
    public var runtime: String?
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

    /// - Throws: `ShiftCoreError.invalidValue` for an empty handler, a runtime that is not a Lambda runtime identifier,
    ///   a timeout outside 1...900 seconds or a bad variable name.
    public init(handler: String, runtime: String? = nil, timeout: TimeInterval = defaultTimeout, environment: [String: String] = [:], description: String = "") throws {
        guard !handler.unicodeScalars.allSatisfy({ $0 == "\t" || $0.properties.generalCategory == .spaceSeparator }) else {
            throw ShiftCoreError.invalidValue(field: "--handler", value: handler, expected: runtime == nil ? "a command, e.g. './handler.sh'" : "the handler's module and function, e.g. 'app.lambda_handler'")
        }
        if let runtime {
            try Self.validateRuntime(runtime)
            try Self.validateHandlerName(handler, runtime: runtime)
        }
        guard timeout.isFinite, timeout >= 1, timeout <= Self.maximumTimeout, timeout == timeout.rounded() else {
            throw ShiftCoreError.invalidValue(field: "--timeout", value: timeout.compact, expected: "whole seconds from 1 to 900")
        }
        for key in environment.keys {
            try Self.validateVariableName(key)
        }
        self.handler = handler
        self.runtime = runtime
        self.timeout = timeout
        self.environment = environment
        self.description = description
    }

    /// The shape of Lambda's runtime identifiers: lower-case letters, digits and dots, starting with a letter
    /// (`python3.12`, `nodejs22.x`, `provided.al2023`).
    /// - Throws: `ShiftCoreError.invalidValue` naming the runtime.
    public static func validateRuntime(_ runtime: String) throws {
        guard let first = runtime.first, first.isASCII, first.isLowercase, runtime.count <= 32,
              runtime.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == ".") }) else {
            throw ShiftCoreError.invalidValue(field: "--runtime", value: runtime, expected: "a Lambda runtime identifier, e.g. python3.12 or nodejs22.x")
        }
    }

    /// The handler name of Lambda's Python and Node.js runtimes: `MODULE.FUNCTION`, the module a path relative to
    /// the code directory (`app.lambda_handler`, `pkg/app.handler`, `index.handler`). Other runtimes name handlers
    /// their own way.
    static func validateHandlerName(_ handler: String, runtime: String) throws {
        let example: String
        if runtime.hasPrefix("python") {
            example = "app.lambda_handler"
        } else if runtime.hasPrefix("nodejs") {
            example = "index.handler"
        } else {
            return
        }
        // The module is a relative path of plain names (no '.', '..' or empty component); the function a plain name.
        let dot = handler.lastIndex(of: ".")
        let module = dot.map { handler[..<$0] } ?? "", function = dot.map { handler[handler.index(after: $0)...] } ?? ""
        guard !module.isEmpty, !function.isEmpty, !function.contains("/"), handler.allSatisfy({ !$0.isWhitespace }),
              module.split(separator: "/", omittingEmptySubsequences: false).allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw ShiftCoreError.invalidValue(field: "--handler", value: handler, expected: "MODULE.FUNCTION for \(runtime), the module a file in the code directory, e.g. '\(example)'")
        }
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
            // Absent in state written before runtimes existed: a command handler.
            runtime: try container.decodeIfPresent(String.self, forKey: .runtime),
            timeout: try container.decode(TimeInterval.self, forKey: .timeout),
            environment: try container.decode([String: String].self, forKey: .environment),
            description: try container.decode(String.self, forKey: .description)
        )
    }
}

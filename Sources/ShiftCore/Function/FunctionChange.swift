import Foundation

/// What `function update` changes; nil leaves a field as it is.
public struct FunctionChange: Sendable, Equatable {
    public var codePath: URL?
    public var handler: String?
    public var timeout: TimeInterval?
    /// Replaces the whole environment when set.
    public var environment: [String: String]?
    public var description: String?

    public init(codePath: URL? = nil, handler: String? = nil, timeout: TimeInterval? = nil, environment: [String: String]? = nil, description: String? = nil) {
        self.codePath = codePath
        self.handler = handler
        self.timeout = timeout
        self.environment = environment
        self.description = description
    }

    /// Whether the change changes nothing.
    public var isEmpty: Bool { self == FunctionChange() }

    /// `configuration` with this change applied, validated.
    /// - Throws: `ShiftCoreError.invalidValue` for a bad handler, timeout or variable name.
    public func applied(to configuration: FunctionConfiguration) throws -> FunctionConfiguration {
        try FunctionConfiguration(
            handler: handler ?? configuration.handler,
            timeout: timeout ?? configuration.timeout,
            environment: environment ?? configuration.environment,
            description: description ?? configuration.description
        )
    }
}

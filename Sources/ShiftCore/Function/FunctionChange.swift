import Foundation

/// What `function update` changes; nil leaves a field as it is.
public struct FunctionChange: Sendable, Equatable {
    public var codePath: URL?
    public var handler: String?
    /// Sets the runtime (a command handler has none; a change cannot take a runtime away).
    public var runtime: String?
    public var timeout: TimeInterval?
    /// Replaces the whole environment when set.
    public var environment: [String: String]?
    public var description: String?
    /// Sets the function's reserved concurrency: at most this many invocations at once, the rest throttled
    /// (0 throttles all). Like Lambda's, it belongs to the function, not to a version: it applies at once to
    /// every version and alias, and publishing does not snapshot it.
    public var reservedConcurrency: Int?
    /// Drops the reserved concurrency: no limit of the function's own.
    public var removesReservedConcurrency: Bool

    public init(codePath: URL? = nil, handler: String? = nil, runtime: String? = nil, timeout: TimeInterval? = nil, environment: [String: String]? = nil, description: String? = nil,
                reservedConcurrency: Int? = nil, removesReservedConcurrency: Bool = false) {
        self.reservedConcurrency = reservedConcurrency
        self.removesReservedConcurrency = removesReservedConcurrency
        self.codePath = codePath
        self.handler = handler
        self.runtime = runtime
        self.timeout = timeout
        self.environment = environment
        self.description = description
    }

    /// Lambda's default account concurrency, the most a function may reserve here.
    public static let maximumReservedConcurrency = 1000

    /// The reserved concurrency, applied to the current value; nil is no limit.
    /// - Throws: `ShiftCoreError.invalidValue` outside 0...1000.
    public func appliedReservedConcurrency(to current: Int?) throws -> Int? {
        if removesReservedConcurrency { return nil }
        guard let reservedConcurrency else { return current }
        guard (0...Self.maximumReservedConcurrency).contains(reservedConcurrency) else {
            throw ShiftCoreError.invalidValue(field: "--reserved-concurrency", value: String(reservedConcurrency), expected: "0 to \(Self.maximumReservedConcurrency) concurrent invocations")
        }
        return reservedConcurrency
    }

    /// Whether the change changes nothing.
    public var isEmpty: Bool { self == FunctionChange() }

    /// `configuration` with this change applied, validated.
    /// - Throws: `ShiftCoreError.invalidValue` for a bad handler, runtime, timeout or variable name.
    public func applied(to configuration: FunctionConfiguration) throws -> FunctionConfiguration {
        try FunctionConfiguration(
            handler: handler ?? configuration.handler,
            runtime: runtime ?? configuration.runtime,
            timeout: timeout ?? configuration.timeout,
            environment: environment ?? configuration.environment,
            description: description ?? configuration.description
        )
    }
}

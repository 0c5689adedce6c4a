import Foundation

/// What one invocation produced.
public struct InvocationResult: Sendable, Equatable {
    /// The version that ran: a number, or `$LATEST`.
    public var executedVersion: String
    /// The handler's response (its stdout on the local platform).
    public var payload: Data
    /// Why the invocation counts as an error, or nil when it succeeded (Lambda's `X-Amz-Function-Error`).
    public var functionError: String?
    /// Wall time the handler ran.
    public var duration: TimeInterval
    /// The tail of the handler's log (its stderr on the local platform).
    public var logTail: String

    public init(executedVersion: String, payload: Data, functionError: String?, duration: TimeInterval, logTail: String) {
        self.executedVersion = executedVersion
        self.payload = payload
        self.functionError = functionError
        self.duration = duration
        self.logTail = logTail
    }

    /// Whether the invocation succeeded.
    public var succeeded: Bool { functionError == nil }
}

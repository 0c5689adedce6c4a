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

    /// Lambda's `FunctionError` word: `Handled` or `Unhandled` as Lambda sent it; a local handler that failed, timed
    /// out or was killed is `Unhandled`, what Lambda says for a runtime error, a timeout or a crash.
    public var functionErrorType: String? {
        guard let functionError else { return nil }
        return Self.functionErrorTypes.contains(functionError) ? functionError : "Unhandled"
    }

    /// Why the invocation failed in words, when `functionError` says more than Lambda's word.
    public var functionErrorReason: String? {
        functionError == functionErrorType ? nil : functionError
    }

    /// Lambda's `LogResult` with `LogType: Tail`: the last 4 KB of the log, base64.
    public var logResult: String {
        Data(logTail.utf8).suffix(Self.logResultBytes).base64EncodedString()
    }

    /// How much of the log Lambda returns with `LogType: Tail`.
    public static let logResultBytes = 4096

    private static let functionErrorTypes: Set<String> = ["Handled", "Unhandled"]
}

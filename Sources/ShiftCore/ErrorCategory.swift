/// What kind of failure an error is, independent of the module that raised it.
///
/// Only the executable turns a category into a process exit code; libraries speak in categories.
public enum ErrorCategory: String, Sendable, Codable, Equatable {
    /// The user asked for something invalid: usage, validation, a missing entity. Nothing changed.
    case badInput
    /// The operation ran and failed: a deployment rolled back, a handler errored.
    case failed
    /// The operation is paused, waiting for someone (an approval).
    case waiting
    /// A rollback itself failed: a human must act.
    case rollbackFailed
    /// Someone else holds what we need: a locked alias, a deployment in progress.
    case conflict
    /// A signal ended the operation.
    case interrupted
}

/// An error that knows its category. Every module's error type conforms.
public protocol CategorizedError: Error {
    /// How the executable should report this error.
    var category: ErrorCategory { get }
}

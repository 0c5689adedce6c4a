import Foundation

/// The errors of the domain: invalid values, missing or conflicting entities, failed operations.
///
/// Each description is one line that says what is wrong and what would fix it. Never put a secret in a case.
public enum ShiftCoreError: CategorizedError, LocalizedError, Equatable {
    /// A value given on the command line or in an API call is not acceptable.
    case invalidValue(field: String, value: String, expected: String)
    /// A value read from a file is not acceptable.
    case invalidFileValue(file: String, line: Int, field: String, value: String, expected: String)
    /// An entity the operation needs does not exist.
    case notFound(kind: String, name: String, hint: String)
    /// An entity already exists where a new one was asked for.
    case alreadyExists(kind: String, name: String, hint: String)
    /// The operation is refused because of the current state of things; nothing changed.
    case refused(reason: String)
    /// Someone else holds what the operation needs.
    case conflict(reason: String)
    /// The operation ran and failed.
    case failed(reason: String)
    /// A rollback itself failed: a human must act.
    case rollbackFailed(reason: String)
    /// A signal ended the operation.
    case interrupted(reason: String)

    public var category: ErrorCategory {
        switch self {
        case .invalidValue, .invalidFileValue, .notFound, .alreadyExists, .refused: return .badInput
        case .conflict: return .conflict
        case .failed: return .failed
        case .rollbackFailed: return .rollbackFailed
        case .interrupted: return .interrupted
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .invalidValue(field, value, expected):
            return "\(field) is '\(value)'; expected \(expected)"
        case let .invalidFileValue(file, line, field, value, expected):
            return "\(file):\(line): \(field) is '\(value)'; expected \(expected)"
        case let .notFound(kind, name, hint):
            return "\(kind) '\(name)' not found; \(hint)"
        case let .alreadyExists(kind, name, hint):
            return "\(kind) '\(name)' already exists; \(hint)"
        case let .refused(reason), let .conflict(reason), let .failed(reason), let .rollbackFailed(reason), let .interrupted(reason):
            return reason
        }
    }
}

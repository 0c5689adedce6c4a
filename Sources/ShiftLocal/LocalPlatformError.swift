import Foundation
import ShiftCore

/// The errors of the local platform: state that cannot be read or written, code that cannot be snapshotted.
public enum LocalPlatformError: CategorizedError, LocalizedError, Equatable {
    /// A state file exists but does not parse: truncated, corrupted, or edited by hand.
    case corruptState(file: String, detail: String)
    /// The file system refused an operation.
    case io(path: String, operation: String, detail: String)
    /// A code path given by the user cannot be read.
    case unreadableCode(path: String, detail: String)

    public var category: ErrorCategory {
        switch self {
        case .corruptState, .unreadableCode: return .badInput
        case .io: return .failed
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .corruptState(file, detail):
            return "state file \(file) is unreadable (\(detail)); restore it from a backup or remove it, then retry"
        case let .io(path, operation, detail):
            return "cannot \(operation) \(path): \(detail)"
        case let .unreadableCode(path, detail):
            return "code path \(path) cannot be read (\(detail)); pass --code with an existing file or directory"
        }
    }

    /// The current `errno` as text.
    static func errnoDescription(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}

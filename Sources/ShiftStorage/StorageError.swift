import Foundation
import ShiftCore

/// The errors of the state store: a state file that cannot be read or written.
public enum StorageError: CategorizedError, LocalizedError, Equatable {
    /// A state file exists but does not parse: truncated, corrupted, or edited by hand.
    case corruptState(file: String, detail: String)
    /// The file system refused an operation.
    case io(path: String, operation: String, detail: String)

    public var category: ErrorCategory {
        switch self {
        case .corruptState: return .badInput
        case .io: return .failed
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .corruptState(file, detail):
            return "state file \(file) is unreadable (\(detail)); restore it from a backup or remove it, then retry"
        case let .io(path, operation, detail):
            return "cannot \(operation) \(path): \(detail)"
        }
    }

    /// The error for a failed `open` of a state file, from `errno`: a directory where the file belongs is damaged
    /// state (bad input, naming the path); anything else is an I/O failure.
    public static func opening(_ path: String, operation: String, code: Int32 = errno) -> StorageError {
        code == EISDIR
            ? .corruptState(file: path, detail: "a directory stands where a file belongs")
            : .io(path: path, operation: operation, detail: errnoDescription(code))
    }

    /// The current `errno` as text.
    public static func errnoDescription(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }
}

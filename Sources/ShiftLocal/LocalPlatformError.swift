import Foundation
import ShiftCore

/// The errors of the local platform's own: code that cannot be snapshotted. State that cannot be read or
/// written is a `StorageError` (ShiftStorage).
public enum LocalPlatformError: CategorizedError, LocalizedError, Equatable {
    /// A code path given by the user cannot be read.
    case unreadableCode(path: String, detail: String)

    public var category: ErrorCategory {
        switch self {
        case .unreadableCode: return .badInput
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .unreadableCode(path, detail):
            return "code path \(path) cannot be read (\(detail)); pass --code with an existing file or directory"
        }
    }
}

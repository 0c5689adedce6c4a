import Foundation
import ShiftCore

/// The errors of the local platform's own: code that cannot be snapshotted, a runtime it cannot run. State that cannot be read or
/// written is a `StorageError` (ShiftStorage).
public enum LocalPlatformError: CategorizedError, LocalizedError, Equatable {
    /// A code path given by the user cannot be read.
    case unreadableCode(path: String, detail: String)
    /// A runtime the local platform has no bootstrap for.
    case unsupportedRuntime(String)
    /// The program a runtime needs is on none of `PATH`'s directories.
    case interpreterNotFound(runtime: String, interpreter: String, searchPath: String)

    public var category: ErrorCategory {
        switch self {
        case .unreadableCode, .unsupportedRuntime, .interpreterNotFound: return .badInput
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .unreadableCode(path, detail):
            return "code path \(path) cannot be read (\(detail)); pass --code with an existing file or directory"
        case let .unsupportedRuntime(runtime):
            return "runtime '\(runtime)' does not run on the local platform; it runs python3.8 and later (python3.12, ...) and nodejs18.x and later (nodejs20.x, nodejs22.x), or a command handler without a runtime"
        case let .interpreterNotFound(runtime, interpreter, searchPath):
            return "runtime \(runtime) needs '\(interpreter)', which is in none of PATH's directories (\(searchPath.isEmpty ? "PATH is empty" : searchPath)); install it or add its directory to PATH"
        }
    }
}

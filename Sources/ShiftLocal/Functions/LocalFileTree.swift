import Foundation
import ShiftCore

/// `CodeSnapshot`'s copy and hash as a `FileTree`: symbolic links followed, executable bits kept, the hash the
/// local platform gives a published version.
public struct LocalFileTree: FileTree {
    public init() {}

    /// - Throws: `LocalPlatformError.unreadableCode`, `StorageError`.
    public func copy(from source: URL, to destination: URL) throws {
        try CodeSnapshot.copy(from: source, to: destination)
    }

    /// - Throws: `LocalPlatformError.unreadableCode`.
    public func hash(of path: URL) throws -> String {
        try CodeSnapshot.hash(of: path)
    }
}

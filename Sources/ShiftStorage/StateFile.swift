import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a state file's bytes, telling apart the three ways a read can fail: no file (nil), something else in
/// its place (damaged state: bad input, exit 2), and a file the process may not read (an I/O failure).
public enum StateFile {
    /// The content of the regular file at `url`, or nil when nothing is there.
    /// - Throws: `StorageError.corruptState` naming the path when a directory (or anything but a regular file)
    ///   stands there; `StorageError.io` when the file cannot be read.
    public static func contentsIfPresent(_ url: URL) throws -> Data? {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw StorageError.io(path: url.path, operation: "read", detail: StorageError.errnoDescription())
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            guard info.st_mode & S_IFMT != S_IFDIR else { throw StorageError.opening(url.path, operation: "read", code: EISDIR) }
            throw StorageError.corruptState(file: url.path, detail: "something other than a file stands where a file belongs")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StorageError.io(path: url.path, operation: "read", detail: "permission denied")
        }
        return data
    }
}

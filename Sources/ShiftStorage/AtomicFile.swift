import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader sees the old content or the new, never a mix, and a crash loses neither.
///
/// The recipe: write a temporary file in the same directory, fsync it, rename it over the target,
/// fsync the directory so that the rename itself is durable.
public enum AtomicFile {
    /// Replaces the content of `url` atomically and durably.
    /// - Throws: `StorageError.io` naming the path and the system's reason.
    public static func write(_ data: Data, to url: URL, mode: mode_t = 0o644) throws {
        let directory = url.deletingLastPathComponent()
        try createDirectory(directory)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else {
            throw StorageError.io(path: temporary.path, operation: "create", detail: StorageError.errnoDescription())
        }
        do {
            try data.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = SystemCall.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw StorageError.io(path: temporary.path, operation: "write", detail: StorageError.errnoDescription())
                    }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else {
                throw StorageError.io(path: temporary.path, operation: "fsync", detail: StorageError.errnoDescription())
            }
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary.path)
            throw error
        }
        guard rename(temporary.path, url.path) == 0 else {
            let detail = StorageError.errnoDescription()
            unlink(temporary.path)
            throw StorageError.io(path: url.path, operation: "replace", detail: detail)
        }
        syncDirectory(directory)
    }

    /// Makes a rename or creation inside `directory` durable.
    public static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Creates `directory` and its parents if missing.
    /// - Throws: `StorageError.io`.
    public static func createDirectory(_ directory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError.io(path: directory.path, operation: "create directory", detail: error.localizedDescription)
        }
    }
}

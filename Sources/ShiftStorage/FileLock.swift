import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory `flock` on a lock file, shared by every `shift` process that uses the state directory.
///
/// The kernel releases the lock when the holder dies, so a `kill -9` never leaves a stale lock.
public final class FileLock: @unchecked Sendable {
    // One descriptor, used only by the thread holding the lock; @unchecked because the kernel serialises it.
    private let descriptor: Int32
    public let url: URL

    /// Opens (creating if needed) the lock file at `url`.
    /// - Throws: `StorageError.corruptState` when a directory stands there; `StorageError.io`.
    public init(url: URL) throws {
        try AtomicFile.createDirectory(url.deletingLastPathComponent())
        let descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StorageError.opening(url.path, operation: "open lock")
        }
        self.descriptor = descriptor
        self.url = url
    }

    deinit { close(descriptor) }

    /// Blocks until the lock is held exclusively.
    public func lock() throws {
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw StorageError.io(path: url.path, operation: "lock", detail: StorageError.errnoDescription())
            }
        }
    }

    /// Takes the lock if nobody holds it; returns whether it did.
    public func tryLock() throws -> Bool {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw StorageError.io(path: url.path, operation: "lock", detail: StorageError.errnoDescription())
    }

    /// Releases the lock.
    public func unlock() {
        flock(descriptor, LOCK_UN)
    }

    /// Runs `body` while holding the lock file at `url`.
    public static func withLock<T>(at url: URL, _ body: () throws -> T) throws -> T {
        let lock = try FileLock(url: url)
        try lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}

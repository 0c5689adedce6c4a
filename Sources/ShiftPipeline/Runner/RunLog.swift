import Foundation
import ShiftStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends to a stage's log: one `write` per entry with O_APPEND, so a log stays whole if the runner dies.
enum RunLog {
    /// Appends `text`; a log that cannot be written is not a reason to fail a stage.
    static func append(_ text: String, to url: URL) {
        try? AtomicFile.createDirectory(url.deletingLastPathComponent())
        let descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let data = Data(text.utf8)
        _ = data.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}

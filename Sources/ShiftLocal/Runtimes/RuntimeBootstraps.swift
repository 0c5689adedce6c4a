import Crypto
import Foundation
import ShiftStorage

/// The bootstraps' files, written once under the state directory's `runtimes/` and used by every invocation.
///
/// Each file's name carries the SHA-256 of its content, so a shift with a changed bootstrap writes a new file
/// beside the old one instead of running a stale one; a file whose content does not match its name (truncated by
/// a crash, edited by hand) is written again. Writes are atomic, so concurrent invocations never run half a file.
public struct RuntimeBootstraps: Sendable {
    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// The bootstrap file of `runtime`, written when missing or damaged.
    /// - Throws: `StorageError` when it cannot be written.
    public func file(for runtime: LambdaRuntime) throws -> URL {
        let (source, fileName) = runtime.bootstrap
        let content = Data(source.utf8)
        let digest = Self.hexDigest(of: content)
        let url = directory.appendingPathComponent(String(digest.prefix(16))).appendingPathComponent(fileName)
        if let existing = FileManager.default.contents(atPath: url.path), Self.hexDigest(of: existing) == digest {
            return url
        }
        try AtomicFile.createDirectory(url.deletingLastPathComponent())
        try AtomicFile.write(content, to: url)
        return url
    }

    private static func hexDigest(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

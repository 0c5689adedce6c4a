import Foundation
import ShiftStorage

/// A collected artifact (a directory: `FileTree.copy` puts even a single file in one) as one JSON document, to
/// travel through a shared store: every entry's relative path, kind, executable bit and bytes (base64). What the
/// tree hash covers, and nothing it does not, so an unpacked archive hashes as the tree it was packed from.
public struct ArtifactArchive: Codable, Equatable, Sendable {
    public struct Entry: Codable, Equatable, Sendable {
        public var path: String
        public var directory: Bool
        public var executable: Bool
        public var content: Data?
    }

    public static let currentFormat = "shift-artifact-1"
    public var format: String
    public var entries: [Entry]

    /// Reads the directory at `root` (symbolic links were resolved when the artifact was collected).
    /// - Throws: `StorageError.io` naming an unreadable file.
    public static func pack(_ root: URL) throws -> ArtifactArchive {
        let manager = FileManager.default
        var entries: [Entry] = []
        func visit(_ directory: URL, prefix: String) throws {
            let names = try manager.contentsOfDirectory(atPath: directory.path).sorted()
            for name in names {
                let url = directory.appendingPathComponent(name), path = prefix + name
                var isDirectory: ObjCBool = false
                _ = manager.fileExists(atPath: url.path, isDirectory: &isDirectory)
                if isDirectory.boolValue {
                    entries.append(Entry(path: path, directory: true, executable: false, content: nil))
                    try visit(url, prefix: path + "/")
                } else {
                    guard let data = manager.contents(atPath: url.path) else {
                        throw StorageError.io(path: url.path, operation: "read artifact file", detail: "unreadable")
                    }
                    entries.append(Entry(path: path, directory: false, executable: Self.isExecutable(url), content: data))
                }
            }
        }
        do { try visit(root, prefix: "") } catch let error as StorageError { throw error } catch {
            throw StorageError.io(path: root.path, operation: "read artifact", detail: error.localizedDescription)
        }
        return ArtifactArchive(format: currentFormat, entries: entries)
    }

    /// The owner's execute bit, as the tree hash reads it.
    private static func isExecutable(_ url: URL) -> Bool {
        var info = stat()
        return stat(url.path, &info) == 0 && (info.st_mode & S_IXUSR) != 0
    }

    /// Writes the entries under `root` (created; it must not exist). A path that would leave `root` is refused.
    /// - Throws: `StorageError.corruptState` for such a path; `StorageError.io` when a file cannot be written.
    public func unpack(into root: URL, source: String) throws {
        let manager = FileManager.default
        try AtomicFile.createDirectory(root)
        for entry in entries {
            let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
            guard !entry.path.isEmpty, !entry.path.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                throw StorageError.corruptState(file: source, detail: "entry path '\(entry.path)' leaves the artifact")
            }
            let url = root.appendingPathComponent(entry.path)
            if entry.directory {
                try AtomicFile.createDirectory(url)
            } else {
                guard manager.createFile(atPath: url.path, contents: entry.content ?? Data()), chmod(url.path, entry.executable ? 0o755 : 0o644) == 0 else {
                    throw StorageError.io(path: url.path, operation: "write artifact file", detail: StorageError.errnoDescription())
                }
            }
        }
    }
}

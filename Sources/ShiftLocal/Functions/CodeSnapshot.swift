import Crypto
import Foundation
import ShiftCore
import ShiftStorage

/// Hashes and copies a function's code: a single file (e.g. a zip) or a directory tree.
///
/// The hash of a file is the SHA-256 of its bytes, as Lambda's `CodeSha256` of a zip. The hash of a directory
/// covers, in path order, each entry's relative path, kind, executable bit and content, so renaming a file,
/// flipping its executable bit or editing it all change the hash, while timestamps do not.
///
/// Symbolic links are followed, as `zip` does by default when a Lambda package is made: a copy holds the bytes
/// of the file (or the tree) a link points to, never the link, so a published version cannot change when a file
/// outside it does. A link that leads nowhere, or into a loop, is an error naming it.
public enum CodeSnapshot {
    /// Base64 SHA-256 of the code at `path`.
    /// - Throws: `LocalPlatformError.unreadableCode` when the path is missing or unreadable.
    public static func hash(of path: URL) throws -> String {
        let kind = try entryKind(path)
        var hasher = SHA256()
        switch kind {
        case .file:
            try hashContents(of: path, into: &hasher)
        case .directory:
            for (relative, url) in try walk(path) {
                hasher.update(data: Data(relative.utf8))
                hasher.update(data: [0])
                switch try entryKind(url) {
                case .file:
                    hasher.update(data: Data((isExecutable(url) ? "x" : "f").utf8))
                    try hashContents(of: url, into: &hasher)
                case .directory:
                    hasher.update(data: Data("d".utf8))
                }
                hasher.update(data: [0])
            }
        }
        return Data(hasher.finalize()).base64EncodedString()
    }

    /// The size in bytes of the code at `path`: a file's, or the sum of a directory's regular files (Lambda's
    /// `CodeSize` is its zip's; the local platform has no zip, and reports what its code takes).
    /// - Throws: `LocalPlatformError.unreadableCode` when the path is missing or unreadable.
    public static func size(of path: URL) throws -> Int {
        switch try entryKind(path) {
        case .file:
            return fileSize(path)
        case .directory:
            return try walk(path).reduce(0) { total, entry in
                if case .file = try entryKind(entry.1) { return total + fileSize(entry.1) }
                return total
            }
        }
    }

    /// The size of the file at `url`, a symbolic link followed (a version holds its target's bytes).
    private static func fileSize(_ url: URL) -> Int {
        var info = stat()
        return stat(url.path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Copies the code at `source` into `destination` (which must not exist), keeping executable bits and
    /// following symbolic links (their targets' bytes are copied). A single file is copied into `destination`
    /// under its own name.
    /// - Throws: `LocalPlatformError`, `StorageError`.
    public static func copy(from source: URL, to destination: URL) throws {
        let manager = FileManager.default
        do {
            try AtomicFile.createDirectory(destination)
            switch try entryKind(source) {
            case .file:
                try manager.copyItem(at: source.resolvingSymlinksInPath(), to: destination.appendingPathComponent(source.lastPathComponent))
            case .directory:
                for (relative, url) in try walk(source) {
                    let target = destination.appendingPathComponent(relative)
                    switch try entryKind(url) {
                    case .file: try manager.copyItem(at: url.resolvingSymlinksInPath(), to: target)
                    case .directory: try manager.createDirectory(at: target, withIntermediateDirectories: false)
                    }
                }
            }
        } catch let error as LocalPlatformError {
            throw error
        } catch let error as StorageError {
            throw error
        } catch {
            throw LocalPlatformError.unreadableCode(path: source.path, detail: error.localizedDescription)
        }
    }

    /// The directory a handler runs in for code at `path`: the directory itself, or a file's parent.
    public static func workingDirectory(for path: URL) -> URL {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path.path, isDirectory: &isDirectory)
        return isDirectory.boolValue ? path : path.deletingLastPathComponent()
    }

    /// Checks that `path` exists and can be read.
    /// - Throws: `LocalPlatformError.unreadableCode`.
    public static func validate(_ path: URL) throws {
        _ = try entryKind(path)
        guard access(path.path, R_OK) == 0 else {
            throw LocalPlatformError.unreadableCode(path: path.path, detail: "permission denied")
        }
    }

    private enum EntryKind { case file, directory }

    /// What `url` is, a symbolic link followed to what it points to.
    private static func entryKind(_ url: URL) throws -> EntryKind {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let detail = StorageError.errnoDescription()
            if lstat(url.path, &info) == 0 {
                let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? "?"
                throw LocalPlatformError.unreadableCode(path: url.path, detail: "a symbolic link to \(destination), which cannot be followed: \(detail)")
            }
            throw LocalPlatformError.unreadableCode(path: url.path, detail: detail)
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        default:
            throw LocalPlatformError.unreadableCode(path: url.path, detail: "not a regular file or directory")
        }
    }

    private static func isExecutable(_ url: URL) -> Bool {
        var info = stat()
        return stat(url.path, &info) == 0 && (info.st_mode & S_IXUSR) != 0
    }

    private static func hashContents(of url: URL, into hasher: inout SHA256) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw LocalPlatformError.unreadableCode(path: url.path, detail: "cannot open for reading")
        }
        defer { try? handle.close() }
        while true {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw LocalPlatformError.unreadableCode(path: url.path, detail: error.localizedDescription)
            }
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
    }

    /// Every entry under `root`, depth first, sorted by relative path; symbolic links are followed, and one
    /// that leads back to a directory it is inside is an error (the tree would be endless).
    private static func walk(_ root: URL) throws -> [(String, URL)] {
        var result: [(String, URL)] = []
        var enclosing: [(dev_t, ino_t)] = []
        func visit(_ directory: URL, prefix: String) throws {
            var info = stat()
            guard stat(directory.path, &info) == 0 else {
                throw LocalPlatformError.unreadableCode(path: directory.path, detail: StorageError.errnoDescription())
            }
            guard !enclosing.contains(where: { $0 == (info.st_dev, info.st_ino) }) else {
                throw LocalPlatformError.unreadableCode(path: directory.path, detail: "a symbolic link to a directory that contains it (a loop)")
            }
            enclosing.append((info.st_dev, info.st_ino))
            defer { enclosing.removeLast() }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
            } catch {
                throw LocalPlatformError.unreadableCode(path: directory.path, detail: error.localizedDescription)
            }
            for name in names {
                let url = directory.appendingPathComponent(name)
                let relative = prefix.isEmpty ? name : "\(prefix)/\(name)"
                result.append((relative, url))
                if case .directory = try entryKind(url) {
                    try visit(url, prefix: relative)
                }
            }
        }
        try visit(root, prefix: "")
        return result
    }
}

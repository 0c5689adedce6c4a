import Crypto
import Foundation
import ShiftCore
import ShiftStorage

/// Hashes and copies a function's code: a single file (e.g. a zip) or a directory tree.
///
/// The hash of a file is the SHA-256 of its bytes, as Lambda's `CodeSha256` of a zip. The hash of a directory
/// covers, in path order, each entry's relative path, kind, executable bit and content, so renaming a file,
/// flipping its executable bit or editing it all change the hash, while timestamps do not.
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
                case let .symlink(destination):
                    hasher.update(data: Data("l\(destination)".utf8))
                }
                hasher.update(data: [0])
            }
        case let .symlink(destination):
            hasher.update(data: Data(destination.utf8))
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
        case .symlink:
            return 0
        }
    }

    private static func fileSize(_ url: URL) -> Int {
        var info = stat()
        return lstat(url.path, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Copies the code at `source` into `destination` (which must not exist), keeping executable bits.
    /// A single file is copied into `destination` under its own name.
    /// - Throws: `LocalPlatformError`, `StorageError`.
    public static func copy(from source: URL, to destination: URL) throws {
        let manager = FileManager.default
        do {
            try AtomicFile.createDirectory(destination)
            switch try entryKind(source) {
            case .file, .symlink:
                try manager.copyItem(at: source, to: destination.appendingPathComponent(source.lastPathComponent))
            case .directory:
                for name in try manager.contentsOfDirectory(atPath: source.path) {
                    try manager.copyItem(at: source.appendingPathComponent(name), to: destination.appendingPathComponent(name))
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

    private enum EntryKind { case file, directory, symlink(String) }

    private static func entryKind(_ url: URL) throws -> EntryKind {
        var info = stat()
        guard lstat(url.path, &info) == 0 else {
            throw LocalPlatformError.unreadableCode(path: url.path, detail: StorageError.errnoDescription())
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .file
        case S_IFLNK:
            let destination = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? ""
            return .symlink(destination)
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

    /// Every entry under `root`, depth first, sorted by relative path; symlinks are not followed.
    private static func walk(_ root: URL) throws -> [(String, URL)] {
        var result: [(String, URL)] = []
        func visit(_ directory: URL, prefix: String) throws {
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

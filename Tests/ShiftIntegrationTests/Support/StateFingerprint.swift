import Foundation

/// Every path under a state directory with its kind and content, to prove that a command changed nothing.
///
/// Lock files are left out, and so are directories that hold nothing but lock files: taking a lock creates an
/// empty file (and the directory it lives in), which holds no state. Any other directory counts, empty or not.
struct StateFingerprint: Equatable, CustomStringConvertible {
    /// Relative path to "d" for a directory, "l -> target" for a symlink, or the file's bytes.
    private(set) var entries: [String: Data] = [:]

    /// Reads the tree under `root`; a missing root is an empty fingerprint.
    /// - Throws: when an entry cannot be read.
    init(of root: URL) throws {
        let manager = FileManager.default
        guard manager.fileExists(atPath: root.path) else { return }
        /// Records the tree under `directory`; returns whether it holds lock files and nothing else.
        func visit(_ directory: URL, prefix: String) throws -> Bool {
            var holdsOnlyLocks = true
            var holdsAnything = false
            for name in try manager.contentsOfDirectory(atPath: directory.path) {
                holdsAnything = true
                let url = directory.appendingPathComponent(name)
                let relative = prefix.isEmpty ? name : "\(prefix)/\(name)"
                let attributes = try manager.attributesOfItem(atPath: url.path)
                switch attributes[.type] as? FileAttributeType {
                case .typeDirectory?:
                    if try !visit(url, prefix: relative) {
                        entries[relative] = Data("d".utf8)
                        holdsOnlyLocks = false
                    }
                case .typeSymbolicLink?:
                    entries[relative] = Data("l -> \(try manager.destinationOfSymbolicLink(atPath: url.path))".utf8)
                    holdsOnlyLocks = false
                default:
                    if name.hasSuffix(".lock") { continue }
                    entries[relative] = try Data(contentsOf: url)
                    holdsOnlyLocks = false
                }
            }
            return holdsAnything && holdsOnlyLocks
        }
        _ = try visit(root, prefix: "")
    }

    /// The paths whose presence or content differs between `self` and `other`.
    func differences(from other: StateFingerprint) -> [String] {
        Set(entries.keys).union(other.entries.keys).filter { entries[$0] != other.entries[$0] }.sorted()
    }

    var description: String { "\(entries.count) entries: \(entries.keys.sorted().joined(separator: ", "))" }
}

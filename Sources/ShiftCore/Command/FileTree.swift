import Foundation

/// Copies and hashes trees of files (a pipeline's pinned source and its artifacts) the way the platforms
/// publish code, so that an artifact's recorded hash is the hash its function version gets.
public protocol FileTree: Sendable {
    /// Copies the file or directory at `source` into `destination`, which must not exist; a single file is
    /// copied into `destination` under its own name.
    /// - Throws: an error with a category naming the path that cannot be read or written.
    func copy(from source: URL, to destination: URL) throws

    /// Base64 SHA-256 of the file or directory at `path`, as Lambda's `CodeSha256`.
    /// - Throws: an error with a category naming the path that cannot be read.
    func hash(of path: URL) throws -> String
}

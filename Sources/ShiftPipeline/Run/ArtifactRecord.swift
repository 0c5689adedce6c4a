/// An artifact collected into a run: where it is and the hash every deploy stage checks before promoting it.
public struct ArtifactRecord: Codable, Equatable, Sendable {
    public var name: String
    /// Relative to the run's directory.
    public var path: String
    /// Base64 SHA-256 of the tree, as Lambda's `CodeSha256` (`FileTree.hash(of:)`): a function version published
    /// from it carries the same value.
    public var sha256: String
    public var bytes: Int

    public init(name: String, path: String, sha256: String, bytes: Int) {
        self.name = name
        self.path = path
        self.sha256 = sha256
        self.bytes = bytes
    }
}

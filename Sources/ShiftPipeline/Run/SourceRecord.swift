/// The source a run builds, pinned when the run starts.
public struct SourceRecord: Codable, Equatable, Sendable {
    /// `directory` or `git`.
    public var kind: String
    /// The directory's absolute path, or the repository as written.
    public var location: String
    /// The ref asked for (git only).
    public var ref: String?
    /// The commit id (git), or the base64 SHA-256 of the directory tree.
    public var revision: String

    public init(kind: String, location: String, ref: String? = nil, revision: String) {
        self.kind = kind
        self.location = location
        self.ref = ref
        self.revision = revision
    }
}

/// A file or directory a build or test stage leaves for later stages.
public struct ArtifactDeclaration: Codable, Equatable, Sendable {
    /// Unique in the pipeline.
    public var name: String
    /// Relative to the workspace.
    public var path: String

    public init(name: String, path: String) {
        self.name = name
        self.path = path
    }
}

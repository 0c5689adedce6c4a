/// What the build stages start from: a directory, or a git repository at a ref. A run records the commit or digest.
public enum PipelineSource: Codable, Equatable, Sendable {
    /// A directory, relative to the pipeline file's directory unless absolute.
    case directory(path: String)
    /// A git repository (a URL or a path) and a ref (branch, tag or commit).
    case git(repository: String, ref: String)
}

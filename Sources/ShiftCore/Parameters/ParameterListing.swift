/// The parameters a listing found, and what it had to leave out.
public struct ParameterListing: Equatable, Sendable {
    /// The latest version of each parameter found, sorted by name.
    public var parameters: [ParameterMetadata]
    /// One line per parameter that could not be read or whose name shift does not accept, so that one damaged
    /// parameter does not hide the others; never a value.
    public var skipped: [String]

    public init(parameters: [ParameterMetadata], skipped: [String] = []) {
        self.parameters = parameters
        self.skipped = skipped
    }
}

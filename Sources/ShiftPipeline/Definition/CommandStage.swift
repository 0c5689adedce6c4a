/// A build or test stage: shell commands run in a fresh workspace holding the source.
public struct CommandStage: Codable, Equatable, Sendable {
    /// Run one after another with `/bin/sh -c`; the first to fail fails the stage.
    public var commands: [String]
    /// Seconds all commands together may take.
    public var timeout: Double
    /// Variables for the commands; values may reference parameters.
    public var environment: [String: String]
    /// Files or directories collected from the workspace into the run once the commands succeed.
    public var artifacts: [ArtifactDeclaration]
    /// The account whose parameters `{{param:...}}` resolve from.
    public var account: String

    /// CodeBuild's default build timeout: one hour.
    public static let defaultTimeout: Double = 3600

    public init(commands: [String], timeout: Double = defaultTimeout, environment: [String: String] = [:], artifacts: [ArtifactDeclaration] = [], account: String) {
        self.commands = commands
        self.timeout = timeout
        self.environment = environment
        self.artifacts = artifacts
        self.account = account
    }
}

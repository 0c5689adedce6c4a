import ShiftCore

/// A deploy stage: one account, one or more functions, deployed concurrently; one rollback rolls back them all.
public struct DeployStage: Codable, Equatable, Sendable {
    public var account: String
    /// At most this many functions deploy at once.
    public var concurrency: Int
    public var functions: [FunctionDeployment]

    /// Functions deployed at once unless the stage says otherwise.
    public static let defaultConcurrency = 4

    public init(account: String, concurrency: Int = defaultConcurrency, functions: [FunctionDeployment]) {
        self.account = account
        self.concurrency = concurrency
        self.functions = functions
    }
}

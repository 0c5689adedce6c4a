/// A function the pipeline ships: its code is a build artifact, promoted unchanged through every deploy stage.
public struct PipelineFunction: Codable, Equatable, Sendable {
    public var name: String
    /// The artifact whose bytes become the function's code.
    public var artifact: String
    /// The command that handles an event, run in the code directory; with a runtime, Lambda's handler name
    /// (`app.lambda_handler`).
    public var handler: String
    /// A Lambda runtime (`python3.12`, `nodejs22.x`); nil for a command handler (on AWS, the account's runtime).
    public var runtime: String?
    /// Seconds an invocation may take (1 to 900).
    public var timeout: Double
    /// Variables given to the handler; values may reference parameters.
    public var environment: [String: String]
    public var description: String

    public init(name: String, artifact: String, handler: String, runtime: String? = nil, timeout: Double = 3, environment: [String: String] = [:], description: String = "") {
        self.name = name
        self.artifact = artifact
        self.handler = handler
        self.runtime = runtime
        self.timeout = timeout
        self.environment = environment
        self.description = description
    }
}

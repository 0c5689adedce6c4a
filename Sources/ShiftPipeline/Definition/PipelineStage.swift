/// One stage of a pipeline: a name and what it does.
public struct PipelineStage: Codable, Equatable, Sendable {
    /// What a stage does; each case carries only its own settings.
    public enum Kind: Codable, Equatable, Sendable {
        case build(CommandStage)
        case test(CommandStage)
        case deploy(DeployStage)
        case approval(ApprovalStage)
    }

    /// Unique in the pipeline; used in commands (`shift approve RUN --stage NAME`) and file names.
    public var name: String
    public var kind: Kind

    public init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }

    /// `build`, `test`, `deploy` or `approval`.
    public var type: String {
        switch kind {
        case .build: return "build"
        case .test: return "test"
        case .deploy: return "deploy"
        case .approval: return "approval"
        }
    }
}

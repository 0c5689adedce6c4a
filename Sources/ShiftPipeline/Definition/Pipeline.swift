import Foundation

/// A pipeline file, validated: accounts, a source, the functions it ships, and ordered stages (DESIGN.md section 8).
///
/// Only `PipelineParser` makes one, so that a `Pipeline` always passed every rule of `shift pipeline validate`.
/// It holds parameter references (`{{param:/path}}`), never their values, and is stored whole in each run record,
/// so that a resumed run does what it started to do even if the file changed since.
public struct Pipeline: Codable, Equatable, Sendable {
    /// The pipeline's name, for listings.
    public var name: String
    /// Accounts in file order.
    public var accounts: [PipelineAccount]
    public var source: PipelineSource
    /// Parameter names that `{{param:...}}` references may use.
    public var parameters: [String]
    /// The functions deploy stages ship, by name.
    public var functions: [PipelineFunction]
    /// Stages in the order they run.
    public var stages: [PipelineStage]

    public init(name: String, accounts: [PipelineAccount], source: PipelineSource, parameters: [String], functions: [PipelineFunction], stages: [PipelineStage]) {
        self.name = name
        self.accounts = accounts
        self.source = source
        self.parameters = parameters
        self.functions = functions
        self.stages = stages
    }

    /// The account named `name`.
    public func account(_ name: String) -> PipelineAccount? { accounts.first { $0.name == name } }

    /// The function named `name`.
    public func function(_ name: String) -> PipelineFunction? { functions.first { $0.name == name } }

    /// The stage named `name`.
    public func stage(_ name: String) -> PipelineStage? { stages.first { $0.name == name } }
}

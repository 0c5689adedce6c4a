import Foundation
import ShiftCore

/// Turns a pipeline's accounts into what stages act on: a deploy target for deploy stages, a parameter resolver
/// for `{{param:...}}` references.
public protocol PipelineAccounts: Sendable {
    /// Where deploy stages on `account` ship their functions.
    /// - Throws: the platform's error when an account's credentials, region or endpoint cannot be resolved.
    func target(for account: PipelineAccount, stage: String) throws -> any DeployTarget
    /// Resolves parameters from `account`'s store: the local store, or SSM Parameter Store on aws.
    /// - Throws: as above.
    func resolver(for account: PipelineAccount, stage: String) throws -> any ParameterResolver
}

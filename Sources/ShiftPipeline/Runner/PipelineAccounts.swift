import Foundation
import ShiftCore
import ShiftLocal
import ShiftSecrets

/// Turns a pipeline's accounts into what stages act on: a deploy target for deploy stages, a parameter resolver
/// for `{{param:...}}` references.
public protocol PipelineAccounts: Sendable {
    /// Where deploy stages on `account` ship their functions.
    /// - Throws: `PipelineError.unsupported` for a platform the runner cannot deploy to yet.
    func target(for account: PipelineAccount, stage: String) throws -> any DeployTarget
    /// Resolves parameters from `account`'s store.
    /// - Throws: `PipelineError.unsupported` as above.
    func resolver(for account: PipelineAccount, stage: String) throws -> any ParameterResolver
}

/// Accounts of one local state directory: `platform: local` maps to `<state-dir>/accounts/<account>/`.
public struct LocalPipelineAccounts: PipelineAccounts {
    /// The state directory's root.
    public let root: URL
    let clock: any Clock
    let environment: [String: String]

    public init(root: URL, clock: any Clock, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.root = root
        self.clock = clock
        self.environment = environment
    }

    private func state(_ account: PipelineAccount, stage: String) throws -> StateDirectory {
        guard account.platform == .local else {
            throw PipelineError.unsupported(stage: stage, detail: "account \(account.name) is on platform \(account.platform.rawValue), which pipelines cannot run on yet; use a local account")
        }
        return try StateDirectory(root: root, account: account.localAccount)
    }

    public func target(for account: PipelineAccount, stage: String) throws -> any DeployTarget {
        let state = try state(account, stage: stage)
        let parameters = LazyParameterStore(location: MasterKeyLocation(keyFile: nil, state: state, environment: environment), state: state, clock: clock)
        return LocalDeployTarget(LocalDeployer(platform: LocalPlatform(state: state, clock: clock, processEnvironment: environment, parameters: parameters), clock: clock))
    }

    public func resolver(for account: PipelineAccount, stage: String) throws -> any ParameterResolver {
        let state = try state(account, stage: stage)
        return LazyParameterStore(location: MasterKeyLocation(keyFile: nil, state: state, environment: environment), state: state, clock: clock)
    }
}

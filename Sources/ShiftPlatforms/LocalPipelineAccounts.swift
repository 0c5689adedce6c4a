import Foundation
import ShiftAWS
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftSecrets
import ShiftStorage

/// Accounts of one state directory: `platform: local` maps to `<state-dir>/accounts/<account>/`; `platform: aws`
/// drives the AWS platform with the account's region, profile and endpoint, and keeps its deployment journal and
/// alias leases in its `state:` location when it has one (shared by every machine), else in `<state-dir>/accounts/<name>/`.
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

    public func target(for account: PipelineAccount, stage: String) throws -> any DeployTarget {
        let state = try StateDirectory(root: root, account: account.localAccount)
        switch account.platform {
        case .local:
            // The state directory's own word wins: an account set up with 'shift account add NAME --platform aws'
            // must not be deployed to locally because a pipeline file calls it local.
            if try AccountRegistry(root: root).settings(of: account.localAccount).platform == .aws {
                throw ShiftCoreError.refused(reason: "account \(account.localAccount) is an AWS account in this state directory ('shift account get \(account.localAccount)'), but stage \(stage) declares it platform: local; declare it platform: aws in the pipeline file")
            }
            let parameters = LazyParameterStore(location: MasterKeyLocation(keyFile: nil, state: state, environment: environment), state: state, clock: clock)
            return LocalDeployTarget(platform: LocalPlatform(state: state, clock: clock, processEnvironment: environment, parameters: parameters), clock: clock)
        case .aws:
            let platform = try awsPlatform(account)
            let shared = AccountResolver.sharedState(of: Self.settings(of: account), on: platform)
            let (deployments, leases) = try AccountResolver.stores(shared: shared, state: state, environment: environment, clock: clock)
            return AWSDeployTarget(platform: platform, store: deployments, leases: leases, clock: clock)
        }
    }

    public func resolver(for account: PipelineAccount, stage: String) throws -> any ParameterResolver {
        switch account.platform {
        case .local:
            let state = try StateDirectory(root: root, account: account.localAccount)
            return LazyParameterStore(location: MasterKeyLocation(keyFile: nil, state: state, environment: environment), state: state, clock: clock)
        case .aws:
            return SSMParameterResolver(ssm: try awsPlatform(account).ssm)
        }
    }

    private func awsPlatform(_ account: PipelineAccount) throws -> AWSPlatform {
        try AWSPlatform(settings: Self.settings(of: account), environment: environment, clock: clock)
    }

    /// An `aws` pipeline account's settings, as `shift account add` would have stored them.
    static func settings(of account: PipelineAccount) -> AccountSettings {
        AccountSettings(platform: .aws, region: account.region, profile: account.profile, endpointURL: account.endpoint, role: account.role, runtime: account.runtime,
                        state: account.state, stateKMSKey: account.stateKMSKey)
    }
}

import Foundation
import ShiftAnalysis
import ShiftAWS
import ShiftCore
import ShiftSecrets
import ShiftStorage

/// One account's platform, as protocols: what every command acts on, whichever platform the account is on.
///
/// ``AccountResolver`` builds it once per process from the account's settings; nothing above it asks which
/// platform it has. A capability a platform lacks is an error from that platform's implementation.
public struct AccountPlatform: Sendable {
    /// The account's name, as `--account` takes it.
    public let account: String
    /// The account's settings (local unless `shift account add` said otherwise).
    public let settings: AccountSettings
    /// The account's local state: deployment records, locks, runs; on every platform.
    public let state: StateDirectory
    /// Functions, versions, aliases and invocations.
    public let functions: any FunctionCatalog
    /// Alarms: defined and evaluated locally, or CloudWatch's.
    public let alarms: any AlarmCatalog
    /// Recorded metrics of invocations.
    public let metrics: any MetricsCatalog
    /// Samples of one version's metrics for canary analysis: the metrics log, or CloudWatch.
    public let canarySamples: any CanarySampleSource
    /// Parameters: the local encrypted store, or SSM Parameter Store.
    public let parameters: any ParameterCatalog
    /// The master key of the account's local parameter store; nil where the platform encrypts (SSM uses KMS).
    let keyLocation: MasterKeyLocation?
    /// Where the account's deployments, leases and stop requests are shared between machines (`s3://BUCKET/PREFIX`
    /// of an AWS account's settings); nil when they live in the state directory.
    public let sharedState: (any ObjectStore)?
    /// Deployment records, listing and stop requests: the shared state's when the account has one, else the
    /// state directory's.
    public let deployments: any DeploymentStore
    /// Alias and publish leases, kept where ``deployments`` are.
    public let leases: any LeaseStore

    /// The one way this account's deployments start, resume and roll back.
    public func deployer(clock: any Clock, settingNames: @escaping DeploymentSettingNames = DeploymentSetting.ownNames) -> Deployer {
        Deployer(platform: functions, alarms: alarmSource, store: deployments, leases: leases, clock: clock, settingNames: settingNames, judge: canaryJudge)
    }

    /// What judges a deployment's canary analyses on this platform.
    public var canaryJudge: any CanaryJudge { StatisticalCanaryJudge(samples: canarySamples) }

    /// Where a deployment reads the states of the alarms it watches.
    public var alarmSource: any AlarmSource { alarms }

    /// The master key of the account's local parameter store, for `shift key`.
    /// - Throws: `AWSPlatformError.unsupported` on an AWS account, whose SecureStrings SSM encrypts with KMS.
    public func masterKey() throws -> MasterKeyLocation {
        guard let keyLocation else {
            throw AWSPlatformError.unsupported(operation: "a master key for account \(account)", hint: "SSM encrypts its SecureString parameters with the account's KMS key; master keys are for local accounts")
        }
        return keyLocation
    }
}

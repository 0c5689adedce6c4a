import Foundation
import ShiftAnalysis
import ShiftAWS
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftStorage

/// A deploy target on AWS Lambda: alarms are existing CloudWatch alarms, so an alarm a stage defines inline is
/// refused by the platform. The deployment journal and alias leases are where the account keeps them (its
/// shared state, or the state directory), so a deployment whose runner died is recovered as any other. Functions a
/// stage creates get the account's role and runtime (the platform's settings); analyses read CloudWatch.
public struct AWSDeployTarget: DeployTarget {
    public let platform: AWSPlatform
    public let deployer: Deployer

    /// A target whose deployer keeps records and leases in `store` and `leases`.
    public init(platform: AWSPlatform, store: any DeploymentStore, leases: any LeaseStore, clock: any Clock) {
        self.platform = platform
        self.deployer = Deployer(platform: platform, alarms: platform, store: store, leases: leases, clock: clock, settingNames: FunctionDeployment.settingNames,
                                 judge: StatisticalCanaryJudge(samples: platform))
    }

    /// A target whose records and leases live in the state directory.
    public init(platform: AWSPlatform, state: StateDirectory, clock: any Clock) {
        self.init(platform: platform, store: LocalDeploymentStore(state: state, clock: clock), leases: FileLeaseStore(state: state, clock: clock), clock: clock)
    }

    /// Validation refuses inline alarms on aws accounts already; refused again here, by the platform, so that a
    /// run record from an older file changes nothing.
    /// - Throws: `AWSPlatformError.unsupported` for any definition.
    public func putAlarms(_ definitions: [AlarmDefinition], description: String) async throws {
        for definition in definitions {
            _ = try await platform.putAlarm(definition, description: description)
        }
    }
}

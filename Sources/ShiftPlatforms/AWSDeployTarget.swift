import Foundation
import ShiftAnalysis
import ShiftAWS
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftStorage

/// A deploy target on AWS Lambda: alarms are existing CloudWatch alarms, so an alarm a stage defines inline is
/// refused by the platform. The deployment journal and alias locks stay in the account's state directory, so a
/// deployment whose runner died is recovered as on the local platform. Functions a stage creates get the
/// account's role and runtime (the platform's settings).
public struct AWSDeployTarget: DeployTarget {
    public let platform: AWSPlatform
    public let deployer: Deployer

    public init(platform: AWSPlatform, state: StateDirectory, clock: any Clock) {
        self.platform = platform
        self.deployer = Deployer(platform: platform, alarms: platform, state: state, clock: clock, settingNames: FunctionDeployment.settingNames,
                                 judge: StatisticalCanaryJudge(samples: platform))
    }

    /// A target whose deployer keeps records and leases where the caller chose (an account's shared state).
    public init(platform: AWSPlatform, deployer: Deployer) {
        self.platform = platform
        self.deployer = deployer
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

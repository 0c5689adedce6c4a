import Foundation
import ShiftAnalysis
import ShiftCore
import ShiftLocal
import ShiftPipeline

/// A deploy target on the local platform: alarms a stage defines are put in the account's alarm store as they
/// are, before the functions and aliases they watch exist (`shift alarm put` wants those to exist first).
public struct LocalDeployTarget: DeployTarget {
    public let platform: LocalPlatform
    public let deployer: Deployer

    public init(platform: LocalPlatform, clock: any Clock) {
        self.platform = platform
        self.deployer = Deployer(platform: platform, alarms: platform.alarms, state: platform.state, clock: clock, settingNames: FunctionDeployment.settingNames,
                                 judge: StatisticalCanaryJudge(samples: platform))
    }

    public func putAlarms(_ definitions: [AlarmDefinition], description: String) async throws {
        for definition in definitions {
            try platform.alarms.put(definition, description: description)
        }
    }
}

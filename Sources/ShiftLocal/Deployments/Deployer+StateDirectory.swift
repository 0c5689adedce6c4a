import Foundation
import ShiftCore
import ShiftStorage

extension Deployer {
    /// A deployer for `platform` whose records and leases live in `state`, the account's state directory (on
    /// either platform: an AWS account's journal and alias locks are kept locally too).
    public init(platform: any FunctionCatalog, alarms: any AlarmSource, state: StateDirectory, clock: any Clock,
                settingNames: @escaping DeploymentSettingNames = DeploymentSetting.ownNames, judge: (any CanaryJudge)? = nil) {
        self.init(platform: platform, alarms: alarms, store: LocalDeploymentStore(state: state, clock: clock), leases: FileLeaseStore(state: state, clock: clock), clock: clock,
                  settingNames: settingNames, judge: judge)
    }
}

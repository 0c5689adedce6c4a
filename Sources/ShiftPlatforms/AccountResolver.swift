import Foundation
import ShiftAWS
import ShiftCore
import ShiftLocal
import ShiftSecrets
import ShiftStorage

/// Builds an account's platform from its settings: the one place that knows which platforms exist.
///
/// It reads the account's settings file once per call; callers resolve once per process and keep the result.
public struct AccountResolver: Sendable {
    /// The state directory's root.
    public let root: URL
    /// The process environment: AWS credentials and region, master key variables, handler variables.
    public let environment: [String: String]
    public let clock: any Clock

    public init(root: URL, environment: [String: String], clock: any Clock) {
        self.root = root
        self.environment = environment
        self.clock = clock
    }

    /// The platform of `account`.
    /// - Parameter keyFile: the master key file of the local parameter store, else the default location.
    /// - Throws: `ShiftCoreError.invalidValue` for a bad account name; `StorageError` for a damaged settings file;
    ///   `AWSPlatformError` when an AWS account's credentials, region or endpoint cannot be resolved.
    public func resolve(_ account: String, keyFile: String? = nil) throws -> AccountPlatform {
        let settings = try AccountRegistry(root: root).settings(of: account)
        let state = try StateDirectory(root: root, account: account)
        switch settings.platform {
        case .aws:
            let aws = try AWSPlatform(settings: settings, environment: environment, clock: clock)
            return AccountPlatform(account: account, settings: settings, state: state, functions: aws, alarms: aws, metrics: aws, canarySamples: aws, parameters: aws, keyLocation: nil)
        case .local:
            let location = MasterKeyLocation(keyFile: keyFile, state: state, environment: environment)
            let parameters = LazyParameterStore(location: location, state: state, clock: clock)
            let local = LocalPlatform(state: state, clock: clock, processEnvironment: environment, parameters: parameters)
            return AccountPlatform(account: account, settings: settings, state: state, functions: local, alarms: local, metrics: local, canarySamples: local, parameters: parameters, keyLocation: location)
        }
    }
}

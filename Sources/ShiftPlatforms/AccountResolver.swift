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
            let shared = Self.sharedState(of: settings, on: aws)
            let (deployments, leases) = try Self.stores(shared: shared, state: state, environment: environment, clock: clock)
            return AccountPlatform(account: account, settings: settings, state: state, functions: aws, alarms: aws, metrics: aws, canarySamples: aws, parameters: aws, keyLocation: nil,
                                   sharedState: shared, deployments: deployments, leases: leases)
        case .local:
            let location = MasterKeyLocation(keyFile: keyFile, state: state, environment: environment)
            let parameters = LazyParameterStore(location: location, state: state, clock: clock)
            let local = LocalPlatform(state: state, clock: clock, processEnvironment: environment, parameters: parameters)
            return AccountPlatform(account: account, settings: settings, state: state, functions: local, alarms: local, metrics: local, canarySamples: local, parameters: parameters, keyLocation: location,
                                   sharedState: nil, deployments: LocalDeploymentStore(state: state, clock: clock), leases: FileLeaseStore(state: state, clock: clock))
        }
    }

    /// The deployment store of `account` alone: its shared state's when it has one (resolving AWS credentials),
    /// else its state directory's (resolving nothing else), for commands that only read or request.
    /// - Throws: as ``resolve(_:keyFile:)``.
    public func deployments(of account: String) throws -> any DeploymentStore {
        let settings = try AccountRegistry(root: root).settings(of: account)
        guard settings.platform == .aws, settings.state != nil else {
            return LocalDeploymentStore(state: try StateDirectory(root: root, account: account), clock: clock)
        }
        return try resolve(account).deployments
    }

    /// The deployment and lease stores over `shared` when given, else over the state directory. A shared lease
    /// lasts `SHIFT_LEASE_SECONDS` (1 to 3600; for tests and slow networks), else 60 s, renewed every third of it.
    /// - Throws: `ShiftCoreError.invalidValue` for a `SHIFT_LEASE_SECONDS` that is not such a number.
    static func stores(shared: (any ObjectStore)?, state: StateDirectory, environment: [String: String], clock: any Clock) throws -> (any DeploymentStore, any LeaseStore) {
        guard let shared else { return (LocalDeploymentStore(state: state, clock: clock), FileLeaseStore(state: state, clock: clock)) }
        let leases = try sharedLeases(over: shared, environment: environment, clock: clock)
        return (SharedDeploymentStore(store: shared, leases: leases, clock: clock), leases)
    }

    /// This process's leases over `shared` (alias, publish and pipeline-run leases alike): held by this host and
    /// pid, lasting `SHIFT_LEASE_SECONDS` (1 to 3600), else 60 s, renewed every third of it.
    /// - Throws: `ShiftCoreError.invalidValue` for a `SHIFT_LEASE_SECONDS` that is not such a number.
    public static func sharedLeases(over shared: any ObjectStore, environment: [String: String], clock: any Clock) throws -> SharedLeaseStore {
        var seconds: TimeInterval = 60
        if let text = environment["SHIFT_LEASE_SECONDS"] {
            guard let value = TimeInterval(text), (1...3600).contains(value) else {
                throw ShiftCoreError.invalidValue(field: "SHIFT_LEASE_SECONDS", value: text, expected: "a number of seconds from 1 to 3600 (default 60)")
            }
            seconds = value
        }
        return SharedLeaseStore(store: shared, clock: clock, host: ProcessInfo.processInfo.hostName, pid: getpid(), duration: seconds)
    }

    /// The shared state of an AWS account with a state location: its S3 bucket and prefix, encrypted with its KMS
    /// key when it has one; nil for an account without one.
    static func sharedState(of settings: AccountSettings, on aws: AWSPlatform) -> (any ObjectStore)? {
        settings.state.map { S3ObjectStore(s3: aws.s3, state: $0, kmsKeyId: settings.stateKMSKey) }
    }

    /// The object store of an account's state location, or nil for an account without one: what
    /// ``PipelineStateLocator`` opens for pipeline runs, approvals and artifacts.
    /// - Throws: `AWSPlatformError` when the account's AWS settings are unusable.
    public static func openSharedState(_ settings: AccountSettings, environment: [String: String], clock: any Clock) throws -> (any ObjectStore)? {
        guard settings.platform == .aws, settings.state != nil else { return nil }
        return sharedState(of: settings, on: try AWSPlatform(settings: settings, environment: environment, clock: clock))
    }

    /// Makes `settings`' state location shift's (see ``SharedStateMarker``) before they are saved: the bucket
    /// exists, the credentials may use it, and the prefix holds nothing else. Nothing to do without a location.
    /// - Throws: `ObjectStoreError` (missing bucket, denied, unreachable); `ShiftCoreError.invalidValue` naming the
    ///   object when the prefix holds something that is not shift state; `AWSPlatformError` for credentials.
    public func claimSharedState(of settings: AccountSettings) async throws {
        guard settings.platform == .aws, settings.state != nil else { return }
        let aws = try AWSPlatform(settings: settings, environment: environment, clock: clock)
        guard let store = Self.sharedState(of: settings, on: aws) else { return }
        try await SharedStateMarker.claim(store, by: ProcessInfo.processInfo.hostName, at: clock.now)
    }
}

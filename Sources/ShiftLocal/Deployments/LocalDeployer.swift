import Foundation
import ShiftCore
import ShiftStorage

/// The engine wired to one account: its platform (local or AWS), its alarms, and the account's local journal
/// and alias locks, with the checks every deployment makes before it starts. `shift deploy`, `shift recover`
/// and pipeline deploy stages all start deployments through it.
public struct Deployer: Sendable {
    public let platform: any FunctionCatalog
    public let store: LocalDeploymentStore
    public let engine: DeploymentEngine

    /// A deployer for `platform`, whose records and locks live in `state` (the account's state directory).
    public init(platform: any FunctionCatalog, alarms: any AlarmSource, state: StateDirectory, clock: any Clock) {
        self.platform = platform
        self.store = LocalDeploymentStore(state: state, clock: clock)
        self.engine = DeploymentEngine(platform: platform, alarms: alarms, journal: store, clock: clock)
    }

    /// What `start` found.
    public enum Start: Sendable {
        /// The alias already routes everything to the target; nothing to do. The alias lock is released.
        case alreadyAtTarget(Alias)
        /// Checked and ready to run, not yet saved. The caller holds `lock` until the deployment has ended.
        case ready(Deployment, warnings: [String], lock: FileLock)
    }

    /// Takes the alias's lock, refuses while another deployment holds the alias or one was interrupted, and
    /// runs the engine's checks.
    ///
    /// With `publishing` (`shift deploy --code`), every check that does not need the target version runs first,
    /// then, holding the lock, `publishing` makes the version to deploy: bad input changes nothing.
    /// - Throws: `ShiftCoreError.conflict` naming the holder or the interrupted deployment; what `prepare` and
    ///   `publishing` throw.
    public func start(_ request: DeploymentRequest, id: String, publishing: (@Sendable () async throws -> Int)? = nil) async throws -> Start {
        var request = request
        if publishing != nil {
            try await engine.checkBeforeTargetExists(request)
        }
        let function = request.functionName, alias = request.alias
        guard let lock = try store.lockAlias(alias, of: function) else {
            guard let holder = try store.unfinishedDeployment(of: alias, function: function) else {
                // Held before the first record (a deployment starting or publishing, a dry run, a recover): no id to stop yet.
                throw ShiftCoreError.conflict(reason: "alias \(function):\(alias) is held by another process that has not recorded a deployment yet (one starting, a dry run or a recover); wait for it, then try again")
            }
            throw ShiftCoreError.conflict(reason: "alias \(function):\(alias) is held by deployment \(holder.id) (started \(Timestamp.format(holder.createdAt))); wait for it, or stop it with 'shift deployment stop \(holder.id)'")
        }
        do {
            if let orphan = try store.unfinishedDeployment(of: alias, function: function) {
                throw ShiftCoreError.conflict(reason: "deployment \(orphan.id) of \(function):\(alias) was interrupted (its process died); reconcile it first with 'shift recover'")
            }
            if let publishing {
                request.targetVersion = try await publishing()
            }
            switch try await engine.prepare(request, id: id) {
            case let .alreadyAtTarget(current):
                lock.unlock()
                return .alreadyAtTarget(current)
            case let .ready(deployment, warnings):
                return .ready(deployment, warnings: warnings, lock: lock)
            }
        } catch {
            lock.unlock()
            throw error
        }
    }

    /// Finishes a deployment of `function:alias` whose process died, if there is one: resumed from its recorded
    /// step when `resume`, else rolled back. Returns nil when there was none (or a live process runs it).
    public func recoverInterrupted(alias: String, of function: String, resume: Bool, interruption: Interruption = Interruption(),
                                   observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in }) async throws -> Deployment? {
        guard try store.unfinishedDeployment(of: alias, function: function) != nil,
              let lock = try store.lockAlias(alias, of: function) else { return nil }
        defer { lock.unlock() }
        guard let orphan = try store.unfinishedDeployment(of: alias, function: function) else { return nil }
        return await engine.recover(orphan, resume: resume, interruption: interruption, observe: observe)
    }
}

/// A ``Deployer`` on the local platform, for callers that also need the platform's own stores (pipelines put
/// alarms and publish artifacts through it).
public struct LocalDeployer: Sendable {
    public let platform: LocalPlatform
    public let deployer: Deployer

    public init(platform: LocalPlatform, clock: any Clock) {
        self.platform = platform
        self.deployer = Deployer(platform: platform, alarms: platform.alarms, state: platform.state, clock: clock)
    }

    public var store: LocalDeploymentStore { deployer.store }
    public var engine: DeploymentEngine { deployer.engine }

    /// See ``Deployer/start(_:id:publishing:)``.
    public func start(_ request: DeploymentRequest, id: String) async throws -> Deployer.Start {
        try await deployer.start(request, id: id)
    }

    /// See ``Deployer/recoverInterrupted(alias:of:resume:interruption:observe:)``.
    public func recoverInterrupted(alias: String, of function: String, resume: Bool, interruption: Interruption = Interruption(),
                                   observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in }) async throws -> Deployment? {
        try await deployer.recoverInterrupted(alias: alias, of: function, resume: resume, interruption: interruption, observe: observe)
    }
}

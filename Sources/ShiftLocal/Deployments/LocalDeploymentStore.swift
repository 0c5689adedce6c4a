import Foundation
import ShiftCore
import ShiftStorage

/// Deployment records, stop requests and alias locks in the state directory.
///
/// The deploying process holds its alias's lock for as long as it runs; the kernel drops the lock when the
/// process dies, even by `kill -9`. So a record that says in progress while its alias lock is free belongs
/// to a dead process: `shift recover` finds it that way.
public struct LocalDeploymentStore: DeploymentStore {
    public let state: StateDirectory
    let clock: any Clock

    public init(state: StateDirectory, clock: any Clock) {
        self.state = state
        self.clock = clock
    }

    /// Takes the alias's lock for this process, or returns nil when another process holds it.
    public func lockAlias(_ alias: String, of function: String) throws -> FileLock? {
        let lock = try FileLock(url: state.aliasLock(function, alias))
        return try lock.tryLock() ? lock : nil
    }

    /// Whether a live process holds the alias's lock.
    public func isAliasLocked(_ alias: String, of function: String) throws -> Bool {
        guard let lock = try lockAlias(alias, of: function) else { return true }
        lock.unlock()
        return false
    }

    // MARK: DeploymentJournal

    public func save(_ deployment: Deployment) async throws {
        try write(deployment)
    }

    public func stopRequest(for deploymentID: String) async throws -> StopRequest? {
        try JSONFile.readIfPresent(StopRequest.self, from: state.stopRequestFile(deploymentID))
    }

    // MARK: Records

    /// Writes a deployment record atomically and durably.
    public func write(_ deployment: Deployment) throws {
        try JSONFile.write(deployment, to: state.deploymentFile(deployment.id))
    }

    /// A deployment by id.
    /// - Throws: `ShiftCoreError.notFound`; `StorageError.corruptState`.
    public func deployment(_ id: String) throws -> Deployment {
        guard id.hasPrefix("d-"), id.count <= 64, !id.contains("/"),
              let deployment = try JSONFile.readIfPresent(Deployment.self, from: state.deploymentFile(id)) else {
            throw ShiftCoreError.notFound(kind: "deployment", name: id, hint: "list deployments with 'shift deployment list' (account '\(state.account)')")
        }
        return deployment
    }

    /// Every deployment, newest first, optionally only one function's or one status's.
    public func deployments(function: String? = nil, status: DeploymentStatus? = nil) throws -> [Deployment] {
        try state.entries(in: state.deploymentsDirectory, suffix: ".json")
            .compactMap { try JSONFile.readIfPresent(Deployment.self, from: state.deploymentFile($0)) }
            .filter { function == nil || $0.request.functionName == function }
            .filter { status == nil || $0.status == status }
            .sorted { $0.createdAt > $1.createdAt }
    }

    /// Deployments whose record says in progress although no process holds their alias: their deployer died.
    public func orphans() throws -> [Deployment] {
        try deployments().filter { !$0.status.isFinal }.filter { !(try isAliasLocked($0.request.alias, of: $0.request.functionName)) }
    }

    /// The unfinished deployment of an alias, if any (running or orphaned).
    public func unfinishedDeployment(of alias: String, function: String) throws -> Deployment? {
        try deployments(function: function).first { !$0.status.isFinal && $0.request.alias == alias }
    }

    /// Asks a running deployment to stop, from any process. The deployer sees it at its next poll.
    /// - Throws: `ShiftCoreError.notFound`; `ShiftCoreError.refused` when the deployment has already ended.
    @discardableResult
    public func requestStop(_ id: String, rollback: Bool, by requester: String) throws -> StopRequest {
        let deployment = try deployment(id)
        guard !deployment.status.isFinal else {
            throw ShiftCoreError.refused(reason: "deployment \(id) has already ended (\(deployment.status.rawValue)); nothing to stop")
        }
        if try !isAliasLocked(deployment.request.alias, of: deployment.request.functionName) {
            throw ShiftCoreError.refused(reason: "deployment \(id) has no running process (it died); reconcile it with 'shift recover'")
        }
        let request = StopRequest(rollback: rollback, requestedAt: clock.now, requestedBy: requester)
        try JSONFile.write(request, to: state.stopRequestFile(id))
        return request
    }
}

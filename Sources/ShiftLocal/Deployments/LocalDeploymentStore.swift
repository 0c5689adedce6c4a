import Foundation
import ShiftCore
import ShiftStorage

/// Deployment records, control requests (stop, pause, resume, promote) and alias locks in the state directory.
///
/// The deploying process holds its alias's lock for as long as it runs; the kernel drops the lock when the
/// process dies, even by `kill -9`. So a record that says in progress while its alias lock is free belongs
/// to a dead process: `shift recover` finds it that way.
public struct LocalDeploymentStore: DeploymentStore {
    public let state: StateDirectory
    let clock: any Clock
    /// What listing reads: a summary line per record write.
    public var index: DeploymentIndex { DeploymentIndex(state: state) }

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

    public func controls(for deploymentID: String, after sequence: Int) async throws -> [DeploymentControl] {
        try requests(for: deploymentID).filter { $0.sequence > sequence }
    }

    private func requests(for deploymentID: String) throws -> [DeploymentControl] {
        try JSONFile.readIfPresent([DeploymentControl].self, from: state.controlsFile(deploymentID)) ?? []
    }

    // MARK: Records

    /// Writes a deployment record atomically and durably, with its line in the index. The first write of a
    /// deployment names it as its alias's newest first, so that a damaged record blocks its own alias only (see
    /// ``unfinishedDeployment(of:function:)``).
    public func write(_ deployment: Deployment) throws {
        let request = deployment.request
        let pointer = state.latestDeploymentFile(request.functionName, request.alias)
        if (try? JSONFile.readIfPresent(LatestDeployment.self, from: pointer))?.deploymentId != deployment.id {
            try JSONFile.write(LatestDeployment(deploymentId: deployment.id), to: pointer)
        }
        try index.record(deployment) {
            try JSONFile.write(deployment, to: state.deploymentFile(deployment.id))
        }
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

    /// Every readable deployment, newest first, optionally only one function's or one status's. A damaged record
    /// concerns one alias only: `unreadable` hears about it (to warn), and the listing goes on without it.
    public func deployments(function: String? = nil, status: DeploymentStatus? = nil,
                            unreadable: @escaping @Sendable (any Error) -> Void = { _ in }) throws -> [Deployment] {
        state.entries(in: state.deploymentsDirectory, suffix: ".json")
            .compactMap { id -> Deployment? in
                do {
                    return try readRecord(id)
                } catch let error as StorageError {
                    unreadable(error)
                    return nil
                } catch {
                    unreadable(StorageError.corruptState(file: state.deploymentFile(id).path, detail: "\(error)"))
                    return nil
                }
            }
            .filter { function == nil || $0.request.functionName == function }
            .filter { status == nil || $0.status == status }
            .sorted { $0.createdAt > $1.createdAt }
    }

    /// What a listing shows of the newest `limit` (nil: every) readable deployments that pass the filters, newest
    /// first, from the index (see ``DeploymentIndex``): one small line per deployment is read, not every record, and
    /// only the lines shown are decoded. Damaged records go to `unreadable`.
    /// - Throws: `StorageError.io` when the index can be neither read nor rebuilt.
    public func summaries(function: String? = nil, status: DeploymentStatus? = nil, limit: Int? = nil,
                          unreadable: @escaping @Sendable (any Error) -> Void = { _ in }) throws -> DeploymentListing {
        try index.listing(function: function, status: status, limit: limit, unreadable: unreadable)
    }

    /// Reads a record for a scan of all of them (`recover`); a damaged one is noted in the index, so that listing warns
    /// about it too. Commands that refuse because of it (a deploy, `deployment get`) leave the state unchanged.
    /// - Throws: `StorageError.corruptState` naming the record.
    private func readRecord(_ id: String) throws -> Deployment? {
        do {
            return try JSONFile.readIfPresent(Deployment.self, from: state.deploymentFile(id))
        } catch let StorageError.corruptState(file, detail) {
            index.noteDamaged(id, detail: detail)
            throw StorageError.corruptState(file: file, detail: detail)
        }
    }

    /// Deployments whose record says in progress although no process holds their alias: their deployer died.
    /// Damaged records go to `unreadable`.
    public func orphans(unreadable: @escaping @Sendable (any Error) -> Void = { _ in }) throws -> [Deployment] {
        try deployments(unreadable: unreadable).filter { !$0.status.isFinal }.filter { !(try isAliasLocked($0.request.alias, of: $0.request.functionName)) }
    }

    /// The unfinished deployment of an alias, if any (running or orphaned).
    ///
    /// Only the alias's newest deployment can be unfinished, and `latest/<function>.<alias>.json` names it: so
    /// this reads one record, and a damaged record of another alias (or an older one of this alias) blocks
    /// nothing here. A state directory from before that file was kept has none: then the readable records decide.
    /// - Throws: `StorageError.corruptState` naming the alias's newest record (or the pointer) when it is damaged.
    public func unfinishedDeployment(of alias: String, function: String) throws -> Deployment? {
        guard let latest = try JSONFile.readIfPresent(LatestDeployment.self, from: state.latestDeploymentFile(function, alias)) else {
            return try deployments(function: function).first { !$0.status.isFinal && $0.request.alias == alias }
        }
        // A record that was never written (a kill between the two writes) is a deployment that never started.
        guard let deployment = try JSONFile.readIfPresent(Deployment.self, from: state.deploymentFile(latest.deploymentId)) else { return nil }
        return deployment.status.isFinal ? nil : deployment
    }

    /// The unfinished deployment of any of `function`'s aliases, if any.
    /// - Throws: as ``unfinishedDeployment(of:function:)``.
    public func unfinishedDeployment(of function: String) throws -> Deployment? {
        let aliases = state.entries(in: state.latestDeploymentsDirectory, suffix: ".json")
            .filter { $0.hasPrefix("\(function).") }
            .map { String($0.dropFirst(function.count + 1)) }
        for alias in aliases {
            if let deployment = try unfinishedDeployment(of: alias, function: function) { return deployment }
        }
        return try deployments(function: function).first { !$0.status.isFinal }
    }

    /// Asks a running deployment, from any process, to stop, pause, resume or promote. The deployer acts at its next
    /// poll. Requests are appended to `deployments/<id>.controls`, numbered under a lock, so none is lost or reordered.
    /// - Throws: `ShiftCoreError.notFound`; `ShiftCoreError.refused` when the deployment has ended or its process died.
    @discardableResult
    public func requestControl(_ id: String, _ action: DeploymentControl.Action, by requester: String) throws -> DeploymentControl {
        let deployment = try deployment(id)
        guard !deployment.status.isFinal else {
            throw ShiftCoreError.refused(reason: "deployment \(id) has already ended (\(deployment.status.rawValue)); nothing to \(action)")
        }
        if try !isAliasLocked(deployment.request.alias, of: deployment.request.functionName) {
            throw ShiftCoreError.refused(reason: "deployment \(id) has no running process (it died); reconcile it with 'shift recover'")
        }
        return try FileLock.withLock(at: state.deploymentControlsLock) {
            var requests = try requests(for: id)
            let control = DeploymentControl(sequence: (requests.last?.sequence ?? 0) + 1, action: action, requestedAt: clock.now, requestedBy: requester)
            requests.append(control)
            try JSONFile.write(requests, to: state.controlsFile(id))
            return control
        }
    }
}

/// `deployments/latest/<function>.<alias>.json`: which deployment of the alias is the newest.
struct LatestDeployment: Codable, Equatable {
    var deploymentId: String
}

import Foundation

/// Deployments in a shared ``ObjectStore`` (S3): the journal the engine writes, fenced; what commands read back;
/// and requests to a running deployment, for every machine that uses the account.
///
/// Key layout (relative to the store's `s3://BUCKET/PREFIX`):
/// - `deployments/ID.json`: the whole record, as `shift deployment get --output json` shows it (readable JSON).
/// - `latest/FUNCTION/ALIAS.json`: `{"deploymentId": ...}`, the alias's newest deployment.
/// - `requests/ID/controls.json`: the control requests (stop, pause, resume, promote: ``DeploymentControl``), numbered
///   1, 2, 3, ..., for the deploying process to act on at its next poll.
/// - `index/FUNCTION/...`, `index-all/NN/...`: the listing index (``SharedDeploymentIndex``).
/// - `leases/...`: the alias and publish leases (``SharedLeaseStore``).
///
/// Fencing: every journal write is conditional: the first one create-only, each later one on the ETag this
/// process last wrote or read of that record. A process whose lease was taken finds its next write refused and
/// gets a `.conflict` error, on which the engine stops without another platform call. A process that takes
/// over a record (`recover`) writes on the ETag of the record it read, so of a sleeper and a taker, one wins.
public struct SharedDeploymentStore: DeploymentStore {
    public let store: any ObjectStore
    public let leases: SharedLeaseStore
    public let index: SharedDeploymentIndex
    let clock: any Clock
    private let tags = RecordTags()

    public init(store: any ObjectStore, leases: SharedLeaseStore, clock: any Clock) {
        self.store = store
        self.leases = leases
        self.index = SharedDeploymentIndex(store: store)
        self.clock = clock
    }

    static func recordKey(_ id: String) -> String { "deployments/\(id).json" }
    static func latestKey(function: String, alias: String) -> String { "latest/\(function)/\(alias).json" }

    // MARK: DeploymentJournal

    /// Writes the record, fenced (see the type's summary), then its alias's pointer (first write) and its summary
    /// in the index (when its status changes), even when the calling task is cancelled. An index that cannot be
    /// updated is tried again at the next write.
    /// - Throws: `ShiftCoreError.conflict` when another process wrote the record since this one last did: its
    ///   lease was taken. `ObjectStoreError` when the store cannot be reached.
    public func save(_ deployment: Deployment) async throws {
        // Not cancellable: a decision taken on a signal (rolling back) must be journalled before it is acted
        // on, and a cancelled request would leave it unwritten. A detached task does not inherit cancellation.
        let store = self
        try await Task.detached { try await store.write(deployment) }.value
    }

    private func write(_ deployment: Deployment) async throws {
        let key = Self.recordKey(deployment.id)
        let condition: WriteCondition
        if let known = tags.etag(of: deployment.id) {
            condition = .matches(etag: known)
        } else if let current = try await store.get(key) {
            condition = .matches(etag: current.etag)
        } else {
            condition = .absent
        }
        let etag: String
        do {
            etag = try await store.put(key, data: try SharedStateJSON.encode(deployment), condition: condition)
        } catch ObjectStoreError.conditionFailed {
            throw ShiftCoreError.conflict(
                reason: "deployment \(deployment.id): another process wrote \(store.location)/\(key) since this one last did: its lease was taken; this process stops without another platform call")
        }
        tags.wrote(deployment.id, etag: etag)
        if condition == .absent {
            let pointer = SharedStateJSON.encodeLatest(deployment.id)
            try await store.put(Self.latestKey(function: deployment.request.functionName, alias: deployment.request.alias), data: pointer, condition: .always)
        }
        let summary = DeploymentSummary(deployment)
        if tags.needsIndexing(summary) {
            do {
                try await index.record(summary)
                tags.indexed(summary)
            } catch {
                // The record is durable; the listing catches up at the next write of this deployment.
            }
        }
    }

    public func controls(for deploymentID: String, after sequence: Int) async throws -> [DeploymentControl] {
        try await requests(for: deploymentID)?.controls.filter { $0.sequence > sequence } ?? []
    }

    // MARK: Reading

    /// A deployment by id.
    /// - Throws: `ShiftCoreError.notFound`; `ShiftCoreError.invalidValue` naming a damaged record; `ObjectStoreError`.
    public func deployment(_ id: String) async throws -> Deployment {
        guard id.hasPrefix("d-"), id.count <= 64, !id.contains("/"), let deployment = try await read(id) else {
            throw ShiftCoreError.notFound(kind: "deployment", name: id, hint: "list deployments with 'shift deployment list' (state in \(store.location))")
        }
        return deployment
    }

    public func deployments(function: String?, status: DeploymentStatus?, unreadable: @escaping @Sendable (any Error) -> Void) async throws -> [Deployment] {
        var result: [Deployment] = []
        for summary in try await allSummaries(function: function, status: status, unreadable: unreadable) {
            do {
                if let deployment = try await read(summary.deploymentId) { result.append(deployment) }
            } catch let error as ShiftCoreError {
                unreadable(error)
            }
        }
        return result
    }

    /// The newest `limit` summaries (all when nil), newest first, optionally of one function or status, with how
    /// many more passed the filters. One function's newest 50 are one read; every function's one read per shard
    /// of the index (``SharedDeploymentIndex/shards``), however many deployments and functions the bucket holds. A
    /// status filter reads the older pages too. A damaged index object goes to `unreadable` and is left out.
    /// - Throws: `ObjectStoreError`.
    public func summaries(function: String?, status: DeploymentStatus?, limit: Int?, unreadable: @escaping @Sendable (any Error) -> Void) async throws -> DeploymentListing {
        // A status filter may need older pages; without one, the newest `limit` suffice and the index counts the rest.
        let read: (summaries: [DeploymentSummary], total: Int)
        if let function {
            do {
                read = try await index.summaries(of: function, limit: status == nil ? limit : nil)
            } catch let error as ShiftCoreError {
                unreadable(error)
                read = ([], 0)
            }
        } else {
            read = try await index.summariesOfEveryFunction(limit: status == nil ? limit : nil, unreadable: unreadable)
        }
        let matching = read.summaries.filter { $0.matches(function: function, status: status) }
        let listing = DeploymentListing(newest: limit, of: matching)
        return DeploymentListing(summaries: listing.summaries, omitted: (status == nil ? read.total : matching.count) - listing.summaries.count)
    }

    /// The alias's newest deployment when it has not ended (running, or interrupted when nobody holds the lease).
    /// - Throws: `ShiftCoreError.invalidValue` naming the record or pointer when damaged; `ObjectStoreError`.
    public func unfinishedDeployment(of alias: String, function: String) async throws -> Deployment? {
        let key = Self.latestKey(function: function, alias: alias)
        guard let object = try await store.get(key) else { return nil }
        let latest = try SharedStateJSON.decode(SharedStateJSON.Latest.self, from: object.data, key: key, store: store, expected: "{\"deploymentId\": \"d-...\"}")
        guard let deployment = try await read(latest.deploymentId) else { return nil }
        return deployment.status.isFinal ? nil : deployment
    }

    /// The unfinished deployment of any of the function's aliases: one listing of its aliases' pointers
    /// (`latest/FUNCTION/`), then one read per alias, whatever the number of deployments.
    /// - Throws: as ``unfinishedDeployment(of:function:)``.
    public func unfinishedDeployment(of function: String) async throws -> Deployment? {
        let prefix = "latest/\(function)/"
        var after: String?
        repeat {
            let page = try await store.list(prefix: prefix, after: after, limit: 1000)
            for key in page.keys where key.hasSuffix(".json") {
                let alias = String(key.dropFirst(prefix.count).dropLast(".json".count))
                if let deployment = try await unfinishedDeployment(of: alias, function: function) { return deployment }
            }
            after = page.next
        } while after != nil
        return nil
    }

    /// Reads a record, remembering its ETag for fencing unless this process already wrote or read it.
    private func read(_ id: String) async throws -> Deployment? {
        let key = Self.recordKey(id)
        guard let object = try await store.get(key) else { return nil }
        let deployment = try SharedStateJSON.decode(Deployment.self, from: object.data, key: key, store: store, expected: "a shift deployment record")
        tags.read(id, etag: object.etag)
        return deployment
    }

    // MARK: Requests to a running deployment

    static func controlsKey(for id: String) -> String { "requests/\(id)/controls.json" }

    /// The deployment's control requests and the version tag they were read at; nil when there are none.
    private func requests(for id: String) async throws -> (controls: [DeploymentControl], etag: String)? {
        let key = Self.controlsKey(for: id)
        guard let object = try await store.get(key) else { return nil }
        let controls = try SharedStateJSON.decode([DeploymentControl].self, from: object.data, key: key, store: store, expected: "a list of shift control requests")
        return (controls, object.etag)
    }

    /// Records a control request (stop, pause, resume, promote) for the deploying process, on whichever machine it
    /// runs. The list is appended with a conditional write on what was read, so two requesters never take one number.
    /// - Throws: `ShiftCoreError.notFound`; `.refused` when the deployment has ended, or its lease lapsed (its
    ///   process died: `recover` finishes it).
    @discardableResult
    public func requestControl(_ id: String, _ action: DeploymentControl.Action, by requester: String) async throws -> DeploymentControl {
        let deployment = try await deployment(id)
        guard !deployment.status.isFinal else {
            throw ShiftCoreError.refused(reason: "deployment \(id) has already ended (\(deployment.status.rawValue)); nothing to \(action)")
        }
        try await checkRunning(deployment)
        while true {
            let current = try await requests(for: id)
            var controls = current?.controls ?? []
            let control = DeploymentControl(sequence: (controls.last?.sequence ?? 0) + 1, action: action, requestedAt: clock.now, requestedBy: requester)
            controls.append(control)
            do {
                try await store.put(Self.controlsKey(for: id), data: try SharedStateJSON.encode(controls), condition: current.map { .matches(etag: $0.etag) } ?? .absent)
                return control
            } catch ObjectStoreError.conditionFailed {
                continue // Another requester appended first: number this one after theirs.
            }
        }
    }

    /// Refuses a request to a deployment whose process holds no live lease.
    private func checkRunning(_ deployment: Deployment) async throws {
        let key = LeaseKey.alias(function: deployment.request.functionName, alias: deployment.request.alias)
        guard let holder = try await leases.holder(of: key), holder.expiresAt > clock.now else {
            throw ShiftCoreError.refused(reason: "deployment \(deployment.id) has no running process (its lease on \(key) lapsed or was released); reconcile it with 'shift recover'")
        }
    }
}

/// The ETags a store instance last wrote or first read of each record, and the summaries it last indexed.
private final class RecordTags: @unchecked Sendable {
    private let lock = NSLock()
    private var etags: [String: String] = [:]
    private var indexedSummaries: [String: DeploymentSummary] = [:]

    func etag(of id: String) -> String? { lock.withLock { etags[id] } }
    func wrote(_ id: String, etag: String) { lock.withLock { etags[id] = etag } }
    /// A read never replaces what this process wrote or read before: that is what its next write is fenced on.
    func read(_ id: String, etag: String) { lock.withLock { if etags[id] == nil { etags[id] = etag } } }

    /// Whether the summary differs from the last indexed in what a listing shows (its update time aside).
    func needsIndexing(_ summary: DeploymentSummary) -> Bool {
        lock.withLock {
            guard var last = indexedSummaries[summary.deploymentId] else { return true }
            last.updateTime = summary.updateTime
            return last != summary
        }
    }

    func indexed(_ summary: DeploymentSummary) { lock.withLock { indexedSummaries[summary.deploymentId] = summary } }
}

extension SharedStateJSON {
    /// `latest/FUNCTION/ALIAS.json`.
    struct Latest: Codable {
        var deploymentId: String
    }

    static func encodeLatest(_ id: String) -> Data {
        (try? encode(Latest(deploymentId: id))) ?? Data()
    }
}

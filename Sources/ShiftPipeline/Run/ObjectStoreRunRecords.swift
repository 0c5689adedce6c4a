import Foundation
import ShiftCore
import ShiftStorage

/// Pipeline run records on a shared ``ObjectStore`` (S3), so that a run started on one machine is watched,
/// approved and resumed from any other. Keys, relative to the store's location:
///
/// ```
/// pipelines/runs/<id>/run.json              the record: every write conditional (If-Match) on this process's last
/// pipelines/runs/<id>/lease.json            the runner's lease (`SharedLeaseStore`, `LeaseKey.run`): holder, expiry
/// pipelines/runs/<id>/approvals/<stage>.json a decision, written once (If-None-Match: *)   (ObjectStoreApprovalRecords)
/// pipelines/artifacts/sha256/<hex>.json     an artifact, content-addressed                 (ObjectStoreArtifacts)
/// ```
///
/// Fencing: a runner writes the record only while it holds the run's lease (confirmed before each write: renewed
/// if due, refused once lapsed or taken), and only on the version it last read or wrote. A runner paused past its
/// lease, whose run another runner took over, finds its next write refused (`PipelineError.runTakenOver`) and
/// stops without acting again.
public final class ObjectStoreRunRecords: RunRecords, @unchecked Sendable {
    public let store: any ObjectStore
    public let leases: SharedLeaseStore
    let clock: any Clock
    // Guarded by `lock`: the version of each run's record this process last read or wrote, and the runs it holds.
    private let lock = NSLock()
    private var versions: [String: String] = [:]
    private var holds: [String: SharedLease] = [:]

    /// - Parameters:
    ///   - leases: the leases of runs, over the same store.
    public init(store: any ObjectStore, leases: SharedLeaseStore, clock: any Clock) {
        self.store = store
        self.leases = leases
        self.clock = clock
    }

    /// Runs held by this process (host name and pid), with leases lasting `leaseDuration` seconds unrenewed,
    /// renewed every third of that.
    public convenience init(store: any ObjectStore, clock: any Clock, leaseDuration: TimeInterval = 60) {
        self.init(store: store, leases: SharedLeaseStore(store: store, clock: clock, host: ProcessInfo.processInfo.hostName,
                                                         pid: ProcessInfo.processInfo.processIdentifier, duration: leaseDuration),
                  clock: clock)
    }

    static let runsPrefix = "pipelines/runs/"
    static func recordKey(_ id: String) -> String { "\(runsPrefix)\(id)/run.json" }

    public func write(_ run: PipelineRun) async throws {
        let key = Self.recordKey(run.id)
        let hold = lock.withLock { holds[run.id] }
        if let hold {
            // Never act on a lapsed lease: renewed first if due, refused once another runner took it over.
            do {
                try await hold.confirm()
            } catch let error as ShiftCoreError {
                throw PipelineError.runTakenOver(id: run.id, why: "\(error.localizedDescription) (\(store.location)/\(SharedLeaseStore.objectKey(hold.key)))")
            }
        }
        let condition = lock.withLock { versions[run.id].map { WriteCondition.matches(etag: $0) } ?? .absent }
        do {
            let etag = try await store.put(key, data: try JSONFile.encoder().encode(run), condition: condition)
            lock.withLock { versions[run.id] = etag }
        } catch ObjectStoreError.conditionFailed {
            throw PipelineError.runTakenOver(id: run.id, why: "its record \(store.location)/\(key) changed since this runner wrote it")
        }
    }

    public func run(_ id: String) async throws -> PipelineRun {
        guard PipelineRunStore.isRunID(id) else { throw PipelineError.runNotFound(id: id) }
        let key = Self.recordKey(id)
        guard let object = try await store.get(key) else { throw PipelineError.runNotFound(id: id) }
        var run: PipelineRun
        do {
            run = try JSONFile.decoder().decode(PipelineRun.self, from: object.data)
        } catch {
            throw PipelineError.corruptRun(file: "\(store.location)/\(key)", detail: "not a shift run record: \(error)")
        }
        lock.withLock { versions[id] = object.etag }
        if run.isRunning, !(await isLocked(id)) { run.markInterrupted() }
        return run
    }

    public func runs(unreadable: (Error) -> Void) async -> [PipelineRun] {
        var ids: [String] = []
        var after: String?
        repeat {
            guard let page = try? await store.list(prefix: Self.runsPrefix, after: after, limit: 1000) else {
                unreadable(ObjectStoreError.unavailable(location: store.location, detail: "cannot list \(Self.runsPrefix)"))
                break
            }
            ids += page.keys.filter { $0.hasSuffix("/run.json") }.map { String($0.dropFirst(Self.runsPrefix.count).dropLast("/run.json".count)) }
            after = page.next
        } while after != nil
        var found: [PipelineRun] = []
        for id in ids {
            do { found.append(try await run(id)) } catch { unreadable(error) }
        }
        return found.sorted { $0.createdAt > $1.createdAt }
    }

    public func isLocked(_ id: String) async -> Bool {
        guard let holder = try? await leases.holder(of: .run(id: id)) else { return false }
        return holder.expiresAt > clock.now
    }

    /// Takes the run's lease (a lapsed one is taken over); its heartbeat renews it until released.
    /// - Throws: `PipelineError.runLocked` naming the holder and until when; `ObjectStoreError`.
    public func hold(_ id: String) async throws -> any RunHold {
        let key = LeaseKey.run(id: id)
        guard let lease = try await leases.tryHold(key) else {
            throw PipelineError.runLocked(id: id, holder: try await leases.holder(of: key)?.summary)
        }
        lock.withLock { holds[id] = lease }
        return ObjectRunHold(id: id, lease: lease, records: self)
    }

    fileprivate func forget(_ id: String) {
        lock.withLock { holds[id] = nil }
    }
}

/// A run held by its lease on the shared store, renewed by the lease's heartbeat until released.
struct ObjectRunHold: RunHold {
    let id: String
    let lease: SharedLease
    let records: ObjectStoreRunRecords

    func release() async {
        records.forget(id)
        await lease.release()
    }
}

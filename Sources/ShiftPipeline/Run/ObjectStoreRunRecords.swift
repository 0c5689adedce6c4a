import Foundation
import ShiftCore
import ShiftStorage

/// Pipeline run records on a shared ``ObjectStore`` (S3), so that a run started on one machine is watched,
/// approved and resumed from any other. Keys, relative to the store's location:
///
/// ```
/// pipelines/runs/<id>/run.json              the record: every write conditional (If-Match) on this process's last
/// pipelines/runs/<id>/lease.json            the runner's lease: holder, expiry; renewed while it runs
/// pipelines/runs/<id>/approvals/<stage>.json a decision, written once (If-None-Match: *)   (ObjectStoreApprovalRecords)
/// pipelines/artifacts/sha256/<hex>.json     an artifact, content-addressed                 (ObjectStoreArtifacts)
/// ```
///
/// Fencing: a runner writes the record only on the version it last read or wrote. A runner paused past its lease,
/// whose run another runner took over and saved, finds its next write refused (`PipelineError.runTakenOver`) and
/// stops without acting again.
public final class ObjectStoreRunRecords: RunRecords, @unchecked Sendable {
    public let store: any ObjectStore
    public let leases: ObjectStoreLeases
    let clock: any Clock
    // Guarded by `lock`: the version of each run's record this process last read or wrote, and the runs it holds.
    private let lock = NSLock()
    private var versions: [String: String] = [:]
    private var holds: [String: ObjectLease] = [:]

    /// - Parameters:
    ///   - leaseDuration: seconds a runner's lease lasts unrenewed; it is renewed every third of that.
    public init(store: any ObjectStore, clock: any Clock, leaseDuration: TimeInterval = 60) {
        self.store = store
        self.clock = clock
        self.leases = ObjectStoreLeases(store: store, clock: clock, duration: leaseDuration, renewalInterval: leaseDuration / 3)
    }

    static let runsPrefix = "pipelines/runs/"
    static func recordKey(_ id: String) -> String { "\(runsPrefix)\(id)/run.json" }
    static func leaseKey(_ id: String) -> String { "\(runsPrefix)\(id)/lease.json" }

    public func write(_ run: PipelineRun) async throws {
        let key = Self.recordKey(run.id)
        let hold = lock.withLock { holds[run.id] }
        if let hold {
            // Never act on a lapsed lease: renew it first (refused once another runner took it over).
            do { try await hold.renewIfDue() } catch StorageError.leaseLost { throw PipelineError.runTakenOver(id: run.id, location: "\(store.location)/\(Self.leaseKey(run.id))") }
            guard hold.isHeld else { throw PipelineError.runTakenOver(id: run.id, location: "\(store.location)/\(Self.leaseKey(run.id))") }
        }
        let condition = lock.withLock { versions[run.id].map { WriteCondition.matches(etag: $0) } ?? .absent }
        do {
            let etag = try await store.put(key, data: try JSONFile.encoder().encode(run), condition: condition)
            lock.withLock { versions[run.id] = etag }
        } catch ObjectStoreError.conditionFailed {
            throw PipelineError.runTakenOver(id: run.id, location: "\(store.location)/\(key)")
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
        guard let record = try? await leases.record(Self.leaseKey(id)) else { return false }
        return record.isLive(at: clock.now)
    }

    /// Takes the run's lease (a lapsed one is taken over) and keeps renewing it until released.
    /// - Throws: `PipelineError.runLocked` naming the holder and until when; `ObjectStoreError`.
    public func hold(_ id: String) async throws -> any RunHold {
        switch try await leases.tryAcquire(Self.leaseKey(id), holder: .current(purpose: "pipeline run \(id)")) {
        case let .held(holder):
            throw PipelineError.runLocked(id: id, holder: "\(holder.holder), its lease held until \(Timestamp.format(holder.expiresAt))")
        case let .acquired(lease):
            lock.withLock { holds[id] = lease }
            return ObjectRunHold(id: id, lease: lease, renewal: lease.keepRenewing(), records: self)
        }
    }

    fileprivate func forget(_ id: String) {
        lock.withLock { holds[id] = nil }
    }
}

/// A run held by its lease on the shared store, renewed in the background until released.
struct ObjectRunHold: RunHold {
    let id: String
    let lease: ObjectLease
    let renewal: Task<Void, Never>
    let records: ObjectStoreRunRecords

    func release() async {
        // A renewal in flight would leave a new version that the release's conditional delete misses.
        renewal.cancel()
        await renewal.value
        records.forget(id)
        await lease.release()
    }
}

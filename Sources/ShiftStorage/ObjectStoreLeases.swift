import Foundation
import ShiftCore

/// Who holds a lease, for messages ("held by ci-runner-7 pid 4242 (run p-abc) since ...").
public struct LeaseHolder: Codable, Equatable, Sendable, CustomStringConvertible {
    public var host: String
    public var process: Int32
    /// What the holder is doing: a run id, a deployment id.
    public var purpose: String

    public init(host: String, process: Int32, purpose: String) {
        self.host = host
        self.process = process
        self.purpose = purpose
    }

    /// This process, doing `purpose`.
    public static func current(purpose: String) -> LeaseHolder {
        LeaseHolder(host: ProcessInfo.processInfo.hostName, process: ProcessInfo.processInfo.processIdentifier, purpose: purpose)
    }

    public var description: String { "\(host) pid \(process) (\(purpose))" }
}

/// A lease object as stored: readable JSON, so that a human looking at the bucket sees who holds what until when.
public struct LeaseRecord: Codable, Equatable, Sendable {
    public var holder: LeaseHolder
    public var acquiredAt: Date
    public var renewedAt: Date
    public var expiresAt: Date

    public init(holder: LeaseHolder, acquiredAt: Date, renewedAt: Date, expiresAt: Date) {
        self.holder = holder
        self.acquiredAt = acquiredAt
        self.renewedAt = renewedAt
        self.expiresAt = expiresAt
    }

    /// Whether the lease still holds at `now`.
    public func isLive(at now: Date) -> Bool { now < expiresAt }
}

/// Leases over any ``ObjectStore`` (S3 now), one object per lease: created with `.absent` (If-None-Match: *),
/// renewed with `.matches` (If-Match) on the version the holder last wrote, taken over with `.matches` on the
/// lapsed version read, so two machines never both hold one. A holder that dies stops renewing, and its lease
/// can be taken `duration` seconds after its last renewal; until then it is refused, naming the holder.
///
/// Leases are keyed by plain object keys: callers choose the layout (`pipelines/runs/<id>/lease.json`).
public struct ObjectStoreLeases: Sendable {
    public let store: any ObjectStore
    public let clock: any Clock
    /// Seconds a lease lasts without renewal (60: a holder paused or cut off longer than this loses it).
    public var duration: TimeInterval
    /// Seconds between renewals while held (20: two renewals may fail before the lease lapses).
    public var renewalInterval: TimeInterval

    public init(store: any ObjectStore, clock: any Clock, duration: TimeInterval = 60, renewalInterval: TimeInterval = 20) {
        self.store = store
        self.clock = clock
        self.duration = duration
        self.renewalInterval = renewalInterval
    }

    /// The lease at `key` as stored, live or lapsed; nil when there is none.
    /// - Throws: `ObjectStoreError`; `StorageError.corruptState` when the object is not a lease.
    public func record(_ key: String) async throws -> LeaseRecord? {
        try await read(key)?.record
    }

    /// How an attempt to take a lease ended.
    public enum Attempt: Sendable {
        case acquired(ObjectLease)
        /// Someone else holds it: who, and until when.
        case held(LeaseRecord)
    }

    /// Takes the lease at `key` for `holder`: when nobody holds it, or when its holder's lease lapsed.
    /// - Returns: the held lease, or the live record of the one who holds it.
    /// - Throws: `ObjectStoreError` when the store cannot be read or written.
    public func tryAcquire(_ key: String, holder: LeaseHolder) async throws -> Attempt {
        let now = clock.now
        let current = try await read(key)
        if let current, current.record.isLive(at: now) { return .held(current.record) }
        let record = LeaseRecord(holder: holder, acquiredAt: now, renewedAt: now, expiresAt: now.addingTimeInterval(duration))
        do {
            // A lapsed lease is replaced only if it is still the version read: of two machines taking it over at
            // once, one wins.
            let etag = try await store.put(key, data: try Self.encode(record), condition: current.map { .matches(etag: $0.etag) } ?? .absent)
            return .acquired(ObjectLease(key: key, record: record, etag: etag, leases: self))
        } catch ObjectStoreError.conditionFailed {
            if let winner = try await read(key) { return .held(winner.record) }
            return .held(record)
        }
    }

    private func read(_ key: String) async throws -> (record: LeaseRecord, etag: String)? {
        guard let object = try await store.get(key) else { return nil }
        do {
            return (try JSONFile.decoder().decode(LeaseRecord.self, from: object.data), object.etag)
        } catch {
            throw StorageError.corruptState(file: "\(store.location)/\(key)", detail: "not a shift lease: \(error)")
        }
    }

    static func encode(_ record: LeaseRecord) throws -> Data {
        try JSONFile.encoder().encode(record)
    }
}

/// A lease this process holds over an object store. Renewing and releasing are conditional on the version this
/// holder last wrote: once another holder took the lease over, neither touches it again.
public final class ObjectLease: @unchecked Sendable {
    public let key: String
    let leases: ObjectStoreLeases
    // Guarded by `lock`: the version last written and its record, or nil once lost or released.
    private let lock = NSLock()
    private var state: (record: LeaseRecord, etag: String)?
    private var lostTo: LeaseRecord?

    init(key: String, record: LeaseRecord, etag: String, leases: ObjectStoreLeases) {
        self.key = key
        self.leases = leases
        self.state = (record, etag)
    }

    /// The record as this holder last wrote it (nil once lost or released).
    public var record: LeaseRecord? { lock.withLock { state?.record } }

    /// Whether this holder may still act: it holds the lease and it has not lapsed.
    public var isHeld: Bool { lock.withLock { state.map { $0.record.isLive(at: leases.clock.now) } ?? false } }

    /// Extends the lease by its duration from now.
    /// - Throws: `StorageError.leaseLost` when another holder took it over (or it was released); `ObjectStoreError`
    ///   when the store cannot be reached (the lease may still be held: try again before it lapses).
    public func renew() async throws {
        guard let current = lock.withLock({ state }) else { throw lostError() }
        let (record, etag) = current
        let now = leases.clock.now
        var renewed = record
        renewed.renewedAt = now
        renewed.expiresAt = now.addingTimeInterval(leases.duration)
        do {
            let tag = try await leases.store.put(key, data: try ObjectStoreLeases.encode(renewed), condition: .matches(etag: etag))
            lock.withLock { if state != nil { state = (renewed, tag) } }
        } catch ObjectStoreError.conditionFailed {
            let taker = try? await leases.record(key)
            lock.withLock { state = nil; lostTo = taker }
            throw lostError()
        }
    }

    /// Renews when more than the renewal interval passed since the last renewal.
    /// - Throws: as ``renew()``.
    public func renewIfDue() async throws {
        guard let record = lock.withLock({ state?.record }) else { throw lostError() }
        if leases.clock.now.timeIntervalSince(record.renewedAt) >= leases.renewalInterval { try await renew() }
    }

    /// Renews every renewal interval until released, lost, or the task is cancelled. A renewal the store refuses
    /// for a while is retried at the next interval; `lost` hears when another holder took the lease.
    public func keepRenewing(lost: @escaping @Sendable (StorageError) -> Void = { _ in }) -> Task<Void, Never> {
        Task { [leases] in
            while !Task.isCancelled, lock.withLock({ state != nil }) {
                do { try await leases.clock.sleep(for: leases.renewalInterval) } catch { return }
                do {
                    try await renew()
                } catch let error as StorageError {
                    lost(error)
                    return
                } catch {
                    continue
                }
            }
        }
    }

    /// Gives the lease up (deletes it if it is still this holder's version). Releasing twice is harmless.
    public func release() async {
        guard let etag = lock.withLock({ () -> String? in defer { state = nil }; return state?.etag }) else { return }
        try? await leases.store.delete(key, ifMatching: etag)
    }

    private func lostError() -> StorageError {
        let taker = lock.withLock { lostTo }
        return .leaseLost(location: "\(leases.store.location)/\(key)", holder: taker.map { "\($0.holder) since \(Timestamp.format($0.acquiredAt))" })
    }
}

import Foundation

/// Leases as objects in a shared ``ObjectStore`` (S3): one object per ``LeaseKey``, holding its ``LeaseHolder``.
///
/// - Taken with a create-only write (`If-None-Match: *`), or, when the object there has lapsed (`expiresAt` is
///   past by the injected clock), with a write conditional on that object's ETag: of two takers, one wins.
/// - Renewed by a heartbeat every ``renewInterval``, each renewal conditional on the ETag the holder last wrote;
///   a refused renewal means someone took the lease (it had lapsed, or was broken by hand): the lease is lost.
/// - Released with a delete conditional on the ETag last written, so a holder never deletes a successor's lease.
///
/// - Before acting, a holder may ``SharedLease/confirm()`` the lease: renewed now if due, refused once lost.
///
/// Keys: `leases/alias/FUNCTION/ALIAS.json`, `leases/publish/FUNCTION.json`, and a pipeline run's
/// `pipelines/runs/ID/lease.json` (beside its record).
public struct SharedLeaseStore: LeaseStore {
    public let store: any ObjectStore
    let clock: any Clock
    /// Who this process is: host and pid.
    public let host: String
    public let pid: Int32
    /// How long a lease lasts unless renewed (60 s by default).
    public var duration: TimeInterval
    /// How often a holder renews (a third of the duration by default, so two renewals may fail before it lapses).
    public var renewInterval: TimeInterval
    /// Seconds between attempts while `acquire` waits.
    public var retryInterval: TimeInterval = 1
    /// Makes each taking's token; random by default.
    let makeToken: @Sendable () -> String

    public init(store: any ObjectStore, clock: any Clock, host: String, pid: Int32, duration: TimeInterval = 60, renewInterval: TimeInterval? = nil,
                makeToken: @escaping @Sendable () -> String = { UUID().uuidString.lowercased() }) {
        self.store = store
        self.clock = clock
        self.host = host
        self.pid = pid
        self.duration = max(1, duration)
        self.renewInterval = renewInterval ?? max(1, duration) / 3
        self.makeToken = makeToken
    }

    /// The object key of `key`.
    public static func objectKey(_ key: LeaseKey) -> String {
        switch key {
        case let .alias(function, alias): return "leases/alias/\(function)/\(alias).json"
        case let .publish(function): return "leases/publish/\(function).json"
        case let .run(id): return "pipelines/runs/\(id)/lease.json"
        }
    }

    /// The holder of `key` as its object says, lapsed or not; nil when nobody holds it.
    /// - Throws: `ObjectStoreError`; `ShiftCoreError.invalidValue` naming the object when it is not a lease.
    public func holder(of key: LeaseKey) async throws -> LeaseHolder? {
        try await read(key)?.holder
    }

    public func tryAcquire(_ key: LeaseKey) async throws -> (any Lease)? {
        try await tryAcquire(key, deployment: nil)
    }

    public func tryAcquire(_ key: LeaseKey, deployment: String?) async throws -> (any Lease)? {
        try await tryHold(key, deployment: deployment)
    }

    /// Takes the lease if nobody holds it or its holder's lapsed (as ``tryAcquire(_:deployment:)``), as the
    /// ``SharedLease`` a holder confirms before acting.
    /// - Returns: nil when someone holds it (``holder(of:)`` says who).
    /// - Throws: `ObjectStoreError`; `ShiftCoreError.invalidValue` naming the object when it is not a lease.
    public func tryHold(_ key: LeaseKey, deployment: String? = nil) async throws -> SharedLease? {
        let now = clock.now
        let condition: WriteCondition
        switch try await read(key) {
        case nil:
            condition = .absent
        case let (holder, etag)? where holder.expiresAt <= now:
            condition = .matches(etag: etag)
        case _?:
            return nil
        }
        let holder = LeaseHolder(host: host, pid: pid, deploymentId: deployment, acquiredAt: now, expiresAt: now.addingTimeInterval(duration), token: makeToken())
        do {
            let etag = try await store.put(Self.objectKey(key), data: try Self.encode(holder), condition: condition)
            return SharedLease(key: key, holder: holder, etag: etag, leases: self)
        } catch ObjectStoreError.conditionFailed {
            return nil
        }
    }

    public func acquire(_ key: LeaseKey) async throws -> any Lease {
        while true {
            if let lease = try await tryAcquire(key) { return lease }
            try await clock.sleep(for: retryInterval)
        }
    }

    /// Breaks the lease whoever holds it, lapsed or not (`shift deployment unlock --force`), and returns who
    /// held it. The holder, if alive, finds out at its next renewal or journal write.
    /// - Throws: `ObjectStoreError.conditionFailed` when the holder renewed meanwhile (try again).
    @discardableResult
    public func breakLease(_ key: LeaseKey) async throws -> LeaseHolder? {
        guard let (holder, etag) = try await read(key) else { return nil }
        try await store.delete(Self.objectKey(key), ifMatching: etag)
        return holder
    }

    private func read(_ key: LeaseKey) async throws -> (holder: LeaseHolder, etag: String)? {
        let objectKey = Self.objectKey(key)
        guard let object = try await store.get(objectKey) else { return nil }
        let holder = try SharedStateJSON.decode(
            LeaseHolder.self, from: object.data, key: objectKey, store: store,
            expected: "a shift lease object (host, pid, acquiredAt, expiresAt); remove it if nothing holds the lease")
        return (holder, object.etag)
    }

    static func encode(_ holder: LeaseHolder) throws -> Data {
        try SharedStateJSON.encode(holder)
    }

    /// Renews `holder`'s lease written with `etag`; returns the new ETag, nil when the lease was taken.
    /// - Throws: `ObjectStoreError` other than a failed condition (the store cannot be reached).
    func renew(_ key: LeaseKey, holder: LeaseHolder, etag: String) async throws -> (holder: LeaseHolder, etag: String)? {
        var renewed = holder
        renewed.expiresAt = clock.now.addingTimeInterval(duration)
        do {
            let newTag = try await store.put(Self.objectKey(key), data: try Self.encode(renewed), condition: .matches(etag: etag))
            return (renewed, newTag)
        } catch ObjectStoreError.conditionFailed {
            return nil
        }
    }
}

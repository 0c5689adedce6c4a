import Foundation

/// A lease held in a shared store, renewed by a heartbeat task until released or lost.
///
/// Lost means: a renewal was refused (someone took the lease over, or broke it), or no renewal got through
/// before the lease lapsed (the store could not be reached). A lost lease is never renewed again, and its
/// release deletes nothing (the delete is conditional on the ETag this holder last wrote).
///
/// A lapsed lease whose object is still this holder's (nobody took it: a conditional renewal gets through) is
/// not lost: whoever acts in the meantime must first take the lease, which changes the object.
///
/// Renewals run one at a time (the heartbeat's and ``confirm()``'s): two renewals conditional on the same ETag
/// would refuse one another, and the refused one would think the lease taken.
public final class SharedLease: Lease, @unchecked Sendable {
    public let key: LeaseKey
    private let leases: SharedLeaseStore
    // Guarded by `lock`.
    private let lock = NSLock()
    private var holder: LeaseHolder
    private var etag: String
    /// When this holder last wrote its object, by the injected clock: a renewal is due `renewInterval` after it.
    private var renewedAt: Date
    private var lostReason: String?
    private var released = false
    private var heartbeat: Task<Void, Never>?
    private var renewal: Task<Void, Never>?
    private var lostHandlers: [@Sendable (String) -> Void] = []

    init(key: LeaseKey, holder: LeaseHolder, etag: String, leases: SharedLeaseStore) {
        self.key = key
        self.holder = holder
        self.etag = etag
        self.renewedAt = holder.acquiredAt
        self.leases = leases
        heartbeat = Task { [weak self] in await self?.beat() }
    }

    /// The holder record as last written.
    public var current: LeaseHolder { lock.withLock { holder } }

    /// Why the lease was lost, nil while it is held.
    public var lost: String? { lock.withLock { lostReason } }

    /// Calls `handler` once with the reason when the lease is lost (at once if it already is).
    public func onLost(_ handler: @escaping @Sendable (String) -> Void) {
        let reason = lock.withLock { () -> String? in
            if lostReason == nil { lostHandlers.append(handler) }
            return lostReason
        }
        if let reason { handler(reason) }
    }

    /// Makes sure this holder may still act, before it writes what the lease guards: renews now when a renewal is
    /// due (or the lease lapsed), so a holder never acts on a lease that lapsed or that someone took.
    /// - Throws: `ShiftCoreError.conflict` saying why when the lease is lost, released, or lapsed with no renewal
    ///   getting through: the caller must not act.
    public func confirm() async throws {
        try throwIfLost()
        let due = lock.withLock { () -> Bool in
            let now = leases.clock.now
            return now >= renewedAt.addingTimeInterval(leases.renewInterval) || now >= holder.expiresAt
        }
        if due { await renew() }
        try throwIfLost()
        let expiresAt = current.expiresAt
        guard leases.clock.now < expiresAt else {
            throw ShiftCoreError.conflict(reason: "the lease on \(key) lapsed at \(Timestamp.format(expiresAt)) and could not be renewed")
        }
    }

    private func throwIfLost() throws {
        let (reason, isReleased) = lock.withLock { (lostReason, released) }
        if let reason { throw ShiftCoreError.conflict(reason: reason) }
        if isReleased { throw ShiftCoreError.conflict(reason: "the lease on \(key) was released") }
    }

    public func release() async {
        let (task, isFirst) = lock.withLock { () -> (Task<Void, Never>?, Bool) in
            guard !released else { return (nil, false) }
            released = true
            defer { heartbeat = nil }
            return (heartbeat, true)
        }
        guard isFirst else { return }
        task?.cancel()
        await task?.value
        // A renewal in flight would leave a new ETag that the conditional delete below would miss.
        if let inFlight = lock.withLock({ renewal }) { await inFlight.value }
        let state = lock.withLock { (etag: etag, lost: lostReason != nil) }
        guard !state.lost else { return }
        // Best effort: a release that cannot reach the store leaves a lease that lapses on its own.
        try? await leases.store.delete(SharedLeaseStore.objectKey(key), ifMatching: state.etag)
    }

    private func beat() async {
        while !Task.isCancelled {
            do {
                try await leases.clock.sleep(for: leases.renewInterval)
            } catch {
                return
            }
            await renew()
            if lock.withLock({ lostReason != nil || released }) { return }
        }
    }

    /// Renews once, or waits for the renewal already in flight. The renewal is an unstructured task: cancelling
    /// the heartbeat never abandons a write halfway, so the ETag this holder keeps is the one it last wrote.
    private func renew() async {
        let task = lock.withLock { () -> Task<Void, Never> in
            if let renewal { return renewal }
            let task = Task { await self.performRenewal() }
            renewal = task
            return task
        }
        await task.value
    }

    private func performRenewal() async {
        defer { lock.withLock { renewal = nil } }
        let (held, tag, skip) = lock.withLock { (holder, etag, lostReason != nil) }
        if skip { return }
        do {
            guard let renewed = try await leases.renew(key, holder: held, etag: tag) else {
                return markLost("the lease on \(key) was taken by another process or broken by hand")
            }
            let now = leases.clock.now
            lock.withLock { (holder, etag, renewedAt) = (renewed.holder, renewed.etag, now) }
        } catch {
            if leases.clock.now >= held.expiresAt {
                markLost("the lease on \(key) lapsed at \(Timestamp.format(held.expiresAt)) while the store could not be reached (\(error.localizedDescription))")
            }
        }
    }

    private func markLost(_ reason: String) {
        let handlers = lock.withLock { () -> [@Sendable (String) -> Void] in
            guard lostReason == nil else { return [] }
            lostReason = reason
            defer { lostHandlers = [] }
            return released ? [] : lostHandlers
        }
        handlers.forEach { $0(reason) }
    }
}

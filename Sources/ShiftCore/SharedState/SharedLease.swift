import Foundation

/// A lease held in a shared store, renewed by a heartbeat task until released or lost.
///
/// Lost means: a renewal was refused (someone took the lease over, or broke it), or no renewal got through
/// before the lease lapsed (the store could not be reached). A lost lease is never renewed again, and its
/// release deletes nothing (the delete is conditional on the ETag this holder last wrote).
public final class SharedLease: Lease, @unchecked Sendable {
    public let key: LeaseKey
    private let leases: SharedLeaseStore
    // Guarded by `lock`.
    private let lock = NSLock()
    private var holder: LeaseHolder
    private var etag: String
    private var lostReason: String?
    private var released = false
    private var heartbeat: Task<Void, Never>?
    private var lostHandlers: [@Sendable (String) -> Void] = []

    init(key: LeaseKey, holder: LeaseHolder, etag: String, leases: SharedLeaseStore) {
        self.key = key
        self.holder = holder
        self.etag = etag
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

    public func release() async {
        let (task, state) = lock.withLock { () -> (Task<Void, Never>?, (etag: String, lost: Bool)?) in
            guard !released else { return (nil, nil) }
            released = true
            defer { heartbeat = nil }
            return (heartbeat, (etag, lostReason != nil))
        }
        task?.cancel()
        guard let state, !state.lost else { return }
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
            let (held, tag) = lock.withLock { (holder, etag) }
            do {
                guard let renewed = try await leases.renew(key, holder: held, etag: tag) else {
                    return markLost("the lease on \(key) was taken by another process or broken by hand")
                }
                let stillHeld = lock.withLock { () -> Bool in
                    guard !released else { return false }
                    (holder, etag) = renewed
                    return true
                }
                if !stillHeld { return }
            } catch {
                if leases.clock.now >= held.expiresAt {
                    return markLost("the lease on \(key) lapsed at \(Timestamp.format(held.expiresAt)) while the store could not be reached (\(error.localizedDescription))")
                }
            }
        }
    }

    private func markLost(_ reason: String) {
        let handlers = lock.withLock { () -> [@Sendable (String) -> Void] in
            guard lostReason == nil, !released else { return [] }
            lostReason = reason
            defer { lostHandlers = [] }
            return lostHandlers
        }
        handlers.forEach { $0(reason) }
    }
}

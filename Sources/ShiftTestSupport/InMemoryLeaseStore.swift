import Foundation
import ShiftCore

/// Leases held in memory: `acquire` suspends until the holder releases (no polling, no clock), and a test can
/// take a lease itself to play another process, and see who asked for what.
public final class InMemoryLeaseStore: LeaseStore, @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var held: Set<LeaseKey> = []
    private var waiters: [LeaseKey: [CheckedContinuation<Void, Never>]] = [:]
    private var log: [LeaseKey] = []

    public init() {}

    /// Every key taken, in order.
    public var acquired: [LeaseKey] { lock.withLock { log } }

    /// Whether someone holds `key` now.
    public func isHeldNow(_ key: LeaseKey) -> Bool { lock.withLock { held.contains(key) } }

    public func tryAcquire(_ key: LeaseKey) async throws -> (any Lease)? {
        lock.withLock { () -> (any Lease)? in
            guard !held.contains(key) else { return nil }
            held.insert(key)
            log.append(key)
            return InMemoryLease(key: key, store: self)
        }
    }

    public func acquire(_ key: LeaseKey) async throws -> any Lease {
        while true {
            try Task.checkCancellation()
            if let lease = try await tryAcquire(key) { return lease }
            await withCheckedContinuation { continuation in
                let isFree = lock.withLock { () -> Bool in
                    guard held.contains(key) else { return true }
                    waiters[key, default: []].append(continuation)
                    return false
                }
                if isFree { continuation.resume() }
            }
        }
    }

    fileprivate func release(_ key: LeaseKey) {
        let woken = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            held.remove(key)
            return waiters.removeValue(forKey: key) ?? []
        }
        woken.forEach { $0.resume() }
    }
}

/// A lease of an ``InMemoryLeaseStore``.
struct InMemoryLease: Lease {
    let key: LeaseKey
    let store: InMemoryLeaseStore

    func release() async {
        store.release(key)
    }
}

import Foundation

/// What a lease guards: one alias (held for a whole deployment), one function's `$LATEST` (held while code is
/// uploaded and published as a version), or one pipeline run (held by the runner running or resuming it).
public enum LeaseKey: Hashable, Sendable, CustomStringConvertible {
    case alias(function: String, alias: String)
    case publish(function: String)
    case run(id: String)

    public var description: String {
        switch self {
        case let .alias(function, alias): return "alias \(function):\(alias)"
        case let .publish(function): return "publishing of \(function)"
        case let .run(id): return "pipeline run \(id)"
        }
    }
}

/// Exclusive use of a ``LeaseKey`` by one holder until released (or until the holder dies).
public protocol Lease: Sendable {
    var key: LeaseKey { get }
    /// Gives the lease up. Releasing twice is harmless.
    func release() async

    /// Calls `handler` once, with why, if the lease is lost while held (a shared lease that lapsed or was taken).
    func onLost(_ handler: @escaping @Sendable (String) -> Void)
}

extension Lease {
    /// A lock file's lease is never lost while its process lives.
    public func onLost(_ handler: @escaping @Sendable (String) -> Void) {}
}

/// Where leases are taken: the state directory's lock files, or objects in a shared store (``SharedLeaseStore``).
///
/// Implementations never block a thread while waiting: `acquire` suspends between attempts.
public protocol LeaseStore: Sendable {
    /// Takes the lease if nobody holds it; nil when someone does.
    /// - Throws: when the store cannot be reached.
    func tryAcquire(_ key: LeaseKey) async throws -> (any Lease)?

    /// Takes the lease for a deployment, whose id the lease names where holders are recorded; nil when held.
    /// - Throws: when the store cannot be reached.
    func tryAcquire(_ key: LeaseKey, deployment: String?) async throws -> (any Lease)?

    /// Who holds the lease, where the store records holders (nil where it does not, or nobody does).
    /// - Throws: when the store cannot be reached.
    func holder(of key: LeaseKey) async throws -> LeaseHolder?

    /// Waits until nobody holds the lease, then takes it.
    /// - Throws: `CancellationError` when the task is cancelled while waiting; when the store cannot be reached.
    func acquire(_ key: LeaseKey) async throws -> any Lease
}

extension LeaseStore {
    /// Lock files record no holder: the lease is taken as by ``tryAcquire(_:)``.
    public func tryAcquire(_ key: LeaseKey, deployment: String?) async throws -> (any Lease)? {
        try await tryAcquire(key)
    }

    /// Lock files record no holder.
    public func holder(of key: LeaseKey) async throws -> LeaseHolder? { nil }

    /// Lock files are not broken by hand: the kernel frees them when their process dies.
    public func breakLease(_ key: LeaseKey) async throws -> LeaseHolder? {
        throw ShiftCoreError.refused(reason: "the lease on \(key) is a lock file, freed by the kernel when its process dies; stop that process, or 'shift recover' once it has died")
    }

    /// Whether someone holds the lease now (a live deployer, for an alias).
    public func isHeld(_ key: LeaseKey) async throws -> Bool {
        guard let lease = try await tryAcquire(key) else { return true }
        await lease.release()
        return false
    }

    /// Runs `body` holding the lease, and releases it however `body` ends.
    public func withLease<T: Sendable>(_ key: LeaseKey, _ body: () async throws -> T) async throws -> T {
        let lease = try await acquire(key)
        do {
            let result = try await body()
            await lease.release()
            return result
        } catch {
            await lease.release()
            throw error
        }
    }
}

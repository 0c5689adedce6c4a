import Foundation
import ShiftCore

/// Leases as lock files in the state directory: `flock`, taken without blocking, so the kernel releases a lease
/// the moment its holder dies (even by `kill -9`), and no thread waits in `flock` across an `await`.
public struct FileLeaseStore: LeaseStore {
    public let state: StateDirectory
    let clock: any Clock
    /// Seconds between attempts while `acquire` waits.
    public var retryInterval: TimeInterval = 0.05

    public init(state: StateDirectory, clock: any Clock) {
        self.state = state
        self.clock = clock
    }

    /// The lock file of `key`.
    public func url(of key: LeaseKey) -> URL {
        switch key {
        case let .alias(function, alias): return state.aliasLock(function, alias)
        case let .publish(function): return state.publishLock(function)
        case let .run(id): return state.runLock(id)
        }
    }

    public func tryAcquire(_ key: LeaseKey) async throws -> (any Lease)? {
        let lock = try FileLock(url: url(of: key))
        return try lock.tryLock() ? FileLease(key: key, lock: lock) : nil
    }

    public func acquire(_ key: LeaseKey) async throws -> any Lease {
        while true {
            if let lease = try await tryAcquire(key) { return lease }
            try await clock.sleep(for: retryInterval)
        }
    }
}

/// A held lock file.
public struct FileLease: Lease {
    public let key: LeaseKey
    let lock: FileLock

    public func release() async {
        lock.unlock()
    }
}

import Foundation
import ShiftCore
import ShiftStorage

/// A parameter resolver that opens the store (and loads the master key, which may run a KDF) only when a
/// reference is actually resolved, so that commands on functions without references never need a key.
public final class LazyParameterStore: ParameterResolver, @unchecked Sendable {
    private let location: MasterKeyLocation
    private let state: StateDirectory
    private let clock: any Clock
    // Guarded by `lock`.
    private let lock = NSLock()
    private var store: ParameterStore?

    public init(location: MasterKeyLocation, state: StateDirectory, clock: any Clock) {
        self.location = location
        self.state = state
        self.clock = clock
    }

    /// The opened store.
    /// - Throws: what loading the master key throws.
    public func open() throws -> ParameterStore {
        try lock.withLock {
            if let store { return store }
            let opened = ParameterStore(directory: state, masterKey: try location.load(), clock: clock)
            store = opened
            return opened
        }
    }

    public func resolve(_ name: String) async throws -> String {
        try await open().resolve(name)
    }
}

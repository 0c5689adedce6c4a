import Foundation

/// A value shared between test threads, read and written under a lock.
final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is only touched while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value.
    var current: Value { withLock { $0 } }
}

/// Runs every body on a thread of its own, all at once, and returns their results in the same order.
///
/// Threads, not tasks: each body blocks on child processes, and the cooperative pool has only as many threads as cores.
func concurrently<T: Sendable>(_ bodies: [@Sendable () -> T]) -> [T] {
    let results = Locked<[Int: T]>([:])
    let group = DispatchGroup()
    for (index, body) in bodies.enumerated() {
        group.enter()
        Thread.detachNewThread {
            let value = body()
            results.withLock { $0[index] = value }
            group.leave()
        }
    }
    group.wait()
    let collected = results.current
    return bodies.indices.map { collected[$0]! }
}

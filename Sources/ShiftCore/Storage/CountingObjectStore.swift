import Foundation

/// An ``ObjectStore`` that counts the requests made through it: what proves a listing's cost in requests, in tests
/// (over an in-memory store) and in `shift-bench` (over S3).
public final class CountingObjectStore: ObjectStore, @unchecked Sendable {
    public let inner: any ObjectStore
    // Guarded by `lock`.
    private let lock = NSLock()
    private var count = 0

    public init(_ inner: any ObjectStore) { self.inner = inner }

    public var location: String { inner.location }
    /// Requests made since the store was made or ``resetCounts()`` last called.
    public var requests: Int { lock.withLock { count } }
    public func resetCounts() { lock.withLock { count = 0 } }
    private func tick() { lock.withLock { count += 1 } }

    public func get(_ key: String) async throws -> StoredObject? { tick(); return try await inner.get(key) }
    public func put(_ key: String, data: Data, condition: WriteCondition) async throws -> String { tick(); return try await inner.put(key, data: data, condition: condition) }
    public func delete(_ key: String, ifMatching etag: String?) async throws { tick(); try await inner.delete(key, ifMatching: etag) }
    public func list(prefix: String, after: String?, limit: Int) async throws -> ObjectListing { tick(); return try await inner.list(prefix: prefix, after: after, limit: limit) }
}

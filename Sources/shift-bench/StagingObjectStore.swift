import Foundation
import ShiftCore

/// An ``ObjectStore`` in memory, with S3's conditional-write rules, that a benchmark writes through the real stores
/// and then uploads (``objects``) in one go.
final class StagingObjectStore: ObjectStore, @unchecked Sendable {
    let location: String
    // Guarded by `lock`.
    private let lock = NSLock()
    private var stored: [String: StoredObject] = [:]
    private var nextTag = 0

    init(location: String) { self.location = location }

    /// Every object held, by key.
    var objects: [(key: String, data: Data)] { lock.withLock { stored.sorted { $0.key < $1.key }.map { ($0.key, $0.value.data) } } }

    func get(_ key: String) async throws -> StoredObject? { lock.withLock { stored[key] } }

    func put(_ key: String, data: Data, condition: WriteCondition) async throws -> String {
        try lock.withLock {
            try check(condition, key: key)
            nextTag += 1
            stored[key] = StoredObject(data: data, etag: "\"\(nextTag)\"")
            return "\"\(nextTag)\""
        }
    }

    func delete(_ key: String, ifMatching etag: String?) async throws {
        try lock.withLock {
            if let etag { try check(.matches(etag: etag), key: key) }
            stored[key] = nil
        }
    }

    func list(prefix: String, after: String?, limit: Int) async throws -> ObjectListing {
        let keys = lock.withLock { stored.keys.filter { key in key.hasPrefix(prefix) && after.map { key > $0 } ?? true }.sorted() }
        return ObjectListing(keys: Array(keys.prefix(limit)), next: keys.count > limit ? keys[limit - 1] : nil)
    }

    private func check(_ condition: WriteCondition, key: String) throws {
        let current = stored[key]
        switch condition {
        case .always: return
        case .absent: if current == nil { return }
        case let .matches(etag): if current?.etag == etag { return }
        }
        throw ObjectStoreError.conditionFailed(location: location, key: key)
    }
}

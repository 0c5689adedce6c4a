import Foundation
import ShiftCore

/// An object store in memory with S3's conditional-write rules, for tests; a test can make it unreachable.
public final class InMemoryObjectStore: ObjectStore, @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var objects: [String: StoredObject] = [:]
    private var nextTag = 0
    private var outage: String?

    public let location: String

    public init(location: String = "s3://test-bucket/shift") {
        self.location = location
    }

    /// Every key held now, sorted.
    public var keys: [String] { lock.withLock { objects.keys.sorted() } }

    /// Makes every call fail as unreachable (`detail` non-nil) or work again (nil).
    public func setOutage(_ detail: String?) { lock.withLock { outage = detail } }

    public func get(_ key: String) async throws -> StoredObject? {
        try lock.withLock {
            try checkReachable()
            return objects[key]
        }
    }

    public func put(_ key: String, data: Data, condition: WriteCondition) async throws -> String {
        try lock.withLock {
            try checkReachable()
            try check(condition, key: key)
            nextTag += 1
            let etag = "\"\(nextTag)\""
            objects[key] = StoredObject(data: data, etag: etag)
            return etag
        }
    }

    public func delete(_ key: String, ifMatching etag: String?) async throws {
        try lock.withLock {
            try checkReachable()
            if let etag { try check(.matches(etag: etag), key: key) }
            objects[key] = nil
        }
    }

    public func list(prefix: String, after: String?, limit: Int) async throws -> ObjectListing {
        try lock.withLock {
            try checkReachable()
            let matching = objects.keys.filter { key in key.hasPrefix(prefix) && after.map { key > $0 } ?? true }.sorted()
            let page = Array(matching.prefix(limit))
            return ObjectListing(keys: page, next: matching.count > page.count ? page.last : nil)
        }
    }

    private func checkReachable() throws {
        if let outage { throw ObjectStoreError.unavailable(location: location, detail: outage) }
    }

    private func check(_ condition: WriteCondition, key: String) throws {
        switch condition {
        case .always:
            return
        case .absent where objects[key] != nil, .matches where objects[key] == nil:
            throw ObjectStoreError.conditionFailed(location: location, key: key)
        case let .matches(etag) where objects[key]?.etag != etag:
            throw ObjectStoreError.conditionFailed(location: location, key: key)
        case .absent, .matches:
            return
        }
    }
}

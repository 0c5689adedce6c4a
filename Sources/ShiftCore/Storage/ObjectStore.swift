import Foundation

/// An object as a store returned it: its bytes and the version tag a conditional write names (S3's ETag).
public struct StoredObject: Sendable, Equatable {
    public var data: Data
    public var etag: String

    public init(data: Data, etag: String) {
        self.data = data
        self.etag = etag
    }
}

/// When a write may happen: always, only if nothing is there yet, or only if what is there is what was read.
public enum WriteCondition: Sendable, Equatable {
    case always
    /// S3's `If-None-Match: *`.
    case absent
    /// S3's `If-Match: ETAG`.
    case matches(etag: String)
}

/// One page of keys under a prefix, in key order.
public struct ObjectListing: Sendable, Equatable {
    public var keys: [String]
    /// Where the next page starts (pass as `after`), nil on the last page.
    public var next: String?

    public init(keys: [String], next: String?) {
        self.keys = keys
        self.next = next
    }
}

/// A key-value store of objects with conditional writes: the foundation of shared state (S3 now; the protocol
/// keeps room for another, such as DynamoDB). Keys are relative to the store's own location (bucket and prefix).
///
/// Every read-modify-write through it is a conditional write on what was read, so two machines never both win.
public protocol ObjectStore: Sendable {
    /// Where the store is, for messages: `s3://BUCKET/PREFIX`.
    var location: String { get }

    /// The object at `key`, nil when there is none.
    /// - Throws: `ObjectStoreError` when the store cannot be read.
    func get(_ key: String) async throws -> StoredObject?

    /// Writes `data` at `key` when `condition` holds, and returns the new object's version tag.
    /// - Throws: `ObjectStoreError.conditionFailed` when it does not hold (someone else wrote first); other
    ///   `ObjectStoreError`s when the store cannot be written.
    @discardableResult
    func put(_ key: String, data: Data, condition: WriteCondition) async throws -> String

    /// Removes `key` (when `etag` is given, only if it still has that version). Removing nothing is harmless.
    /// - Throws: `ObjectStoreError.conditionFailed`; other `ObjectStoreError`s.
    func delete(_ key: String, ifMatching etag: String?) async throws

    /// Up to `limit` keys under `prefix` that sort after `after`, in key order.
    func list(prefix: String, after: String?, limit: Int) async throws -> ObjectListing
}

/// Why an object store call failed.
public enum ObjectStoreError: CategorizedError, LocalizedError, Equatable {
    /// A conditional write lost: someone else wrote `key` since it was read (or it already exists).
    case conditionFailed(location: String, key: String)
    /// The store does not exist (no such bucket).
    case missingStore(location: String)
    /// The credentials may not do this.
    case accessDenied(location: String, key: String, detail: String)
    /// The store could not be reached or answered with an error.
    case unavailable(location: String, detail: String)

    public var category: ErrorCategory {
        switch self {
        case .conditionFailed: return .conflict
        case .missingStore, .accessDenied: return .badInput
        case .unavailable: return .failed
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .conditionFailed(location, key):
            return "\(location)/\(key) was changed by someone else since it was read"
        case let .missingStore(location):
            return "\(location) does not exist; create the bucket or fix the account's state location"
        case let .accessDenied(location, key, detail):
            return "access to \(location)/\(key) was denied (\(detail)); grant the policy the README's 'Teams and CI fleets' section gives"
        case let .unavailable(location, detail):
            return "\(location) could not be reached: \(detail)"
        }
    }
}

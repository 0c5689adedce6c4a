import Foundation
import ShiftCore

/// An ``ObjectStore`` in one S3 bucket under one prefix: the shared state of an AWS account.
///
/// Keys given to it are relative to the prefix. Writes are server-side encrypted with the KMS key when one is set.
/// S3's failed conditions (412, 409 ConditionalRequestConflict, and 404 for `If-Match` on a missing key) become
/// `ObjectStoreError.conditionFailed`; NoSuchBucket `missingStore`; 403 `accessDenied`; anything else `unavailable`.
public struct S3ObjectStore: ObjectStore {
    public let s3: S3Client
    public let state: SharedStateLocation
    /// The KMS key id, ARN or alias objects are encrypted with (`aws:kms`); S3's default encryption when nil.
    public let kmsKeyId: String?

    public init(s3: S3Client, state: SharedStateLocation, kmsKeyId: String? = nil) {
        self.s3 = s3
        self.state = state
        self.kmsKeyId = kmsKeyId
    }

    public var location: String { state.description }

    public func get(_ key: String) async throws -> StoredObject? {
        try await mapping(key) {
            try await s3.getObject(bucket: state.bucket, key: state.key(key)).map { StoredObject(data: $0.data, etag: $0.etag) }
        }
    }

    public func put(_ key: String, data: Data, condition: WriteCondition) async throws -> String {
        let (ifMatch, ifNoneMatch): (String?, String?) = switch condition {
        case .always: (nil, nil)
        case .absent: (nil, "*")
        case let .matches(etag): (etag, nil)
        }
        do {
            return try await mapping(key) {
                try await s3.putObject(bucket: state.bucket, key: state.key(key), data: data, ifMatch: ifMatch, ifNoneMatch: ifNoneMatch, kmsKeyId: kmsKeyId)
            }
        } catch ObjectStoreError.conditionFailed(let location, let failedKey) where condition != .always {
            // A retried write whose first attempt was applied with its answer lost fails its own condition. The
            // bytes tell: callers write objects that name their writer, so equal bytes are this write.
            if let current = try await get(key), current.data == data { return current.etag }
            throw ObjectStoreError.conditionFailed(location: location, key: failedKey)
        }
    }

    public func delete(_ key: String, ifMatching etag: String?) async throws {
        try await mapping(key) { try await s3.deleteObject(bucket: state.bucket, key: state.key(key), ifMatch: etag) }
    }

    public func list(prefix: String, after: String?, limit: Int) async throws -> ObjectListing {
        try await mapping(prefix) {
            let page = try await s3.listObjectsV2(
                bucket: state.bucket, prefix: state.key(prefix), startAfter: after.map(state.key), maxKeys: limit)
            let strip = state.prefix.isEmpty ? 0 : state.prefix.count + 1
            let keys = page.keys.map { String($0.dropFirst(strip)) }
            return ObjectListing(keys: keys, next: page.isTruncated ? keys.last : nil)
        }
    }

    /// Checks that the bucket exists and may be used.
    /// - Throws: `ObjectStoreError.missingStore` or `.accessDenied`.
    public func checkBucket() async throws {
        try await mapping("") { try await s3.headBucket(state.bucket) }
    }

    /// Runs an S3 call, turning its errors into `ObjectStoreError`s about `key`.
    private func mapping<T>(_ key: String, _ call: () async throws -> T) async throws -> T {
        do {
            return try await call()
        } catch let error as AWSPlatformError {
            throw Self.storeError(error, location: location, key: key)
        }
    }

    /// The store's error for an S3 call's.
    static func storeError(_ error: AWSPlatformError, location: String, key: String) -> ObjectStoreError {
        switch error {
        case let .service(_, operation, status, code, message, _):
            if status == 412 || code == "PreconditionFailed" || code == "ConditionalRequestConflict" || (status == 404 && code == "NoSuchKey" && operation == "PutObject") {
                return .conditionFailed(location: location, key: key)
            }
            if code == "NoSuchBucket" || (status == 404 && operation == "HeadBucket") { return .missingStore(location: location) }
            if status == 403 || code == "AccessDenied" {
                return .accessDenied(location: location, key: key, detail: message.isEmpty ? "\(code), HTTP \(status)" : "\(code): \(message)")
            }
            return .unavailable(location: location, detail: error.errorDescription ?? code)
        default:
            return .unavailable(location: location, detail: error.errorDescription ?? "\(error)")
        }
    }
}

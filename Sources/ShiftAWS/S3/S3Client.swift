import Foundation
import ShiftCore

/// The S3 calls shift's shared state makes, on S3's REST-XML API with path-style addressing (`/BUCKET/KEY`),
/// so the same code reaches AWS and a moto server.
///
/// Conditional writes are S3's (`If-None-Match: *` creates only, `If-Match: ETAG` replaces only that version);
/// S3 answers a failed condition with 412 PreconditionFailed, or 409 ConditionalRequestConflict when two
/// conditional writes of one key race, and ``S3ObjectStore`` turns both into `ObjectStoreError.conditionFailed`.
public struct S3Client: Sendable {
    public let client: AWSServiceClient

    /// A client that sends through `client` (whose service is S3).
    public init(client: AWSServiceClient) {
        self.client = client
    }

    /// An object's bytes and ETag (quotes kept, as S3 sends it and `If-Match` takes it).
    public struct Object: Sendable, Equatable {
        public var data: Data
        public var etag: String
    }

    /// GetObject; nil when the key does not exist.
    /// - Throws: `AWSPlatformError` (NoSuchBucket, AccessDenied, ...).
    public func getObject(bucket: String, key: String) async throws -> Object? {
        do {
            let response = try await client.send(operation: "GetObject", method: "GET", path: Self.path(bucket, key))
            return Object(data: response.body, etag: response.header("ETag") ?? "")
        } catch let AWSPlatformError.service(_, _, status, code, _, _) where status == 404 && code == "NoSuchKey" {
            return nil
        }
    }

    /// PutObject, conditional on `ifMatch` (an ETag) or `ifNoneMatch` (`*`); encrypted with the KMS key when given.
    /// - Returns: the new object's ETag.
    /// - Throws: `AWSPlatformError`; a failed condition is status 412, or 409 `ConditionalRequestConflict`.
    public func putObject(bucket: String, key: String, data: Data, ifMatch: String? = nil, ifNoneMatch: String? = nil, kmsKeyId: String? = nil) async throws -> String {
        var headers = ["Content-Type": "application/json"]
        if let ifMatch { headers["If-Match"] = ifMatch }
        if let ifNoneMatch { headers["If-None-Match"] = ifNoneMatch }
        if let kmsKeyId {
            headers["x-amz-server-side-encryption"] = "aws:kms"
            headers["x-amz-server-side-encryption-aws-kms-key-id"] = kmsKeyId
        }
        let response = try await client.send(operation: "PutObject", method: "PUT", path: Self.path(bucket, key), headers: headers, body: data)
        return response.header("ETag") ?? ""
    }

    /// DeleteObject, only of that version when `ifMatch` is given. Deleting a missing key succeeds, as S3 says.
    /// - Throws: `AWSPlatformError`.
    public func deleteObject(bucket: String, key: String, ifMatch: String? = nil) async throws {
        var headers: [String: String] = [:]
        if let ifMatch { headers["If-Match"] = ifMatch }
        do {
            _ = try await client.send(operation: "DeleteObject", method: "DELETE", path: Self.path(bucket, key), headers: headers)
        } catch let AWSPlatformError.service(_, _, status, code, _, _) where status == 404 && code == "NoSuchKey" {
            return
        }
    }

    /// One ListObjectsV2 page: up to `maxKeys` keys under `prefix` after `startAfter`, in key order, and whether
    /// more follow.
    /// - Throws: `AWSPlatformError`.
    public func listObjectsV2(bucket: String, prefix: String, startAfter: String?, maxKeys: Int) async throws -> (keys: [String], isTruncated: Bool) {
        var query = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(max(1, min(maxKeys, 1000))))]
        if let startAfter { query.append(("start-after", startAfter)) }
        let response = try await client.send(operation: "ListObjectsV2", method: "GET", path: Self.path(bucket, nil), query: query)
        let result: XMLElement
        do {
            result = try XMLElement.parse(response.body)
        } catch {
            throw AWSPlatformError.malformedResponse(service: "S3", operation: "ListObjectsV2", detail: error.localizedDescription)
        }
        let keys = result.children(named: "Contents").compactMap { $0.child("Key")?.text }
        return (keys, result.child("IsTruncated")?.text == "true")
    }

    /// HeadBucket: succeeds when the bucket exists and the credentials may use it.
    /// - Throws: `AWSPlatformError` with status 404 (no such bucket) or 403 (denied).
    public func headBucket(_ bucket: String) async throws {
        _ = try await client.send(operation: "HeadBucket", method: "HEAD", path: Self.path(bucket, nil))
    }

    /// `/BUCKET/KEY` with each key segment encoded once (S3's rule; `/` stays a separator).
    static func path(_ bucket: String, _ key: String?) -> String {
        guard let key else { return "/\(bucket)" }
        return "/\(bucket)/" + key.split(separator: "/", omittingEmptySubsequences: false).map { SigV4Signer.uriEncode(String($0)) }.joined(separator: "/")
    }
}

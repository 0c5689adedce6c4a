import Foundation
import ShiftAWS
import ShiftCore
import ShiftTestSupport
import XCTest

/// `S3ObjectStore` against a moto server's S3: conditional writes as S3 evaluates them, listing pages, and the
/// errors of a missing bucket, mapped to `ObjectStoreError`.
final class S3ObjectStoreMotoTests: XCTestCase {
    var platform: AWSPlatform!
    var bucket: String!

    override func setUp() async throws {
        try await super.setUp()
        let moto: MotoServer
        do {
            moto = try MotoServer.shared().server
        } catch let unavailable as MotoServer.Unavailable {
            throw XCTSkip(unavailable.description)
        }
        platform = try AWSPlatform(settings: AccountSettings(platform: .aws, endpointURL: moto.endpoint.absoluteString), environment: MotoServer.environment)
        bucket = "shift-test-\(Int.random(in: 100_000...999_999))"
        _ = try await platform.s3.client.send(operation: "CreateBucket", method: "PUT", path: "/\(bucket!)")
    }

    func store(prefix: String = "team/prod", kmsKeyId: String? = nil) throws -> S3ObjectStore {
        S3ObjectStore(s3: platform.s3, state: try SharedStateLocation(parsing: "s3://\(bucket!)/\(prefix)"), kmsKeyId: kmsKeyId)
    }

    func testPutAbsent_createsOnce_andSecondCreateFailsItsCondition() async throws {
        let store = try store()
        let etag = try await store.put("leases/a.json", data: Data("one".utf8), condition: .absent)
        do {
            try await store.put("leases/a.json", data: Data("two".utf8), condition: .absent)
            XCTFail("a second If-None-Match: * write succeeded")
        } catch let error as ObjectStoreError {
            XCTAssertEqual(error, .conditionFailed(location: "s3://\(bucket!)/team/prod", key: "leases/a.json"))
        }
        let read = try await store.get("leases/a.json")
        XCTAssertEqual(read, StoredObject(data: Data("one".utf8), etag: etag))
    }

    func testPutMatches_replacesOnlyTheVersionRead() async throws {
        let store = try store()
        let first = try await store.put("journal.json", data: Data("v1".utf8), condition: .absent)
        let second = try await store.put("journal.json", data: Data("v2".utf8), condition: .matches(etag: first))
        XCTAssertNotEqual(first, second)
        await XCTAssertConditionFails { try await store.put("journal.json", data: Data("v3".utf8), condition: .matches(etag: first)) }
        await XCTAssertConditionFails { try await store.put("missing.json", data: Data("x".utf8), condition: .matches(etag: first)) }
        let read = try await store.get("journal.json")
        XCTAssertEqual(read?.data, Data("v2".utf8))
    }

    func testPutAbsent_whenTheSameBytesAreThere_isTakenAsThisWritesRetry() async throws {
        // A retried write whose first attempt landed finds its own bytes: that is success, not a lost race.
        let store = try store()
        let etag = try await store.put("runs/r.json", data: Data("writer-1 seq 1".utf8), condition: .absent)
        let again = try await store.put("runs/r.json", data: Data("writer-1 seq 1".utf8), condition: .absent)
        XCTAssertEqual(again, etag)
    }

    func testDelete_ifMatching_removesOnlyThatVersion_andMissingIsHarmless() async throws {
        let store = try store()
        let etag = try await store.put("leases/b.json", data: Data("held".utf8), condition: .absent)
        await XCTAssertConditionFails { try await store.delete("leases/b.json", ifMatching: "\"0123456789abcdef0123456789abcdef\"") }
        try await store.delete("leases/b.json", ifMatching: etag)
        let gone = try await store.get("leases/b.json")
        XCTAssertNil(gone)
        try await store.delete("leases/b.json", ifMatching: nil)
    }

    func testList_pagesKeysUnderThePrefixInOrder_relativeToTheStore() async throws {
        let store = try store()
        let other = try self.store(prefix: "team/staging")
        for name in ["d/3", "d/1", "d/2", "e/1"] { try await store.put(name, data: Data(name.utf8), condition: .always) }
        try await other.put("d/9", data: Data(), condition: .always)
        let first = try await store.list(prefix: "d/", after: nil, limit: 2)
        XCTAssertEqual(first, ObjectListing(keys: ["d/1", "d/2"], next: "d/2"))
        let second = try await store.list(prefix: "d/", after: first.next, limit: 2)
        XCTAssertEqual(second, ObjectListing(keys: ["d/3"], next: nil))
    }

    func testMissingBucket_isMissingStore_namingIt() async throws {
        let store = S3ObjectStore(s3: platform.s3, state: try SharedStateLocation(parsing: "s3://no-such-bucket-\(bucket!)/p"))
        do {
            _ = try await store.get("shift-state.json")
            XCTFail("read from a missing bucket")
        } catch let error as ObjectStoreError {
            XCTAssertEqual(error, .missingStore(location: "s3://no-such-bucket-\(bucket!)/p"))
            XCTAssertEqual(error.category, .badInput)
        }
        do {
            try await store.checkBucket()
            XCTFail("HeadBucket of a missing bucket succeeded")
        } catch let error as ObjectStoreError {
            XCTAssertEqual(error, .missingStore(location: "s3://no-such-bucket-\(bucket!)/p"))
        }
        try await self.store().checkBucket()
    }

    func testKMSKey_encryptsWithIt() async throws {
        let store = try store(kmsKeyId: "alias/shift-state")
        try await store.put("k.json", data: Data("{}".utf8), condition: .absent)
        let response = try await platform.s3.client.send(operation: "HeadObject", method: "HEAD", path: "/\(bucket!)/team/prod/k.json")
        XCTAssertEqual(response.header("x-amz-server-side-encryption"), "aws:kms")
        XCTAssertEqual(response.header("x-amz-server-side-encryption-aws-kms-key-id").map { $0.hasSuffix("alias/shift-state") }, true)
    }

    func XCTAssertConditionFails(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await body()
            XCTFail("the write's condition held", file: file, line: line)
        } catch let error as ObjectStoreError {
            guard case .conditionFailed = error else { return XCTFail("\(error)", file: file, line: line) }
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }
}

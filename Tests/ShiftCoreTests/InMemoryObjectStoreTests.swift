import ShiftCore
import ShiftTestSupport
import XCTest

/// The test double every shared-state test builds on keeps S3's conditional-write rules.
final class InMemoryObjectStoreTests: XCTestCase {
    func testPut_absent_refusesWhenTheKeyExists() async throws {
        let store = InMemoryObjectStore()
        try await store.put("a", data: Data("1".utf8), condition: .absent)
        await assertConditionFails { try await store.put("a", data: Data("2".utf8), condition: .absent) }
        let stored = try await store.get("a")
        XCTAssertEqual(stored?.data, Data("1".utf8))
    }

    func testPut_matches_refusesAStaleTagAndAcceptsTheCurrentOne() async throws {
        let store = InMemoryObjectStore()
        let first = try await store.put("a", data: Data("1".utf8), condition: .always)
        let second = try await store.put("a", data: Data("2".utf8), condition: .matches(etag: first))
        await assertConditionFails { try await store.put("a", data: Data("3".utf8), condition: .matches(etag: first)) }
        await assertConditionFails { try await store.put("b", data: Data("3".utf8), condition: .matches(etag: first)) }
        try await store.delete("a", ifMatching: second)
        let gone = try await store.get("a")
        XCTAssertNil(gone)
    }

    func testList_pagesInKeyOrderUnderThePrefix() async throws {
        let store = InMemoryObjectStore()
        for key in ["d/3", "d/1", "e/1", "d/2"] { try await store.put(key, data: Data(), condition: .always) }
        let first = try await store.list(prefix: "d/", after: nil, limit: 2)
        XCTAssertEqual(first, ObjectListing(keys: ["d/1", "d/2"], next: "d/2"))
        let second = try await store.list(prefix: "d/", after: first.next, limit: 2)
        XCTAssertEqual(second, ObjectListing(keys: ["d/3"], next: nil))
    }

    func testOutage_failsEveryCallAsUnavailable() async throws {
        let store = InMemoryObjectStore()
        store.setOutage("connection refused")
        do {
            _ = try await store.get("a")
            XCTFail("expected an outage")
        } catch let error as ObjectStoreError {
            XCTAssertEqual(error.category, .failed)
        }
    }

    private func assertConditionFails(_ body: () async throws -> Void, line: UInt = #line) async {
        do {
            try await body()
            XCTFail("expected the condition to fail", line: line)
        } catch let error as ObjectStoreError {
            guard case .conditionFailed = error else { return XCTFail("\(error)", line: line) }
        } catch {
            XCTFail("\(error)", line: line)
        }
    }
}

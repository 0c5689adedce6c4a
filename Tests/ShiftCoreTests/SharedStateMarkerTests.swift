import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

final class SharedStateMarkerTests: XCTestCase {
    let objects = InMemoryObjectStore(location: "s3://team-state/prod")
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func testClaim_onAnEmptyPrefix_writesTheMarkerOnce_andAgainIsHarmless() async throws {
        try await SharedStateMarker.claim(objects, by: "laptop", at: now)
        let first = try await objects.get(SharedStateMarker.key)
        try await SharedStateMarker.claim(objects, by: "runner", at: now.addingTimeInterval(5))
        let second = try await objects.get(SharedStateMarker.key)
        XCTAssertEqual(first, second)
        XCTAssertTrue(String(decoding: try XCTUnwrap(first).data, as: UTF8.self).contains("\"format\" : \"shift-state\""))
    }

    func testClaim_ofAPrefixHoldingOtherObjects_isRefusedNamingOne_andWritesNothing() async throws {
        try await objects.put("terraform.tfstate", data: Data("{}".utf8), condition: .always)
        await assertBadInput(naming: "s3://team-state/prod/terraform.tfstate") { try await SharedStateMarker.claim(self.objects, by: "laptop", at: self.now) }
        XCTAssertEqual(objects.keys, ["terraform.tfstate"])
    }

    func testClaim_ofAForeignMarker_orANewerLayout_isRefused() async throws {
        try await objects.put(SharedStateMarker.key, data: Data("not json".utf8), condition: .always)
        await assertBadInput(naming: "s3://team-state/prod/shift-state.json") { try await SharedStateMarker.claim(self.objects, by: "laptop", at: self.now) }
        try await objects.put(SharedStateMarker.key, data: Data(#"{"format":"shift-state","version":9,"createdAt":"2026-01-01T00:00:00Z","createdBy":"x"}"#.utf8), condition: .always)
        await assertBadInput(naming: "upgrade shift") { try await SharedStateMarker.claim(self.objects, by: "laptop", at: self.now) }
    }

    func testClaim_whenTheStoreIsDown_throwsItsError() async throws {
        objects.setOutage("connection refused")
        do {
            try await SharedStateMarker.claim(objects, by: "laptop", at: now)
            XCTFail("claimed an unreachable store")
        } catch let error as ObjectStoreError {
            XCTAssertEqual(error, .unavailable(location: "s3://team-state/prod", detail: "connection refused"))
        }
    }

    func assertBadInput(naming text: String, _ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await body()
            XCTFail("accepted", file: file, line: line)
        } catch let error as CategorizedError {
            XCTAssertEqual(error.category, .badInput, file: file, line: line)
            XCTAssertTrue(error.localizedDescription.contains(text), error.localizedDescription, file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }
}

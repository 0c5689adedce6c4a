import Foundation
import ShiftCore
import ShiftSecrets
import XCTest

final class ParameterReferenceTests: XCTestCase {
    func testFind_returnsEveryReferenceInOrder() throws {
        let text = "postgres://app:{{param:/orders/prod/db-password}}@{{param:/orders/prod/host}}/db"
        let references = try ParameterReference.find(in: text)
        XCTAssertEqual(references.map(\.name), ["/orders/prod/db-password", "/orders/prod/host"])
        XCTAssertEqual(String(text[references[0].range]), "{{param:/orders/prod/db-password}}")
        XCTAssertEqual(try ParameterReference.find(in: "no references {{ here }}"), [])
    }

    func testNames_areDistinct() throws {
        XCTAssertEqual(try ParameterReference.names(in: "{{param:/a}}{{param:/b}}{{param:/a}}"), ["/a", "/b"])
    }

    func testSubstitute_replacesEachReference_andMissingValueIsNotFound() throws {
        let text = "A={{param:/a}} B={{param:/b}} A={{param:/a}}"
        XCTAssertEqual(try ParameterReference.substitute(in: text, values: ["/a": "1", "/b": "2"]), "A=1 B=2 A=1")
        XCTAssertThrowsError(try ParameterReference.substitute(in: text, values: ["/a": "1"])) { error in
            XCTAssertTrue(message(error).contains("parameter '/b' not found"), message(error))
        }
    }

    func testUnterminatedOrMalformedReference_isRefused() {
        XCTAssertThrowsError(try ParameterReference.find(in: "x={{param:/a")) { error in
            XCTAssertTrue(message(error).contains("closed with }}"), message(error))
        }
        XCTAssertThrowsError(try ParameterReference.find(in: "{{param:}}"))
        XCTAssertThrowsError(try ParameterReference.find(in: "{{param:/a b}}"))
    }

    func testResolve_throughTheLocalStore_returnsTextAndValuesToMask() async throws {
        let fixture = try StoreFixture()
        defer { fixture.remove() }
        try fixture.store.put(named("/orders/prod/db-password"), value: "hunter2", type: .secureString)
        try fixture.store.put(named("/orders/prod/host"), value: "db.internal")
        let resolved = try await ParameterReference.resolve(in: "app:{{param:/orders/prod/db-password}}@{{param:/orders/prod/host}}", using: fixture.store)
        XCTAssertEqual(resolved.text, "app:hunter2@db.internal")
        XCTAssertEqual(Set(resolved.values), ["hunter2", "db.internal"])

        do {
            _ = try await fixture.store.resolve("/orders/prod/missing")
            XCTFail("expected an error")
        } catch {
            XCTAssertTrue(message(error).contains("'/orders/prod/missing' not found"), message(error))
        }
    }
}

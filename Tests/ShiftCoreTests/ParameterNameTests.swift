import Foundation
import ShiftCore
import XCTest

final class ParameterNameTests: XCTestCase {
    func testLocalARN_dropsAHierarchicalNamesLeadingSlash_asSSMDoes() throws {
        XCTAssertEqual(try ParameterName("/orders/prod/db-url").localARN, "arn:aws:ssm:local:000000000000:parameter/orders/prod/db-url")
        XCTAssertEqual(try ParameterName("flat-name").localARN, "arn:aws:ssm:local:000000000000:parameter/flat-name")
    }

    func testHierarchicalAndFlatNames_areAccepted() throws {
        for text in ["/orders/prod/db-password", "plain", "a.b-c_d", "/x", "/A/b.c/D_e-9"] {
            XCTAssertEqual(try ParameterName(text).rawValue, text)
        }
        XCTAssertTrue(try ParameterName("/a/b").isHierarchical)
        XCTAssertFalse(try ParameterName("ab").isHierarchical)
    }

    func testDisallowedCharacter_isRefusedNamingTheCharacter() {
        assertInvalid("/orders/prod/db password", contains: "only letters, digits and . - _ /")
        assertInvalid("/orders/$x", contains: "'$'")
        assertInvalid("/orders/é", contains: "only letters")
    }

    func testHierarchicalName_mustStartWithSlash() {
        assertInvalid("orders/prod", contains: "start with /, e.g. /orders/prod")
    }

    func testSixteenLevels_isRefused_fifteenAccepted() throws {
        let fifteen = "/" + (1...15).map { "l\($0)" }.joined(separator: "/")
        XCTAssertNoThrow(try ParameterName(fifteen))
        assertInvalid(fifteen + "/l16", contains: "at most 15 levels (this one has 16)")
    }

    func testLength_atMost1011Characters() throws {
        XCTAssertNoThrow(try ParameterName("/" + String(repeating: "a", count: 1010)))
        assertInvalid("/" + String(repeating: "a", count: 1011), contains: "at most 1011 characters")
    }

    func testAwsAndSsmPrefixes_areReservedInAnyCase() {
        assertInvalid("awsKey", contains: "'aws' or 'ssm'")
        assertInvalid("/AWS/x", contains: "'aws' or 'ssm'")
        assertInvalid("/ssm-things", contains: "'aws' or 'ssm'")
    }

    func testEmptyDotAndDotDotLevels_areRefused() {
        assertInvalid("/a//b", contains: "empty level")
        assertInvalid("/a/", contains: "empty level")
        assertInvalid("/a/../b", contains: "'..' level")
        assertInvalid("/./b", contains: "'.' level")
        assertInvalid("", contains: "such as /orders/prod/db-password")
    }

    func testErrorField_isName() {
        XCTAssertThrowsError(try ParameterName("bad name")) { error in
            guard case let .invalidValue(field, _, _)? = error as? ShiftCoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "name")
        }
    }

    func testIsUnderPath_oneLevelUnlessRecursive() throws {
        let deep = try ParameterName("/orders/prod/db/password")
        let shallow = try ParameterName("/orders/prod/url")
        XCTAssertTrue(shallow.isUnder(path: "/orders/prod", recursive: false))
        XCTAssertTrue(shallow.isUnder(path: "/orders/prod/", recursive: false))
        XCTAssertFalse(deep.isUnder(path: "/orders/prod", recursive: false))
        XCTAssertTrue(deep.isUnder(path: "/orders/prod", recursive: true))
        XCTAssertFalse(try ParameterName("/orders/production/x").isUnder(path: "/orders/prod", recursive: true))
    }

    private func assertInvalid(_ text: String, contains expected: String, line: UInt = #line) {
        XCTAssertThrowsError(try ParameterName(text), line: line) { error in
            XCTAssertTrue(message(error).contains(expected), "\(message(error))", line: line)
        }
    }
}

private func message(_ error: Error) -> String { (error as? LocalizedError)?.errorDescription ?? "\(error)" }

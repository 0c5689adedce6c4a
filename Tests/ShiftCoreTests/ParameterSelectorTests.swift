import ShiftCore
import XCTest

final class ParameterSelectorTests: XCTestCase {
    func testNameAlone_hasNoSelector() throws {
        let parsed = try ParameterSelector.parse("/orders/db")
        XCTAssertEqual(parsed.name.rawValue, "/orders/db")
        XCTAssertNil(parsed.selector)
    }

    func testNumberAfterColon_selectsVersion_labelSelectsLabel() throws {
        XCTAssertEqual(try ParameterSelector.parse("/orders/db:3").selector, .version(3))
        XCTAssertEqual(try ParameterSelector.parse("/orders/db:prod").selector, .label(try ParameterLabel("prod")))
        XCTAssertEqual(ParameterSelector.version(3).text, ":3")
    }

    func testVersionZero_andBadLabel_areRefused() {
        XCTAssertThrowsError(try ParameterSelector.parse("/orders/db:0"))
        XCTAssertThrowsError(try ParameterSelector.parse("/orders/db:awsLabel"))
        XCTAssertThrowsError(try ParameterSelector.parse("/orders/db:a b"))
    }

    func testLabelRules_followSSM() {
        XCTAssertNoThrow(try ParameterLabel("release-2.1_b"))
        XCTAssertThrowsError(try ParameterLabel("2fast"))
        XCTAssertThrowsError(try ParameterLabel("ssmX"))
        XCTAssertThrowsError(try ParameterLabel(String(repeating: "a", count: 101)))
    }
}

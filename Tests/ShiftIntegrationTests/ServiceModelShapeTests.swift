import Foundation
import ShiftTestSupport
import XCTest

/// The checker the JSON-output tests rely on: it must find what breaks a shape, or those tests cannot fail.
final class ServiceModelShapeTests: XCTestCase {
    private func violations(_ json: String, _ shape: String = "GetParameterResult") throws -> [String] {
        try ServiceModelShape.ssm(shape).violations(in: Data(json.utf8))
    }

    func testConformingResponse_hasNoViolations() throws {
        XCTAssertEqual(try violations("""
            {"Parameter": {"Name": "/a/b", "Type": "SecureString", "Value": "****", "Version": 2, "Selector": ":2",
             "LastModifiedDate": 1714564800.123, "ARN": "arn:aws:ssm:local:000000000000:parameter/a/b", "DataType": "text"}}
            """), [])
    }

    func testUnknownKey_isAViolation_butAShiftObjectIsNot() throws {
        XCTAssertEqual(try violations(#"{"Parameter": {"Name": "/a", "Shift": {"Labels": []}}}"#), [])
        let found = try violations(#"{"Parameter": {"Name": "/a", "Labels": ["prod"], "Shift": "x"}}"#)
        XCTAssertEqual(found.count, 2, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("$.Parameter.Labels: not a member of Parameter") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("$.Parameter.Shift: expected an object") }, "\(found)")
    }

    func testWrongTypes_areViolations_withTheirPaths() throws {
        let found = try violations(#"{"Parameter": {"Version": true, "LastModifiedDate": "2026-01-01T00:00:00Z", "Type": "Secret", "Value": 3}}"#)
        XCTAssertEqual(found.sorted(), [
            "$.Parameter.LastModifiedDate: expected seconds since 1970 as a number (json protocol) (shape DateTime), found a string",
            "$.Parameter.Type: expected one of String, StringList, SecureString (shape ParameterType), found a string",
            "$.Parameter.Value: expected a string (shape PSParameterValue), found a number",
            "$.Parameter.Version: expected a whole number (shape PSParameterVersion), found a boolean",
        ])
    }

    func testListMembers_areCheckedEach() throws {
        let found = try violations(#"{"Parameters": [{"Name": "/a", "Version": 1}, {"Name": "/b", "Value": ""}]}"#, "DescribeParametersResult")
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertTrue(found.first?.hasPrefix("$.Parameters[1].Value: not a member of ParameterMetadata") == true, "\(found)")
    }
}

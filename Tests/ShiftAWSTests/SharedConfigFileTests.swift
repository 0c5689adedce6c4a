import Foundation
import ShiftAWS
import ShiftTestSupport
import XCTest

final class SharedConfigFileTests: XCTestCase {
    func testParse_readsProfilesFromBothSectionForms() throws {
        let file = try SharedConfigFile(parsing: """
            # shared config
            [default]
            region = us-east-1

            [profile prod]
            region=eu-west-1
            Output = json
            s3 =
              max_concurrent_requests = 20
            ; a comment
            [staging]
            region = eu-central-1
            """, path: "config")
        XCTAssertEqual(file.profiles["default"]?.values, ["region": "us-east-1"])
        XCTAssertEqual(file.profiles["prod"]?.values, ["region": "eu-west-1", "output": "json", "s3": ""])
        XCTAssertEqual(file.profiles["prod"]?.line, 5)
        XCTAssertEqual(file.profiles["staging"]?.values["region"], "eu-central-1")
    }

    func testParse_lineWithoutEquals_namesFileAndLine_butNotTheLine() {
        XCTAssertThrowsError(try SharedConfigFile(parsing: "[default]\naws_secret_access_key wJalrXUtnFEMI\n", path: "/home/u/.aws/credentials")) { error in
            XCTAssertEqual(
                error as? AWSPlatformError,
                .malformedConfigFile(file: "/home/u/.aws/credentials", line: 2, detail: "line has no '='"))
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertTrue(message.hasPrefix("/home/u/.aws/credentials:2: "), message)
            XCTAssertFalse(message.contains("wJalr"), message)
        }
    }

    func testParse_keyOutsideSection_andUnclosedSection_areErrors() {
        XCTAssertThrowsError(try SharedConfigFile(parsing: "region = x\n", path: "c")) { error in
            XCTAssertEqual(error as? AWSPlatformError, .malformedConfigFile(file: "c", line: 1, detail: "key outside any [section]"))
        }
        XCTAssertThrowsError(try SharedConfigFile(parsing: "\n[profile prod\n", path: "c")) { error in
            XCTAssertEqual(error as? AWSPlatformError, .malformedConfigFile(file: "c", line: 2, detail: "section header has no closing ']'"))
        }
    }

    func testLoad_missingFile_isNil() throws {
        XCTAssertNil(try SharedConfigFile.load(path: "/nonexistent/shift/aws/config"))
    }

    func testLoad_readsAFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.url.appendingPathComponent("credentials").path
        try Data("[default]\naws_access_key_id = AKID\n".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try SharedConfigFile.load(path: path)?.profiles["default"]?.values["aws_access_key_id"], "AKID")
    }
}

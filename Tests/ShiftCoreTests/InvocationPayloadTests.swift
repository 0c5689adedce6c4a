import Foundation
import ShiftCore
import XCTest

final class InvocationPayloadTests: XCTestCase {
    /// A JSON string of exactly `size` bytes.
    private func payload(bytes size: Int, filler: Character = "a") -> Data {
        Data(("\"" + String(repeating: filler, count: size - 2) + "\"").utf8)
    }

    func testSixMegabytes_isAccepted() {
        XCTAssertNoThrow(try InvocationPayload.validate(payload(bytes: 6 * 1024 * 1024)))
    }

    /// Lambda refuses a request payload over 6 MB; shift accepted it locally and sent it to AWS.
    func testOneByteOverSixMegabytes_isBadInput_namingTheSizeNotTheContent() {
        XCTAssertThrowsError(try InvocationPayload.validate(payload(bytes: 6 * 1024 * 1024 + 1, filler: "s"), field: "--payload-file big.json")) { error in
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertTrue(message.hasPrefix("--payload-file big.json is '6291457 bytes'; expected at most 6291456 bytes (6 MB)"), message)
            XCTAssertFalse(message.contains("sss"), "the payload's content is not echoed")
        }
    }

    /// Any one JSON value is an event, as for Lambda; anything else is refused, whatever follows a valid start.
    func testOneJSONValue_isAnEvent_andNothingElseIs() {
        for event in ["{}", #"{"a": [1, 2.5e3, true, null, "é\u00e9"]}"#, "[]", "42", #""text""#, "null", " \n{\"a\":1}\n "] {
            XCTAssertNoThrow(try InvocationPayload.validate(Data(event.utf8)), event)
        }
        for event in ["", "{", "{not json", #"{"a": 1} trailing"#, "{'a': 1}", "NaN", #"{"a": 01}"#, "\u{FEFF}", "{} {}"] {
            XCTAssertThrowsError(try InvocationPayload.validate(Data(event.utf8)), event) { error in
                XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
            }
        }
    }
}

import Foundation
import ShiftAWS
import XCTest

final class AWSCredentialsTests: XCTestCase {
    static let secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
    static let token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN"

    func testDescription_masksTheSecretAndTheToken() {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: Self.token)
        XCTAssertEqual(
            credentials.description, "AWSCredentials(accessKeyId: ****MPLE, secretAccessKey: ****, sessionToken: ****)")
        for text in ["\(credentials)", String(reflecting: credentials), String(describing: [credentials]), dumped(credentials)] {
            XCTAssertFalse(text.contains(Self.secret), text)
            XCTAssertFalse(text.contains("wJalr"), text)
            XCTAssertFalse(text.contains(Self.token), text)
        }
    }

    func testDescription_withoutToken_saysNone() {
        let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: Self.secret, sessionToken: "")
        XCTAssertNil(credentials.sessionToken)
        XCTAssertTrue(credentials.description.hasSuffix("sessionToken: none)"))
    }

    private func dumped(_ value: some Any) -> String {
        var text = ""
        dump(value, to: &text)
        return text
    }
}

import Foundation
@testable import ShiftAWS
import XCTest

final class S3WireTests: XCTestCase {
    func testTexts_readsEveryElementOfAName_decodingEntities() {
        let xml = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult><Name>b</Name><Contents><Key>a&amp;b/&#x41;.json</Key></Contents><Contents><Key>c&lt;d</Key></Contents><IsTruncated>true</IsTruncated></ListBucketResult>
            """.utf8)
        XCTAssertEqual(S3Wire.texts(of: "Key", in: xml), ["a&b/A.json", "c<d"])
        XCTAssertEqual(S3Wire.texts(of: "IsTruncated", in: xml), ["true"])
        XCTAssertEqual(S3Wire.texts(of: "Missing", in: xml), [])
    }

    func testErrorCode_comesFromTheErrorDocument() {
        let response = HTTPResponse(status: 412, body: Data("<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message></Error>".utf8))
        let (code, message) = AWSProtocol.restXML.error(in: response)
        XCTAssertEqual(code, "PreconditionFailed")
        XCTAssertEqual(message, "At least one of the pre-conditions you specified did not hold")
        XCTAssertEqual(AWSProtocol.restXML.error(in: HTTPResponse(status: 404)).code, "HTTP404")
    }

    func testPath_encodesKeySegmentsOnce() {
        XCTAssertEqual(S3Client.path("b", "p/deployments/fn:live.json"), "/b/p/deployments/fn%3Alive.json")
        XCTAssertEqual(S3Client.path("b", nil), "/b")
    }
}

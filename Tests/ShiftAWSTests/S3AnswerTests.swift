import Foundation
@testable import ShiftAWS
import XCTest

/// What shift reads of S3's XML answers, through the one XML reader (``XMLElement``).
final class S3AnswerTests: XCTestCase {
    func testListObjectsAnswer_keysAreTheContentsKeys_entitiesDecoded() throws {
        let xml = Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult><Name>b</Name><Prefix>p/</Prefix><Contents><Key>a&amp;b/&#x41;.json</Key></Contents><Contents><Key>c&lt;d</Key></Contents><IsTruncated>true</IsTruncated></ListBucketResult>
            """.utf8)
        let result = try XMLElement.parse(xml)
        XCTAssertEqual(result.children(named: "Contents").compactMap { $0.child("Key")?.text }, ["a&b/A.json", "c<d"])
        XCTAssertEqual(result.child("IsTruncated")?.text, "true")
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

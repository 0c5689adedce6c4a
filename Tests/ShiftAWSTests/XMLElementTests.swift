import ShiftAWS
import XCTest

final class XMLElementTests: XCTestCase {
    func testParse_readsAnS3ListingWithNamespacesEntitiesAndRepeatedChildren() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
          <Name>state</Name>
          <Contents><Key>a&amp;b/1.json</Key><ETag>&quot;abc&quot;</ETag></Contents>
          <!-- a comment -->
          <Contents><Key>caf&#xE9;/&#50;.json</Key><ETag>"def"</ETag></Contents>
          <IsTruncated>false</IsTruncated>
          <Empty/>
        </ListBucketResult>
        """
        let root = try XMLElement.parse(Data(xml.utf8))
        XCTAssertEqual(root.name, "ListBucketResult")
        XCTAssertEqual(root.attributes["xmlns"], "http://s3.amazonaws.com/doc/2006-03-01/")
        XCTAssertEqual(root.child("Name")?.text, "state")
        XCTAssertEqual(root.children(named: "Contents").compactMap { $0.child("Key")?.text }, ["a&b/1.json", "café/2.json"])
        XCTAssertEqual(root.children(named: "Contents").compactMap { $0.child("ETag")?.text }, ["\"abc\"", "\"def\""])
        XCTAssertEqual(root.child("Empty"), XMLElement(name: "Empty"))
        XCTAssertNil(root.child("Missing"))
    }

    func testParse_readsCDATAAndAttributesInSingleQuotes() throws {
        let root = try XMLElement.parse(Data("<a k='v &lt; w'><![CDATA[<not a tag>]]> tail</a>".utf8))
        XCTAssertEqual(root.attributes["k"], "v < w")
        XCTAssertEqual(root.text, "<not a tag> tail")
    }

    func testParse_refusesMalformedDocumentsWithTheOffset() {
        for bad in ["", "<a>", "<a></b>", "<a>x &nope; y</a>", "<!DOCTYPE a><a/>", "<a/><b/>", "<a k=v/>"] {
            XCTAssertThrowsError(try XMLElement.parse(Data(bad.utf8)), bad) { error in
                XCTAssertTrue((error as? LocalizedError)?.errorDescription?.hasPrefix("malformed XML at byte") == true, "\(bad): \(error)")
            }
        }
    }
}

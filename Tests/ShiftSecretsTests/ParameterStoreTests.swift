import Foundation
import ShiftCore
import ShiftSecrets
import ShiftStorage
import XCTest

final class ParameterStoreTests: XCTestCase {
    private var fixture: StoreFixture!
    private var store: ParameterStore { fixture.store }

    override func setUpWithError() throws { fixture = try StoreFixture() }
    override func tearDown() { fixture.remove() }

    func testPutThenGet_returnsSSMGetParameterFields() throws {
        let url = named("/orders/prod/db-url")
        XCTAssertEqual(try store.put(url, value: "postgres://db", description: "the database"), 1)
        let parameter = try store.get(url)
        XCTAssertEqual(parameter.value, "postgres://db")
        XCTAssertEqual(parameter.type, .string)
        XCTAssertEqual(parameter.version, 1)
        XCTAssertEqual(parameter.lastModifiedDate, fixture.clock.now)
        XCTAssertNil(parameter.selector)

        let json = try JSONSerialization.jsonObject(with: JSONFile.encoder().encode(parameter)) as! [String: Any]
        // GetParameter's fields; the labels, which GetParameter does not return, under shift's own key.
        XCTAssertEqual(Set(json.keys), ["Name", "Type", "Value", "Version", "LastModifiedDate", "ARN", "DataType", "Shift"])
        XCTAssertEqual(json["Name"] as? String, "/orders/prod/db-url")
        XCTAssertEqual(json["Type"] as? String, "String")
    }

    func testExistingName_isRefusedWithoutOverwrite_andUnchanged() throws {
        let key = named("/a/key")
        try store.put(key, value: "one")
        XCTAssertThrowsError(try store.put(key, value: "two")) { error in
            XCTAssertEqual(error as? ShiftCoreError, .alreadyExists(kind: "parameter", name: "/a/key", hint: "pass --overwrite to store a new version"))
        }
        XCTAssertEqual(try store.get(key).value, "one")
        XCTAssertEqual(try store.get(key).version, 1)
    }

    func testOverwrite_addsVersionsThatIncreaseByOne_andOldVersionsStayReadable() throws {
        let key = named("/a/key")
        try store.put(key, value: "one")
        fixture.clock.advance(by: 60)
        XCTAssertEqual(try store.put(key, value: "two", overwrite: true), 2)
        XCTAssertEqual(try store.put(key, value: "three", overwrite: true), 3)
        XCTAssertEqual(try store.get(key).value, "three")
        let first = try store.get(key, version: 1)
        XCTAssertEqual(first.value, "one")
        XCTAssertEqual(first.selector, ":1")
        XCTAssertEqual(try store.get(key, version: 2).lastModifiedDate, fixture.clock.now)
        XCTAssertThrowsError(try store.get(key, version: 4)) { error in
            XCTAssertTrue(message(error).contains("'/a/key:4' not found"), message(error))
        }
    }

    func testHistory_listsEveryVersionOldestFirst_withDescriptions() throws {
        let key = named("/a/key")
        try store.put(key, value: "one", description: "first")
        try store.put(key, value: "two", type: .stringList, description: "second", overwrite: true)
        let history = try store.history(key)
        XCTAssertEqual(history.map(\.version), [1, 2])
        XCTAssertEqual(history.map(\.value), ["one", "two"])
        XCTAssertEqual(history.map(\.description), ["first", "second"])
        XCTAssertEqual(history.map(\.type), [.string, .stringList])
    }

    func testLabel_selectsItsVersion_andMovesWhenReattached() throws {
        let key = named("/a/key")
        try store.put(key, value: "one")
        try store.put(key, value: "two", overwrite: true)
        let prod = try ParameterLabel("prod")
        try store.label(key, version: 1, label: prod)
        let labelled = try store.get(key, label: prod)
        XCTAssertEqual(labelled.value, "one")
        XCTAssertEqual(labelled.selector, ":prod")
        XCTAssertEqual(labelled.labels, [prod])

        try store.label(key, version: 2, label: prod)
        XCTAssertEqual(try store.get(key, label: prod).value, "two")
        XCTAssertEqual(try store.history(key).map(\.labels), [[], [prod]])
        XCTAssertThrowsError(try store.get(key, label: try ParameterLabel("missing")))
        XCTAssertThrowsError(try store.label(key, version: 9, label: prod))
    }

    func testVersionAndLabelTogether_isRefused() throws {
        let key = named("/a/key")
        try store.put(key, value: "one")
        XCTAssertThrowsError(try store.get(key, version: 1, label: try ParameterLabel("prod")))
    }

    func testList_byPathOneLevelOrRecursive_sortedByName() throws {
        for text in ["/orders/prod/url", "/orders/prod/db/password", "/orders/dev/url", "/billing/url", "flat"] {
            try store.put(named(text), value: "v")
        }
        XCTAssertEqual(try store.list().map(\.name.rawValue), ["/billing/url", "/orders/dev/url", "/orders/prod/db/password", "/orders/prod/url", "flat"])
        XCTAssertEqual(try store.list(path: "/orders/prod").map(\.name.rawValue), ["/orders/prod/url"])
        XCTAssertEqual(try store.list(path: "/orders/", recursive: true).map(\.name.rawValue), ["/orders/dev/url", "/orders/prod/db/password", "/orders/prod/url"])
        XCTAssertThrowsError(try store.list(path: "orders"))
    }

    func testList_showsLatestVersionAndNeverAValue() throws {
        let key = named("/a/secret")
        try store.put(key, value: "s1", type: .secureString)
        try store.put(key, value: "s2", type: .secureString, description: "rotated", overwrite: true)
        let listed = try XCTUnwrap(store.list().first)
        XCTAssertEqual(listed.version, 2)
        XCTAssertEqual(listed.description, "rotated")
        let json = String(decoding: try JSONFile.encoder().encode(listed), as: UTF8.self)
        XCTAssertFalse(json.contains("s2"))
    }

    func testDelete_removesEveryVersion_andMissingIsNotFound() throws {
        let key = named("/a/key")
        try store.put(key, value: "one")
        try store.put(key, value: "two", overwrite: true)
        try store.delete(key)
        XCTAssertThrowsError(try store.get(key)) { error in
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
            XCTAssertTrue(message(error).contains("parameter '/a/key' not found"), message(error))
        }
        XCTAssertThrowsError(try store.delete(key))
        XCTAssertEqual(try store.put(key, value: "again"), 1)
    }

    func testSecureString_isMaskedUnlessDecrypt() throws {
        let key = named("/orders/prod/db-password")
        try store.put(key, value: "hunter2", type: .secureString)
        XCTAssertEqual(try store.get(key).value, "****")
        XCTAssertEqual(try store.history(key).map(\.value), ["****"])
        XCTAssertEqual(try store.get(key, decrypt: true).value, "hunter2")
        XCTAssertEqual(try store.history(key, decrypt: true).map(\.value), ["hunter2"])
        XCTAssertEqual(try store.get(named("/orders/prod/db-password"), decrypt: true).type, .secureString)
    }

    func testEmptyOrOversizedValue_isRefusedWithoutQuotingIt() throws {
        let big = String(repeating: "S", count: ParameterStore.maximumValueBytes + 1)
        XCTAssertThrowsError(try store.put(named("/a"), value: big, type: .secureString)) { error in
            XCTAssertFalse(message(error).contains("SSSS"))
            XCTAssertTrue(message(error).contains("8193 bytes"), message(error))
        }
        XCTAssertThrowsError(try store.put(named("/a"), value: ""))
    }

    func testLongName_isStoredUnderAHashedFileName() throws {
        let long = named("/" + String(repeating: "x", count: 1010))
        try store.put(long, value: "v")
        XCTAssertEqual(try store.get(long).value, "v")
        XCTAssertLessThan(store.file(for: long).lastPathComponent.count, 255)
        XCTAssertEqual(try store.list().map(\.name), [long])
    }

    func testFileModes_are0600_andDirectory0700() throws {
        let key = named("/a/secret")
        try store.put(key, value: "s", type: .secureString)
        XCTAssertEqual(try mode(of: store.parametersDirectory), 0o700)
        XCTAssertEqual(try mode(of: store.file(for: key)), 0o600)
        XCTAssertEqual(try mode(of: store.keyringFile), 0o600)
        try store.put(key, value: "t", type: .secureString, overwrite: true)
        XCTAssertEqual(try mode(of: store.file(for: key)), 0o600)
    }

    func testConcurrentPutsFromSeveralThreads_loseNoVersion() throws {
        let key = named("/race/counter")
        let store = self.store
        let writers = 6, each = 8
        let failures = FailureCount()
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for index in 0..<each {
                do {
                    try store.put(key, value: "w\(writer)-\(index)", type: .secureString, overwrite: true)
                } catch {
                    failures.add()
                }
            }
        }
        XCTAssertEqual(failures.count, 0)
        let history = try store.history(key, decrypt: true)
        XCTAssertEqual(history.map(\.version), Array(1...(writers * each)))
        XCTAssertEqual(Set(history.map(\.value)).count, writers * each)
    }

    private func mode(of url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as! NSNumber).intValue & 0o777
    }
}

/// Counts failures from concurrent writers.
private final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func add() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
}

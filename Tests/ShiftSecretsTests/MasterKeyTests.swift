import Foundation
import ShiftCore
import ShiftSecrets
import ShiftTestSupport
import XCTest

final class MasterKeyTests: XCTestCase {
    private var temporary: TemporaryDirectory!

    override func setUpWithError() throws { temporary = try TemporaryDirectory("shift-key") }
    override func tearDown() { temporary.remove() }

    func testEnvironmentKey_mustBeBase64Of32Bytes() throws {
        let good = Data(repeating: 7, count: 32).base64EncodedString()
        XCTAssertEqual(try MasterKey.fromEnvironment(["SHIFT_MASTER_KEY": good])?.source, "SHIFT_MASTER_KEY")
        XCTAssertNil(try MasterKey.fromEnvironment([:]))
        XCTAssertThrowsError(try MasterKey.fromEnvironment(["SHIFT_MASTER_KEY": Data(count: 16).base64EncodedString()])) { error in
            XCTAssertTrue(message(error).contains("16 bytes; expected 32"), message(error))
        }
        XCTAssertThrowsError(try MasterKey.fromEnvironment(["SHIFT_MASTER_KEY": "not base64!"])) { error in
            XCTAssertFalse(message(error).contains("not base64!"))
        }
    }

    func testCreateKeyFile_is0600_inA0700Directory_andLoadsBack() throws {
        let url = temporary.url.appendingPathComponent("keys/master.key")
        let created = try MasterKey.createKeyFile(at: url)
        XCTAssertEqual(try mode(of: url), 0o600)
        XCTAssertEqual(try mode(of: url.deletingLastPathComponent()), 0o700)
        let loaded = try MasterKey.loadKeyFile(at: url)
        XCTAssertEqual(loaded.source, "key file \(url.path)")

        // Both open the same store.
        let fixture = try StoreFixture(masterKey: created)
        defer { fixture.remove() }
        try fixture.store.put(named("/a"), value: "s", type: .secureString)
        XCTAssertEqual(try fixture.store(with: loaded).get(named("/a"), decrypt: true).value, "s")
    }

    func testCreateKeyFile_refusesToOverwrite() throws {
        let url = temporary.url.appendingPathComponent("master.key")
        _ = try MasterKey.createKeyFile(at: url)
        let before = try Data(contentsOf: url)
        XCTAssertThrowsError(try MasterKey.createKeyFile(at: url)) { error in
            XCTAssertEqual(error as? SecretsError, .keyFileExists(path: url.path))
        }
        XCTAssertEqual(try Data(contentsOf: url), before)
    }

    func testKeyFileReadableByGroupOrOthers_isRefusedSayingChmod600() throws {
        let url = temporary.url.appendingPathComponent("master.key")
        _ = try MasterKey.createKeyFile(at: url)
        for loose in [0o640, 0o604, 0o660] {
            try FileManager.default.setAttributes([.posixPermissions: loose], ofItemAtPath: url.path)
            XCTAssertThrowsError(try MasterKey.loadKeyFile(at: url)) { error in
                XCTAssertEqual((error as? SecretsError)?.category, .badInput)
                XCTAssertTrue(message(error).contains("chmod 600 \(url.path)"), message(error))
                XCTAssertTrue(message(error).contains(String(format: "0%o", loose)), message(error))
            }
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: url.path)
        XCTAssertNoThrow(try MasterKey.loadKeyFile(at: url))
    }

    func testMissingOrMalformedKeyFile_isAClearError() throws {
        let missing = temporary.url.appendingPathComponent("none.key")
        XCTAssertThrowsError(try MasterKey.loadKeyFile(at: missing)) { error in
            XCTAssertTrue(message(error).contains("shift key init"), message(error))
        }
        let garbage = temporary.url.appendingPathComponent("garbage.key")
        try Data("hello".utf8).write(to: garbage)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: garbage.path)
        XCTAssertThrowsError(try MasterKey.loadKeyFile(at: garbage))
    }

    func testEmptyPassphrase_isRefused() {
        XCTAssertThrowsError(try MasterKey.passphrase(""))
        XCTAssertTrue((try? MasterKey.passphrase("x"))?.isPassphrase == true)
    }

    private func mode(of url: URL) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        return (attributes[.posixPermissions] as! NSNumber).intValue & 0o777
    }
}

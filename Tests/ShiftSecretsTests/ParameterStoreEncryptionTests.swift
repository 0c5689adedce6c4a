import Foundation
import ShiftCore
import ShiftSecrets
import XCTest

final class ParameterStoreEncryptionTests: XCTestCase {
    private var fixture: StoreFixture!
    private var store: ParameterStore { fixture.store }
    private let password = named("/orders/prod/db-password")
    private let token = named("/orders/prod/api-token")

    override func setUpWithError() throws { fixture = try StoreFixture() }
    override func tearDown() { fixture.remove() }

    func testNoPlaintextMarker_anywhereUnderTheStateDirectory() throws {
        let marker = "MARKER-7f3a9c-plaintext-must-not-hit-disk"
        try store.put(password, value: marker, type: .secureString, description: "db")
        try store.put(password, value: marker + "-v2", type: .secureString, overwrite: true)
        try store.label(password, version: 1, label: ParameterLabel("prod"))
        XCTAssertEqual(try store.get(password, version: 1, decrypt: true).value, marker)

        let enumerator = try XCTUnwrap(FileManager.default.enumerator(at: fixture.temporary.url, includingPropertiesForKeys: nil))
        var filesSearched = 0
        for case let url as URL in enumerator where !url.hasDirectoryPath {
            let data = try Data(contentsOf: url)
            XCTAssertNil(data.range(of: Data(marker.utf8)), "plaintext found in \(url.path)")
            XCTAssertNil(data.range(of: Data(Data(marker.utf8).base64EncodedString().utf8)), "base64 plaintext found in \(url.path)")
            filesSearched += 1
        }
        XCTAssertGreaterThanOrEqual(filesSearched, 2)
    }

    func testCiphertextMovedToAnotherName_failsToOpen() throws {
        try store.put(password, value: "hunter2", type: .secureString)
        try store.put(token, value: "tok-123", type: .secureString)
        try fixture.replaceSealedValue(of: token, version: 1, with: fixture.sealedValue(of: password, version: 1))
        XCTAssertThrowsError(try store.get(token, decrypt: true)) { error in
            XCTAssertEqual(error as? SecretsError, .undecryptable(parameter: token.rawValue, version: 1, file: store.file(for: token).path))
            XCTAssertEqual((error as? SecretsError)?.category, .badInput, "a damaged state file exits 2, as the README says")
            XCTAssertFalse(message(error).contains("hunter2"))
        }
        XCTAssertEqual(try store.get(password, decrypt: true).value, "hunter2")
    }

    func testCiphertextMovedToAnotherVersion_failsToOpen() throws {
        try store.put(password, value: "old-secret", type: .secureString)
        try store.put(password, value: "new-secret", type: .secureString, overwrite: true)
        try fixture.replaceSealedValue(of: password, version: 2, with: fixture.sealedValue(of: password, version: 1))
        XCTAssertThrowsError(try store.get(password, decrypt: true)) { error in
            XCTAssertTrue(message(error).contains("'\(password)' version 2 cannot be decrypted"), message(error))
        }
        XCTAssertEqual(try store.get(password, version: 1, decrypt: true).value, "old-secret")
    }

    func testFlippedByteInCiphertext_isAClearErrorNamingTheParameter_othersStillRead() throws {
        try store.put(password, value: "hunter2", type: .secureString)
        try store.put(token, value: "tok-123", type: .secureString)
        var sealed = try XCTUnwrap(Data(base64Encoded: fixture.sealedValue(of: password, version: 1)))
        sealed[sealed.count / 2] ^= 0x01
        try fixture.replaceSealedValue(of: password, version: 1, with: sealed.base64EncodedString())
        XCTAssertThrowsError(try store.get(password, decrypt: true)) { error in
            XCTAssertTrue(message(error).contains("parameter '/orders/prod/db-password' version 1 cannot be decrypted"), message(error))
            XCTAssertEqual((error as? SecretsError)?.category, .badInput, "a damaged state file exits 2")
        }
        XCTAssertEqual(try store.get(token, decrypt: true).value, "tok-123")
    }

    func testFlippedByteAnywhereInTheFile_neverYieldsAnotherValue() throws {
        try store.put(password, value: "hunter2", type: .secureString)
        let url = store.file(for: password)
        let original = try Data(contentsOf: url)
        for offset in stride(from: 0, to: original.count, by: 7) {
            var tampered = original
            tampered[offset] ^= 0x01
            try tampered.write(to: url)
            if let value = try? store.get(password, decrypt: true).value {
                // A flip outside the ciphertext (e.g. in the description or a date) may leave it readable, never different.
                XCTAssertEqual(value, "hunter2", "offset \(offset)")
            }
        }
    }

    func testTruncatedFile_isAClearErrorNamingTheFile_othersStillRead() throws {
        try store.put(password, value: "hunter2", type: .secureString)
        try store.put(token, value: "tok-123", type: .secureString)
        let url = store.file(for: password)
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        XCTAssertThrowsError(try store.get(password, decrypt: true)) { error in
            XCTAssertTrue(message(error).contains(url.path), message(error))
            XCTAssertTrue(message(error).contains("truncated"), message(error))
        }
        XCTAssertEqual(try store.get(token, decrypt: true).value, "tok-123")
        XCTAssertThrowsError(try store.list())
        var reported: [String] = []
        let listed = try store.list { reported.append(message($0)) }
        XCTAssertEqual(listed.map(\.name), [token], "the readable parameter is still listed")
        XCTAssertEqual(reported.count, 1)
        XCTAssertTrue(reported.first?.contains(url.path) == true, "\(reported)")
    }

    func testTruncatedKeyring_isAClearErrorNamingIt_plainParametersStillRead() throws {
        try store.put(password, value: "hunter2", type: .secureString)
        try store.put(named("/orders/prod/url"), value: "https://x")
        let data = try Data(contentsOf: store.keyringFile)
        try data.prefix(data.count - 40).write(to: store.keyringFile)
        XCTAssertThrowsError(try store.get(password, decrypt: true)) { error in
            XCTAssertTrue(message(error).contains(".keyring.json"), message(error))
        }
        XCTAssertEqual(try store.get(named("/orders/prod/url")).value, "https://x")
        XCTAssertEqual(try store.get(password).value, "****")
    }

    func testWrongMasterKey_isAClearErrorNamingTheKeyring() throws {
        try store.put(password, value: "hunter2", type: .secureString)
        let other = fixture.store(with: .generate())
        XCTAssertThrowsError(try other.get(password, decrypt: true)) { error in
            XCTAssertEqual(error as? SecretsError, .wrongMasterKey(keyring: store.keyringFile.path, source: "a generated key"))
            XCTAssertTrue(message(error).contains("does not open"), message(error))
        }
        XCTAssertThrowsError(try other.put(token, value: "x", type: .secureString))
        XCTAssertEqual(try other.get(password).value, "****")
    }

    func testRotateMasterKey_valuesStillDecrypt_ciphertextsUntouched_oldKeyFails() throws {
        try store.put(password, value: "hunter2", type: .secureString)
        try store.put(password, value: "hunter3", type: .secureString, overwrite: true)
        let before = try Data(contentsOf: store.file(for: password))
        let newKey = MasterKey.generate()
        let rotated = try store.rotateMasterKey(to: newKey)
        XCTAssertEqual(try rotated.get(password, version: 1, decrypt: true).value, "hunter2")
        XCTAssertEqual(try rotated.get(password, decrypt: true).value, "hunter3")
        XCTAssertEqual(try Data(contentsOf: store.file(for: password)), before)
        XCTAssertThrowsError(try store.get(password, decrypt: true)) { error in
            guard case .wrongMasterKey? = error as? SecretsError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try fixture.store(with: newKey).put(token, value: "t", type: .secureString), 1)
    }

    func testPassphrase_storesKDFParameters_andWrongPassphraseIsAClearError() throws {
        let passphraseFixture = try StoreFixture(masterKey: .passphrase("correct horse battery staple"))
        defer { passphraseFixture.remove() }
        let store = passphraseFixture.store
        try store.put(password, value: "hunter2", type: .secureString)
        XCTAssertEqual(try store.get(password, decrypt: true).value, "hunter2")

        let keyring = try JSONSerialization.jsonObject(with: Data(contentsOf: store.keyringFile)) as! [String: Any]
        let derivation = try XCTUnwrap(keyring["keyDerivation"] as? [String: Any])
        XCTAssertEqual(derivation["algorithm"] as? String, "PBKDF2-SHA256")
        XCTAssertGreaterThanOrEqual(derivation["iterations"] as? Int ?? 0, 600_000)
        XCTAssertEqual(Data(base64Encoded: derivation["salt"] as? String ?? "")?.count, 16)

        let wrong = passphraseFixture.store(with: try .passphrase("incorrect horse"))
        XCTAssertThrowsError(try wrong.get(password, decrypt: true)) { error in
            XCTAssertEqual(error as? SecretsError, .wrongMasterKey(keyring: store.keyringFile.path, source: "passphrase"))
        }
        XCTAssertThrowsError(try passphraseFixture.store(with: .generate()).get(password, decrypt: true)) { error in
            guard case .masterKeyKindMismatch? = error as? SecretsError else { return XCTFail("\(error)") }
        }
    }

    func testLoweredIterationCount_isRefused() throws {
        let passphraseFixture = try StoreFixture(masterKey: .passphrase("correct horse battery staple"))
        defer { passphraseFixture.remove() }
        let store = passphraseFixture.store
        try store.put(password, value: "hunter2", type: .secureString)
        var keyring = try JSONSerialization.jsonObject(with: Data(contentsOf: store.keyringFile)) as! [String: Any]
        var derivation = keyring["keyDerivation"] as! [String: Any]
        derivation["iterations"] = 1000
        keyring["keyDerivation"] = derivation
        try JSONSerialization.data(withJSONObject: keyring).write(to: store.keyringFile)
        XCTAssertThrowsError(try passphraseFixture.store(with: try .passphrase("correct horse battery staple")).get(password, decrypt: true)) { error in
            XCTAssertTrue(message(error).contains("weaker than 600000 iterations"), message(error))
        }
    }
}

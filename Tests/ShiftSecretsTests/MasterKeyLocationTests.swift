import Foundation
import ShiftCore
import ShiftSecrets
import ShiftStorage
import ShiftTestSupport
import XCTest

final class MasterKeyLocationTests: XCTestCase {
    private var temporary: TemporaryDirectory!
    private let clock = ManualClock()
    private let password = named("/orders/prod/db-password")

    override func setUpWithError() throws { temporary = try TemporaryDirectory("shift-rotate") }
    override func tearDown() { temporary.remove() }

    private func account(_ name: String) throws -> StateDirectory {
        try StateDirectory(root: temporary.url.appendingPathComponent("state"), account: name)
    }

    private func store(_ directory: StateDirectory, _ key: MasterKey) -> ParameterStore {
        ParameterStore(directory: directory, masterKey: key, clock: clock)
    }

    /// Two accounts share one key file outside the state directory (`SHIFT_KEY_FILE`); a third has its own key.
    func testRotateSharedKeyFile_rewrapsEveryAccountTheOldKeyOpens_andTheOldKeyOpensNone() throws {
        let (a, b, c) = (try account("a"), try account("b"), try account("c"))
        let location = MasterKeyLocation(keyFile: temporary.url.appendingPathComponent("outside/shared.key").path, state: a, environment: [:])
        let oldKey = try location.initialize()
        let ownKey = MasterKey.generate()
        _ = try store(a, oldKey).put(password, value: "alpha", type: .secureString)
        _ = try store(b, oldKey).put(password, value: "beta", type: .secureString)
        _ = try store(c, ownKey).put(password, value: "gamma", type: .secureString)
        try FileManager.default.createDirectory(at: try account("d").accountDirectory, withIntermediateDirectories: true)

        let rotation = try location.rotate(in: a, clock: clock)

        XCTAssertEqual(rotation.rewrapped, ["a", "b"])
        XCTAssertEqual(Array(rotation.untouched.keys), ["c"], "d has no keyring: nothing to re-wrap, nothing to report")
        let newKey = try location.load()
        for (directory, value) in [(a, "alpha"), (b, "beta")] {
            XCTAssertEqual(try store(directory, newKey).get(password, decrypt: true).value, value, directory.account)
            XCTAssertThrowsError(try store(directory, oldKey).get(password, decrypt: true), directory.account) { error in
                guard case .wrongMasterKey? = error as? SecretsError else { return XCTFail("\(error)") }
            }
        }
        XCTAssertEqual(try store(c, ownKey).get(password, decrypt: true).value, "gamma", "an account under another key is left as it was")
        XCTAssertFalse(FileManager.default.fileExists(atPath: try account("d").accountDirectory.appendingPathComponent("parameters").path))
    }

    func testRotate_whenTheOldKeyDoesNotOpenItsOwnAccount_changesNothing() throws {
        let (a, b) = (try account("a"), try account("b"))
        let location = MasterKeyLocation(keyFile: temporary.url.appendingPathComponent("outside/shared.key").path, state: a, environment: [:])
        let oldKey = try location.initialize()
        _ = try store(a, .generate()).put(password, value: "alpha", type: .secureString)
        _ = try store(b, oldKey).put(password, value: "beta", type: .secureString)
        let keyring = try Data(contentsOf: store(b, oldKey).keyringFile)

        XCTAssertThrowsError(try location.rotate(in: a, clock: clock)) { error in
            guard case .wrongMasterKey? = error as? SecretsError else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try Data(contentsOf: store(b, oldKey).keyringFile), keyring)
        XCTAssertEqual(try store(b, location.load()).get(password, decrypt: true).value, "beta")
        XCTAssertFalse(FileManager.default.fileExists(atPath: location.keyFile.appendingPathExtension("new").path))
    }

    func testRotateEnvironmentKey_toANewPassphrase_rewrapsAndTheOldKeyOpensNothing() throws {
        let a = try account("a")
        let oldText = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let old = try MasterKey(base64: oldText, source: "test")
        _ = try store(a, old).put(password, value: "alpha", type: .secureString)

        let refused = MasterKeyLocation(keyFile: nil, state: a, environment: ["SHIFT_MASTER_KEY": oldText])
        XCTAssertThrowsError(try refused.rotate(in: a, clock: clock)) { error in
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("SHIFT_NEW_MASTER_KEY") ?? false, "\(error)")
            XCTAssertFalse("\(error)".contains(oldText))
        }

        let location = MasterKeyLocation(keyFile: nil, state: a, environment: ["SHIFT_MASTER_KEY": oldText, "SHIFT_NEW_PASSPHRASE": "correct horse battery staple"])
        XCTAssertEqual(try location.rotate(in: a, clock: clock).rewrapped, ["a"])
        let newKey = try MasterKeyLocation(keyFile: nil, state: a, environment: ["SHIFT_PASSPHRASE": "correct horse battery staple"]).load()
        XCTAssertEqual(try store(a, newKey).get(password, decrypt: true).value, "alpha")
        XCTAssertThrowsError(try store(a, old).get(password, decrypt: true))
        XCTAssertFalse(FileManager.default.fileExists(atPath: location.keyFile.path), "no key file is made for an environment key")
    }
}

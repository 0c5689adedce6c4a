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

    // MARK: An interrupted rotation

    /// Accounts a and b share a key file; a rotation was killed after re-wrapping a's keyring only.
    private func interruptedRotation() throws -> (location: MasterKeyLocation, old: MasterKey, staged: MasterKey, a: StateDirectory, b: StateDirectory) {
        let (a, b) = (try account("a"), try account("b"))
        let location = MasterKeyLocation(keyFile: temporary.url.appendingPathComponent("outside/shared.key").path, state: b, environment: [:])
        let old = try location.initialize()
        _ = try store(a, old).put(password, value: "alpha", type: .secureString)
        _ = try store(b, old).put(password, value: "beta", type: .secureString)
        let staged = try MasterKey.createKeyFile(at: location.stagedKeyFile)
        _ = try store(a, old).rotateMasterKey(to: staged)
        return (location, old, staged, a, b)
    }

    func testRotate_afterAKillBetweenTwoAccounts_finishesWithTheStagedKey_neverReplacingIt() throws {
        let (location, _, staged, a, b) = try interruptedRotation()
        let stagedBytes = try Data(contentsOf: location.stagedKeyFile)

        let rotation = try location.rotate(in: b, clock: clock)

        XCTAssertTrue(rotation.finishedInterrupted)
        XCTAssertEqual(rotation.rewrapped, ["a", "b"])
        XCTAssertEqual(try Data(contentsOf: location.keyFile), stagedBytes, "the staged key, which alone opens a, became the key file")
        XCTAssertFalse(FileManager.default.fileExists(atPath: location.stagedKeyFile.path))
        for (directory, value) in [(a, "alpha"), (b, "beta")] {
            XCTAssertEqual(try store(directory, staged).get(password, decrypt: true).value, value, directory.account)
            XCTAssertEqual(try store(directory, location.load()).get(password, decrypt: true).value, value, directory.account)
        }
    }

    func testRotate_afterAKillBeforeTheKeyFileRename_onlyRenames() throws {
        let (location, old, staged, a, b) = try interruptedRotation()
        _ = try store(b, old).rotateMasterKey(to: staged)
        let keyrings = try [a, b].map { try Data(contentsOf: store($0, staged).keyringFile) }

        let rotation = try location.rotate(in: a, clock: clock)

        XCTAssertTrue(rotation.finishedInterrupted)
        XCTAssertEqual(try [a, b].map { try Data(contentsOf: store($0, staged).keyringFile) }, keyrings, "nothing was re-wrapped again")
        XCTAssertEqual(try store(b, location.load()).get(password, decrypt: true).value, "beta")
        XCTAssertFalse(FileManager.default.fileExists(atPath: location.stagedKeyFile.path))
    }

    func testRotate_afterAKillBeforeAnyKeyringWasRewrapped_usesTheStagedKey() throws {
        let a = try account("a")
        let location = MasterKeyLocation(keyFile: temporary.url.appendingPathComponent("k.key").path, state: a, environment: [:])
        let old = try location.initialize()
        _ = try store(a, old).put(password, value: "alpha", type: .secureString)
        let stagedBytes = try { _ = try MasterKey.createKeyFile(at: location.stagedKeyFile); return try Data(contentsOf: location.stagedKeyFile) }()

        XCTAssertFalse(try location.rotate(in: a, clock: clock).rewrapped.isEmpty)
        XCTAssertEqual(try Data(contentsOf: location.keyFile), stagedBytes)
        XCTAssertEqual(try store(a, location.load()).get(password, decrypt: true).value, "alpha")
    }

    func testRotate_whenOnlyTheStagedKeyIsLeft_finishesWithIt() throws {
        let (location, old, staged, a, b) = try interruptedRotation()
        _ = try store(b, old).rotateMasterKey(to: staged)
        try FileManager.default.removeItem(at: location.keyFile)
        XCTAssertThrowsError(try location.load()) { error in
            XCTAssertTrue(message(error).contains(location.stagedKeyFile.path) && message(error).contains("shift key rotate"), message(error))
        }
        _ = try location.rotate(in: a, clock: clock)
        XCTAssertEqual(try store(a, location.load()).get(password, decrypt: true).value, "alpha")
    }

    func testWrongKeyError_duringAnUnfinishedRotation_namesTheStagedKeyAndTheCommandThatFinishesIt() throws {
        let (location, _, _, a, _) = try interruptedRotation()
        XCTAssertThrowsError(try store(a, location.load()).get(password, decrypt: true)) { error in
            guard case .wrongMasterKey? = error as? SecretsError else { return XCTFail("\(error)") }
            XCTAssertTrue(message(error).contains(location.stagedKeyFile.path), message(error))
            XCTAssertTrue(message(error).contains("shift key rotate"), message(error))
        }
        // Without a staged key, the message is the plain one.
        let lone = try account("lone")
        _ = try store(lone, .generate()).put(password, value: "x", type: .secureString)
        XCTAssertThrowsError(try store(lone, MasterKeyLocation(keyFile: temporary.url.appendingPathComponent("other.key").path, state: lone, environment: [:]).initialize()).get(password, decrypt: true)) { error in
            XCTAssertFalse(message(error).contains("shift key rotate"), message(error))
        }
    }

    func testRotateEnvironmentKey_interrupted_runAgainWithTheSameVariablesFinishes() throws {
        let (a, b) = (try account("a"), try account("b"))
        let oldText = Data((0..<32).map { UInt8($0) }).base64EncodedString()
        let old = try MasterKey(base64: oldText, source: "test")
        _ = try store(a, old).put(password, value: "alpha", type: .secureString)
        _ = try store(b, old).put(password, value: "beta", type: .secureString)
        let newPassphrase = try MasterKey.passphrase("correct horse battery staple")
        _ = try store(a, old).rotateMasterKey(to: newPassphrase)
        let environment = ["SHIFT_MASTER_KEY": oldText, "SHIFT_NEW_PASSPHRASE": "correct horse battery staple"]

        // What the interrupted state looks like to a reader still using the old key.
        XCTAssertThrowsError(try store(a, MasterKeyLocation(keyFile: nil, state: a, environment: ["SHIFT_MASTER_KEY": oldText]).load()).get(password, decrypt: true)) { error in
            XCTAssertTrue(message(error).contains("SHIFT_NEW_PASSPHRASE") && message(error).contains("shift key rotate"), message(error))
        }

        let rotation = try MasterKeyLocation(keyFile: nil, state: b, environment: environment).rotate(in: b, clock: clock)
        XCTAssertTrue(rotation.finishedInterrupted)
        XCTAssertEqual(rotation.rewrapped, ["a", "b"])
        let newKey = try MasterKeyLocation(keyFile: nil, state: a, environment: ["SHIFT_PASSPHRASE": "correct horse battery staple"]).load()
        for (directory, value) in [(a, "alpha"), (b, "beta")] {
            XCTAssertEqual(try store(directory, newKey).get(password, decrypt: true).value, value, directory.account)
        }
    }
}

import Foundation
import ShiftCore
import ShiftStorage

/// Where the master key of an account comes from, in order: `SHIFT_MASTER_KEY` (base64 of 32 bytes),
/// `SHIFT_PASSPHRASE` (through PBKDF2), else a key file: the one given, `$SHIFT_KEY_FILE`, or
/// `<state-dir>/keys/<account>.key`.
public struct MasterKeyLocation: Sendable, Equatable {
    public let keyFile: URL
    let environment: [String: String]

    public init(keyFile: String?, state: StateDirectory, environment: [String: String]) {
        if let path = keyFile ?? environment["SHIFT_KEY_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            self.keyFile = URL(fileURLWithPath: path).standardizedFileURL
        } else {
            self.keyFile = state.root.appendingPathComponent("keys").appendingPathComponent("\(state.account).key")
        }
        self.environment = environment
    }

    /// Whether the key comes from the environment rather than the key file.
    public var isFromEnvironment: Bool {
        environment["SHIFT_MASTER_KEY"].map { !$0.isEmpty } == true || environment["SHIFT_PASSPHRASE"].map { !$0.isEmpty } == true
    }

    /// The master key.
    /// - Throws: `SecretsError.invalidMasterKey`, `SecretsError.insecureKeyFile`, or an I/O error naming the key file
    ///   and saying to run `shift key init`.
    public func load() throws -> MasterKey {
        if let key = try MasterKey.fromEnvironment(environment) { return key }
        if let passphrase = environment["SHIFT_PASSPHRASE"], !passphrase.isEmpty { return try MasterKey.passphrase(passphrase) }
        guard FileManager.default.fileExists(atPath: keyFile.path) else {
            let staged = keyFile.appendingPathExtension("new")
            let hint = FileManager.default.fileExists(atPath: staged.path)
                ? "a rotation was interrupted: move \(staged.path) over it"
                : "create one with 'shift key init', or set SHIFT_MASTER_KEY, SHIFT_PASSPHRASE or --key-file"
            throw SecretsError.invalidMasterKey(source: "key file \(keyFile.path)", detail: "it does not exist; \(hint)")
        }
        return try MasterKey.loadKeyFile(at: keyFile)
    }

    /// Creates the key file with a new random key; never overwrites.
    /// - Throws: `SecretsError.keyFileExists`.
    @discardableResult
    public func initialize() throws -> MasterKey {
        try MasterKey.createKeyFile(at: keyFile)
    }

    /// What a rotation did, account by account.
    public struct Rotation: Sendable, Equatable {
        /// Accounts whose data key is now wrapped under the new key.
        public var rewrapped: [String]
        /// Accounts with a keyring the old key does not open, left as they were, with the reason.
        public var untouched: [String: String]
    }

    /// Replaces the key file's key: a new key is written beside it, the data key of every account in `state`'s
    /// directory whose keyring the old key opens is re-wrapped under it, and only then is the new file renamed
    /// over the old one. A key file may be shared by several accounts (`SHIFT_KEY_FILE`, `--key-file`): re-wrapping
    /// only `state`'s account would lock the others out of their values. Each account is re-wrapped atomically
    /// under its own store lock; an account whose keyring the old key does not open is left untouched and reported.
    /// A crash before the rename leaves the new key in `<file>.new`, which `load` names in its error.
    /// When the key comes from the environment (`SHIFT_MASTER_KEY`, `SHIFT_PASSPHRASE`) there is no file: the new
    /// key comes from `SHIFT_NEW_MASTER_KEY` or `SHIFT_NEW_PASSPHRASE`, and the caller sets it from then on.
    /// - Throws: `SecretsError.invalidMasterKey` when the key comes from the environment and no new one is given; `state`'s account's own
    ///   keyring error when the old key does not open it (nothing changed); `SecretsError.rotationIncomplete` when
    ///   re-wrapping fails part way; I/O errors.
    public func rotate(in state: StateDirectory, clock: any Clock) throws -> Rotation {
        let oldKey = try load()
        // First find, without changing anything, every keyring the old key opens.
        let (stores, untouched) = try storesOpened(by: oldKey, in: state, clock: clock)
        if isFromEnvironment {
            return try rotateEnvironmentKey(stores: stores, untouched: untouched)
        }
        let staged = keyFile.appendingPathExtension("new")
        unlink(staged.path)
        let newKey = try MasterKey.createKeyFile(at: staged)
        var rewrapped: [String] = []
        for store in stores {
            do {
                _ = try store.rotateMasterKey(to: newKey)
            } catch {
                let detail = "account '\(store.directory.account)': \((error as? LocalizedError)?.errorDescription ?? "\(error)")"
                if rewrapped.isEmpty {
                    unlink(staged.path)
                    throw error
                }
                throw SecretsError.rotationIncomplete(keyFile: keyFile.path, staged: staged.path, rewrapped: rewrapped,
                                                      remaining: stores.map(\.directory.account).filter { !rewrapped.contains($0) }, detail: detail)
            }
            rewrapped.append(store.directory.account)
        }
        guard rename(staged.path, keyFile.path) == 0 else {
            throw StorageError.io(path: keyFile.path, operation: "replace", detail: "\(String(cString: strerror(errno))); the new key is in \(staged.path): move it over \(keyFile.path)")
        }
        AtomicFile.syncDirectory(keyFile.deletingLastPathComponent())
        return Rotation(rewrapped: rewrapped, untouched: untouched)
    }

    /// The stores of every account in `state`'s directory whose keyring `oldKey` opens, and why the others are left.
    /// - Throws: `state`'s own account's keyring error when `oldKey` does not open it.
    private func storesOpened(by oldKey: MasterKey, in state: StateDirectory, clock: any Clock) throws -> ([ParameterStore], [String: String]) {
        var stores: [ParameterStore] = []
        var untouched: [String: String] = [:]
        for account in state.accounts {
            guard let directory = try? StateDirectory(root: state.root, account: account) else { continue }
            let store = ParameterStore(directory: directory, masterKey: oldKey, clock: clock)
            do {
                guard let keyring = try store.readKeyring() else { continue }
                _ = try store.unwrap(keyring)
                stores.append(store)
            } catch {
                if account == state.account { throw error }
                switch error as? SecretsError {
                case .wrongMasterKey?, .masterKeyKindMismatch?:
                    untouched[account] = "the old key does not open its keyring (it uses another master key)"
                default:
                    untouched[account] = (error as? LocalizedError)?.errorDescription ?? "\(error)"
                }
            }
        }
        return (stores, untouched)
    }

    /// Re-wraps under the new key of a rotation whose current key comes from the environment:
    /// `SHIFT_NEW_MASTER_KEY` (base64 of 32 bytes) or `SHIFT_NEW_PASSPHRASE`. There is no file to replace: the
    /// caller sets the variable to the new value from then on.
    private func rotateEnvironmentKey(stores: [ParameterStore], untouched: [String: String]) throws -> Rotation {
        let newKey: MasterKey
        if let text = environment["SHIFT_NEW_MASTER_KEY"], !text.isEmpty {
            newKey = try MasterKey(base64: text, source: "SHIFT_NEW_MASTER_KEY")
        } else if let passphrase = environment["SHIFT_NEW_PASSPHRASE"], !passphrase.isEmpty {
            newKey = try MasterKey.passphrase(passphrase)
        } else {
            throw SecretsError.invalidMasterKey(
                source: "the environment",
                detail: "the master key comes from SHIFT_MASTER_KEY or SHIFT_PASSPHRASE; give the new one in SHIFT_NEW_MASTER_KEY (base64 of 32 bytes) or SHIFT_NEW_PASSPHRASE")
        }
        var rewrapped: [String] = []
        for store in stores {
            do {
                _ = try store.rotateMasterKey(to: newKey)
            } catch {
                guard !rewrapped.isEmpty else { throw error }
                throw SecretsError.rotationIncomplete(
                    keyFile: "the old SHIFT_MASTER_KEY or SHIFT_PASSPHRASE", staged: "SHIFT_NEW_MASTER_KEY or SHIFT_NEW_PASSPHRASE", rewrapped: rewrapped,
                    remaining: stores.map(\.directory.account).filter { !rewrapped.contains($0) },
                    detail: "account '\(store.directory.account)': \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
            }
            rewrapped.append(store.directory.account)
        }
        return Rotation(rewrapped: rewrapped, untouched: untouched)
    }
}

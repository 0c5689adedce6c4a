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

    /// `<key file>.new`: the new key of a rotation, staged until every keyring opens with it.
    public var stagedKeyFile: URL { keyFile.appendingPathExtension("new") }

    /// The master key.
    ///
    /// A key file's key says, when `<key file>.new` exists, that an unfinished rotation may be why it opens no
    /// keyring; an environment key says so always, as nothing records a rotation to `SHIFT_NEW_MASTER_KEY`.
    /// - Throws: `SecretsError.invalidMasterKey`, `SecretsError.insecureKeyFile`, or an I/O error naming the key file
    ///   and saying to run `shift key init`.
    public func load() throws -> MasterKey {
        var key: MasterKey
        if let environmentKey = try MasterKey.fromEnvironment(environment) {
            key = environmentKey
        } else if let passphrase = environment["SHIFT_PASSPHRASE"], !passphrase.isEmpty {
            key = try MasterKey.passphrase(passphrase)
        } else {
            let staged = stagedKeyFile
            let isRotating = FileManager.default.fileExists(atPath: staged.path)
            guard FileManager.default.fileExists(atPath: keyFile.path) else {
                let hint = isRotating
                    ? Self.finishRotation(staged: staged.path)
                    : "create one with 'shift key init', or set SHIFT_MASTER_KEY, SHIFT_PASSPHRASE or --key-file"
                throw SecretsError.invalidMasterKey(source: "key file \(keyFile.path)", detail: "it does not exist; \(hint)")
            }
            key = try MasterKey.loadKeyFile(at: keyFile)
            if isRotating { key.unfinishedRotation = Self.finishRotation(staged: staged.path) }
            return key
        }
        key.unfinishedRotation = "if a key rotation to SHIFT_NEW_MASTER_KEY or SHIFT_NEW_PASSPHRASE was interrupted, run `shift key rotate` again with the same variables to finish it"
        return key
    }

    private static func finishRotation(staged: String) -> String {
        "an unfinished key rotation left the new key in \(staged): run `shift key rotate` to finish it"
    }

    /// Creates the key file with a new random key; never overwrites.
    /// - Throws: `SecretsError.keyFileExists`.
    @discardableResult
    public func initialize() throws -> MasterKey {
        try MasterKey.createKeyFile(at: keyFile)
    }

    /// What a rotation did, account by account.
    public struct Rotation: Sendable, Equatable {
        /// Accounts whose data key is now wrapped under the new key (by this run or by the interrupted one it finished).
        public var rewrapped: [String]
        /// Accounts with a keyring neither the old nor the new key opens, left as they were, with the reason.
        public var untouched: [String: String]
        /// Whether this run finished an interrupted rotation (with its staged key) rather than starting a new one.
        public var finishedInterrupted: Bool
    }

    /// Replaces the master key; running it again after a crash at any point finishes the interrupted rotation.
    ///
    /// A key file may be shared by several accounts (`SHIFT_KEY_FILE`, `--key-file`): the data key of every
    /// account in `state`'s directory whose keyring the old key opens is re-wrapped, or the others would be
    /// locked out of their values. The steps, each durable before the next:
    /// 1. The new key is staged in `<key file>.new` (complete as soon as it exists). An existing one is the new
    ///    key of an interrupted rotation: it is used, never replaced, since keyrings may open only with it.
    /// 2. Each account's keyring that the old key opens is re-wrapped, atomically under that account's lock;
    ///    one that the new key already opens is left as it is.
    /// 3. Only when every keyring of the rotation opens with the new key is `<key file>.new` renamed over the key file.
    /// An account whose keyring neither key opens is left untouched and reported. When the key comes from the
    /// environment (`SHIFT_MASTER_KEY`, `SHIFT_PASSPHRASE`) there is no file: the new key comes from
    /// `SHIFT_NEW_MASTER_KEY` or `SHIFT_NEW_PASSPHRASE`, step 1 and 3 fall away, and the caller sets it from then on.
    /// - Throws: `SecretsError.invalidMasterKey` when the key comes from the environment and no new one is given;
    ///   `state`'s account's own keyring error when neither key opens it (nothing changed);
    ///   `SecretsError.rotationIncomplete` when re-wrapping fails part way; I/O errors.
    public func rotate(in state: StateDirectory, clock: any Clock) throws -> Rotation {
        if isFromEnvironment {
            return try rotateEnvironmentKey(in: state, clock: clock)
        }
        // One rotation of a key file at a time, whichever state directory it serves.
        return try FileLock.withLock(at: keyFile.appendingPathExtension("lock")) {
            try rotateKeyFile(in: state, clock: clock)
        }
    }

    private func rotateKeyFile(in state: StateDirectory, clock: any Clock) throws -> Rotation {
        let staged = stagedKeyFile
        MasterKey.removeTemporaryFiles(for: staged)
        let stagedKey = FileManager.default.fileExists(atPath: staged.path) ? try MasterKey.loadKeyFile(at: staged) : nil
        // After a crash a staged key may be all there is: `load` refuses a missing key file, the rotation finishes it.
        var oldKey = stagedKey != nil && !FileManager.default.fileExists(atPath: keyFile.path) ? nil : try load()
        oldKey?.unfinishedRotation = nil  // this is the command that finishes it
        let plan = try RotationPlan(accounts: state, oldKey: oldKey, newKey: stagedKey, clock: clock)
        let newKey = try stagedKey ?? MasterKey.createKeyFile(at: staged)
        let rotation: Rotation
        do {
            rotation = try finish(plan, oldKey: oldKey, newKey: newKey, state: state, clock: clock, finishedInterrupted: stagedKey != nil,
                                  keyNames: (old: keyFile.path, new: staged.path))
        } catch let error as SecretsError where error.isRotationIncomplete {
            throw error
        } catch {
            // Nothing is wrapped under a key this run staged: remove it, so that no error points at it.
            if stagedKey == nil { unlink(staged.path) }
            throw error
        }
        guard rename(staged.path, keyFile.path) == 0 else {
            throw StorageError.io(path: keyFile.path, operation: "replace", detail: "\(String(cString: strerror(errno))); every keyring opens with the new key in \(staged.path): run `shift key rotate` again to finish")
        }
        AtomicFile.syncDirectory(keyFile.deletingLastPathComponent())
        return rotation
    }

    /// Re-wraps under the new key of a rotation whose current key comes from the environment:
    /// `SHIFT_NEW_MASTER_KEY` (base64 of 32 bytes) or `SHIFT_NEW_PASSPHRASE`. There is no file to replace: the
    /// caller sets the variable to the new value from then on.
    private func rotateEnvironmentKey(in state: StateDirectory, clock: any Clock) throws -> Rotation {
        var oldKey = try load()
        oldKey.unfinishedRotation = nil  // this is the command that finishes it
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
        let plan = try RotationPlan(accounts: state, oldKey: oldKey, newKey: newKey, clock: clock)
        return try finish(plan, oldKey: oldKey, newKey: newKey, state: state, clock: clock, finishedInterrupted: !plan.done.isEmpty,
                          keyNames: (old: "the old SHIFT_MASTER_KEY or SHIFT_PASSPHRASE", new: "SHIFT_NEW_MASTER_KEY or SHIFT_NEW_PASSPHRASE"))
    }

    /// Re-wraps what `plan` found under the old key, then scans again until every keyring the old key opens
    /// opens with the new one (an account may have made its first keyring meanwhile).
    /// - Throws: `SecretsError.rotationIncomplete`, naming the keys by `keyNames`, after some were re-wrapped;
    ///   the first account's error when none was.
    private func finish(_ plan: RotationPlan, oldKey: MasterKey?, newKey: MasterKey, state: StateDirectory, clock: any Clock,
                        finishedInterrupted: Bool, keyNames: (old: String, new: String)) throws -> Rotation {
        var plan = plan
        var rewrapped = plan.done
        do {
            while !plan.pending.isEmpty {
                for store in plan.pending {
                    do {
                        _ = try store.rotateMasterKey(to: newKey)
                    } catch {
                        throw RewrapFailure(account: store.directory.account, error: error)
                    }
                    rewrapped.append(store.directory.account)
                }
                plan = try RotationPlan(accounts: state, oldKey: oldKey, newKey: newKey, clock: clock)
            }
        } catch {
            // Once a keyring is under the new key, the new key must be kept, and the error must say so.
            let failure = error as? RewrapFailure
            guard !rewrapped.isEmpty else { throw failure?.error ?? error }
            let cause = failure?.error ?? error
            throw SecretsError.rotationIncomplete(
                keyFile: keyNames.old, staged: keyNames.new, rewrapped: rewrapped,
                remaining: plan.pending.map(\.directory.account).filter { !rewrapped.contains($0) },
                detail: "\(failure.map { "account '\($0.account)': " } ?? "")\((cause as? LocalizedError)?.errorDescription ?? "\(cause)")")
        }
        return Rotation(rewrapped: plan.done.sorted(), untouched: plan.untouched, finishedInterrupted: finishedInterrupted)
    }

    private struct RewrapFailure: Error {
        var account: String
        var error: any Error
    }
}

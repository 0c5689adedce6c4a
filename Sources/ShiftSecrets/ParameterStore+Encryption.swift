import Crypto
import Foundation
import ShiftCore
import ShiftStorage

/// Envelope encryption: AES-256-GCM throughout, a data key per account, wrapped under the master key.
extension ParameterStore {
    /// Associated data for a value: it binds the ciphertext to its name and version, so a ciphertext
    /// copied to another name or version fails to authenticate.
    static func associatedData(name: ParameterName, version: Int) -> Data {
        Data("shift-parameter-v1\u{0}\(name.rawValue)\u{0}\(version)".utf8)
    }

    /// Associated data for the wrapped data key: binds it to its account.
    func keyringAssociatedData() -> Data {
        Data("shift-keyring-v1\u{0}\(directory.account)".utf8)
    }

    /// Seals `value` under `dataKey`; returns nonce, ciphertext and tag combined.
    /// - Throws: `SecretsError.corruptFile` in the unexpected case that sealing fails (never the value).
    func seal(_ value: String, name: ParameterName, version: Int, dataKey: SymmetricKey) throws -> Data {
        do {
            let box = try AES.GCM.seal(Data(value.utf8), using: dataKey, authenticating: Self.associatedData(name: name, version: version))
            guard let combined = box.combined else { throw CryptoKitError.incorrectParameterSize }
            return combined
        } catch {
            throw SecretsError.corruptFile(file: file(for: name).path, detail: "sealing version \(version) failed")
        }
    }

    /// Opens a SecureString version.
    /// - Throws: `SecretsError.undecryptable` naming the parameter, version and file; keyring errors.
    func unseal(_ version: StoredVersion, of name: ParameterName) throws -> String {
        let url = file(for: name)
        guard let sealed = version.sealedValue else {
            throw SecretsError.corruptFile(file: url.path, detail: "version \(version.version) of '\(name)' has no sealed value")
        }
        guard let keyring = try readKeyring() else {
            throw SecretsError.corruptFile(file: keyringFile.path, detail: "missing, yet '\(name)' holds a SecureString")
        }
        let dataKey = try unwrap(keyring)
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            let plaintext = try AES.GCM.open(box, using: dataKey, authenticating: Self.associatedData(name: name, version: version.version))
            guard let text = String(data: plaintext, encoding: .utf8) else { throw CryptoKitError.authenticationFailure }
            return text
        } catch {
            throw SecretsError.undecryptable(parameter: name.rawValue, version: version.version, file: url.path)
        }
    }

    /// The keyring, or nil when no SecureString was ever stored.
    /// - Throws: `StorageError.corruptState` naming the keyring when it does not decode.
    func readKeyring() throws -> Keyring? {
        try JSONFile.readIfPresent(Keyring.self, from: keyringFile)
    }

    /// The data key, creating and wrapping a random one on first use. Call only under the store lock.
    /// - Throws: `SecretsError` when the existing keyring does not open; I/O errors.
    func loadOrCreateDataKey() throws -> SymmetricKey {
        if let keyring = try readKeyring() { return try unwrap(keyring) }
        let dataKey = SymmetricKey(size: .bits256)
        let keyring = try wrap(dataKey, with: masterKey, createdDate: clock.now)
        try JSONFile.write(keyring, to: keyringFile, mode: 0o600)
        return dataKey
    }

    /// Unwraps the data key with this store's master key.
    /// - Throws: `SecretsError.wrongMasterKey` when authentication fails; `SecretsError.corruptFile` or
    ///   `SecretsError.masterKeyKindMismatch` for a keyring this key cannot be used with.
    func unwrap(_ keyring: Keyring) throws -> SymmetricKey {
        let path = keyringFile.path
        guard keyring.format == Keyring.currentFormat, keyring.algorithm == "AES-256-GCM" else {
            throw SecretsError.corruptFile(file: path, detail: "format \(keyring.format) / \(keyring.algorithm) is not one this shift reads")
        }
        let wrappingKey = try masterKey.wrappingKey(for: keyring.keyDerivation, keyring: path)
        let box: AES.GCM.SealedBox
        do {
            box = try AES.GCM.SealedBox(combined: keyring.wrappedDataKey)
        } catch {
            throw SecretsError.corruptFile(file: path, detail: "the wrapped data key is truncated")
        }
        guard let bytes = try? AES.GCM.open(box, using: wrappingKey, authenticating: keyringAssociatedData()), bytes.count == 32 else {
            throw SecretsError.wrongMasterKey(keyring: path, source: masterKey.source, unfinishedRotation: masterKey.unfinishedRotation)
        }
        return SymmetricKey(data: bytes)
    }

    /// Wraps `dataKey` under `key`, with fresh KDF parameters when `key` is a passphrase.
    /// - Throws: `SecretsError` when the key cannot be derived or sealing fails.
    func wrap(_ dataKey: SymmetricKey, with key: MasterKey, createdDate: Date) throws -> Keyring {
        let derivation = key.isPassphrase ? KeyDerivationParameters.random() : nil
        let wrappingKey = try key.wrappingKey(for: derivation, keyring: keyringFile.path)
        let plaintext = dataKey.withUnsafeBytes { Data($0) }
        guard let combined = try AES.GCM.seal(plaintext, using: wrappingKey, authenticating: keyringAssociatedData()).combined else {
            throw SecretsError.corruptFile(file: keyringFile.path, detail: "wrapping the data key failed")
        }
        return Keyring(format: Keyring.currentFormat, algorithm: "AES-256-GCM", wrappedDataKey: combined, keyDerivation: derivation, createdDate: createdDate, rotatedDate: nil)
    }
}

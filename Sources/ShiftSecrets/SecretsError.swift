import Foundation
import ShiftCore

/// The errors of the parameter store and its keys.
///
/// Cases name the parameter, version or file at fault and never carry a value or key material.
public enum SecretsError: CategorizedError, LocalizedError, Equatable {
    /// A SecureString version did not authenticate: a wrong key, a flipped byte, or a ciphertext moved from elsewhere.
    case undecryptable(parameter: String, version: Int, file: String)
    /// The master key does not open the account's keyring; `unfinishedRotation` says how to finish a key rotation
    /// that may be the cause (`MasterKey.unfinishedRotation`).
    case wrongMasterKey(keyring: String, source: String, unfinishedRotation: String? = nil)
    /// The keyring was made with a different kind of master key (passphrase vs key).
    case masterKeyKindMismatch(keyring: String, expected: String, unfinishedRotation: String? = nil)
    /// A parameter or keyring file cannot be read as what it should be.
    case corruptFile(file: String, detail: String)
    /// A key file that group or others can read or write, as ssh refuses.
    case insecureKeyFile(path: String, mode: String)
    /// `key init` would overwrite an existing key file.
    case keyFileExists(path: String)
    /// The master key given cannot be used.
    case invalidMasterKey(source: String, detail: String)
    /// A rotation re-wrapped some accounts' data keys and then failed: those need the staged new key, the rest the old one.
    case rotationIncomplete(keyFile: String, staged: String, rewrapped: [String], remaining: [String], detail: String)

    /// Whether this is `rotationIncomplete`.
    var isRotationIncomplete: Bool {
        if case .rotationIncomplete = self { return true }
        return false
    }

    public var category: ErrorCategory {
        switch self {
        // A damaged store file is bad input, exit 2, as any damaged state file is (the README's exit codes).
        case .rotationIncomplete: return .failed
        case .undecryptable, .corruptFile, .wrongMasterKey, .masterKeyKindMismatch, .insecureKeyFile, .keyFileExists, .invalidMasterKey: return .badInput
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .undecryptable(parameter, version, file):
            return "parameter '\(parameter)' version \(version) cannot be decrypted (in \(file)): the file was altered or moved, or the data key is not the one that sealed it; restore the file from a backup or put the value again"
        case let .wrongMasterKey(keyring, source, unfinishedRotation):
            if let unfinishedRotation {
                return "the master key from \(source) does not open \(keyring): \(unfinishedRotation)"
            }
            return "the master key from \(source) does not open \(keyring): a wrong key or passphrase, or the keyring was altered; use the key the store was created with"
        case let .masterKeyKindMismatch(keyring, expected, unfinishedRotation):
            return "\(keyring) was sealed with \(expected); supply that instead" + (unfinishedRotation.map { ", or \($0)" } ?? "")
        case let .corruptFile(file, detail):
            return "\(file) is unreadable (\(detail)); restore it from a backup or remove it, then retry"
        case let .insecureKeyFile(path, mode):
            return "permissions \(mode) for key file \(path) are too open: group or others can access it; run `chmod 600 \(path)`"
        case let .keyFileExists(path):
            return "key file \(path) already exists; refusing to overwrite it (values sealed under it would be lost). Use `shift key rotate` to replace it"
        case let .invalidMasterKey(source, detail):
            return "master key from \(source) is unusable: \(detail)"
        case let .rotationIncomplete(keyFile, staged, rewrapped, remaining, detail):
            return "key rotation stopped (\(detail)): account(s) \(rewrapped.joined(separator: ", ")) now need the new key in \(staged), account(s) \(remaining.joined(separator: ", ")) still the old key in \(keyFile); keep both, fix the cause and run `shift key rotate` again (with the same keys) to finish the rotation"
        }
    }
}

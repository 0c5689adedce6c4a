import Foundation

/// The content of `parameters/.keyring.json`: the account's data key, wrapped under the master key.
///
/// `wrappedDataKey` is AES-256-GCM's combined nonce, ciphertext and tag, sealed with the account
/// name as associated data. `keyDerivation` is present when the master key is a passphrase.
struct Keyring: Codable, Equatable, Sendable {
    static let currentFormat = 1

    var format: Int
    var algorithm: String
    var wrappedDataKey: Data
    var keyDerivation: KeyDerivationParameters?
    var createdDate: Date
    var rotatedDate: Date?
}

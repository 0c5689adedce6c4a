import Foundation

/// How a passphrase became the master key: stored beside the wrapped data key so the same key can be derived again.
///
/// PBKDF2-HMAC-SHA256 with at least 600,000 iterations (OWASP's 2023 figure for SHA-256) and a
/// random 16-byte salt, from swift-crypto's `KDF.Insecure.PBKDF2`.
public struct KeyDerivationParameters: Codable, Hashable, Sendable {
    /// The only algorithm shift writes.
    public static let pbkdf2SHA256 = "PBKDF2-SHA256"
    /// The fewest iterations shift writes or accepts.
    public static let minimumIterations = 600_000

    /// `PBKDF2-SHA256`.
    public let algorithm: String
    /// The PBKDF2 iteration count.
    public let iterations: Int
    /// The random salt (base64 in JSON).
    public let salt: Data

    public init(algorithm: String, iterations: Int, salt: Data) {
        self.algorithm = algorithm
        self.iterations = iterations
        self.salt = salt
    }

    /// Fresh parameters: a new random salt and the minimum iteration count.
    public static func random() -> KeyDerivationParameters {
        var generator = SystemRandomNumberGenerator()
        let salt = Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return KeyDerivationParameters(algorithm: pbkdf2SHA256, iterations: minimumIterations, salt: salt)
    }
}

/// The type of a parameter, as SSM Parameter Store names it.
///
/// Only `SecureString` values are encrypted at rest; the other two are stored as given.
public enum ParameterType: String, Codable, Equatable, Sendable, CaseIterable {
    /// Plain text.
    case string = "String"
    /// Comma-separated plain text, kept as given.
    case stringList = "StringList"
    /// Text sealed with AES-256-GCM under the account's data key; shown as `****` unless decrypted.
    case secureString = "SecureString"
}

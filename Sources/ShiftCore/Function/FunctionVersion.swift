import Foundation

/// An immutable, numbered snapshot of a function's code and configuration.
public struct FunctionVersion: Codable, Equatable, Sendable {
    /// Version numbers start at 1, increase, and are never reused, even after a delete.
    public var number: Int
    /// The SHA-256 of the code, base64, as Lambda's `CodeSha256`.
    public var codeSHA256: String
    /// The configuration as it was when published.
    public var configuration: FunctionConfiguration
    /// Free text given at publish.
    public var description: String
    /// When the version was published.
    public var publishedAt: Date

    public init(number: Int, codeSHA256: String, configuration: FunctionConfiguration, description: String, publishedAt: Date) {
        self.number = number
        self.codeSHA256 = codeSHA256
        self.configuration = configuration
        self.description = description
        self.publishedAt = publishedAt
    }

    /// Whether publishing `codeSHA256` with `configuration` would snapshot nothing new.
    ///
    /// The code's hash and the configuration decide; a configuration-only change publishes (unlike SAM #413).
    public func matches(codeSHA256: String, configuration: FunctionConfiguration) -> Bool {
        self.codeSHA256 == codeSHA256 && self.configuration == configuration
    }
}

/// Turns a parameter name into its current value, for `{{param:/path}}` references.
///
/// Functions resolve references from their account at each invocation; pipelines resolve them for
/// build and test commands. The caller masks every resolved value in what it prints (`SecretMasker`).
public protocol ParameterResolver: Sendable {
    /// The current value of the parameter `name`, decrypted.
    /// - Throws: an error naming the parameter when it does not exist or cannot be read; never one holding the value.
    func resolve(_ name: String) async throws -> String
}

import ShiftCore

/// The local store resolves `{{param:/path}}` references for functions and pipelines.
extension ParameterStore: ParameterResolver {
    /// The latest value of `name`, decrypted.
    /// - Throws: `ShiftCoreError.invalidValue` for a bad name; `ShiftCoreError.notFound` naming a missing
    ///   parameter; `SecretsError` when it cannot be decrypted.
    public func resolve(_ name: String) async throws -> String {
        try get(ParameterName(name), decrypt: true).value
    }
}

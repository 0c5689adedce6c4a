/// An account's parameter store, with SSM Parameter Store's operations and field names: the local encrypted store or
/// SSM itself.
///
/// SecureString values leave a catalog decrypted only when asked for (`decrypt`); otherwise they are `****`
/// (``SecretMasker/mask``). No error a catalog throws holds a value.
public protocol ParameterCatalog: Sendable {
    /// PutParameter: stores `value` as a new version of `name` and returns its version number.
    /// - Throws: a `.badInput` error when `name` exists and `overwrite` is false, or for a value or description the
    ///   store does not accept; a `.badInput` error naming how to create the master key when the store has none.
    func putParameter(_ name: ParameterName, value: String, type: ParameterType, description: String?, overwrite: Bool) async throws -> Int

    /// GetParameter: the version of `name` that `selector` picks (the latest when nil).
    /// - Throws: a `.badInput` error for a missing name, version or label.
    func getParameter(_ name: ParameterName, selector: ParameterSelector?, decrypt: Bool) async throws -> Parameter

    /// DescribeParameters: the latest version of each parameter, by name, without values; every parameter when `path`
    /// is nil, else those under `path` (one level down, or any depth when `recursive`), as GetParametersByPath selects.
    /// - Throws: `ShiftCoreError.invalidValue` for a path not starting with `/`.
    func describeParameters(path: String?, recursive: Bool) async throws -> ParameterListing

    /// GetParameterHistory: every version of `name`, oldest first.
    /// - Throws: a `.badInput` error when `name` does not exist.
    func getParameterHistory(_ name: ParameterName, decrypt: Bool) async throws -> [ParameterHistoryEntry]

    /// DeleteParameter: deletes `name` with every version.
    /// - Throws: a `.badInput` error when `name` does not exist.
    func deleteParameter(_ name: ParameterName) async throws

    /// LabelParameterVersion: attaches `label` to `version` of `name`, moving it from any other version.
    /// - Throws: a `.badInput` error for a missing name or version, or a version that already has 10 labels.
    func labelParameterVersion(_ name: ParameterName, version: Int, label: ParameterLabel) async throws
}

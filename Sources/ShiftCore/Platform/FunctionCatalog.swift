import Foundation

/// What the command line needs beyond the engine's ``FunctionPlatform`` to administer a platform's functions,
/// versions and aliases. The local platform and the AWS platform conform, so `shift function ...` and
/// `shift alias ...` work the same on either.
public protocol FunctionCatalog: FunctionPlatform {
    /// Publishes the function's current code and configuration as a version. When both match the newest
    /// version, no version is made and that one is returned.
    /// - Returns: the version, and whether it is new.
    /// - Throws: a `.badInput` error when the function does not exist.
    func publish(_ function: String, description: String) async throws -> (version: FunctionVersion, isNew: Bool)

    /// Applies `change` to the function's `$LATEST` (its code, and its configuration where `change` sets any) and
    /// publishes exactly that as a version, as one step: an update by anyone else in between is refused or waits,
    /// never published. Callers serialise publishers of one function with its publish lease (``Deployer/publish(_:applying:description:)``).
    /// - Returns: the version (its CodeSha256 is the hash of the code sent), and whether it is new.
    /// - Throws: a `.badInput` error when the function does not exist or `change` is invalid; the platform's errors.
    func publish(_ function: String, applying change: FunctionChange, description: String) async throws -> (version: FunctionVersion, isNew: Bool)

    /// Seconds between alarm polls when a deployment does not say: what the platform's alarms can bear.
    var defaultPollInterval: TimeInterval { get }

    /// Every published version, oldest first.
    /// - Throws: a `.badInput` error when the function does not exist.
    func versions(of function: String) async throws -> [FunctionVersion]

    /// Every alias of the function, by name.
    /// - Throws: a `.badInput` error when the function does not exist.
    func aliases(of function: String) async throws -> [Alias]

    /// Creates an alias.
    /// - Throws: a `.badInput` error for an existing alias, a missing function or an unpublished version.
    func createAlias(_ name: String, of function: String, routing: AliasRouting, description: String) async throws -> Alias

    /// Changes an alias's routing, description, or both; nil leaves a field as it is.
    /// - Throws: a `.conflict` error when `revisionId` is stale; a `.badInput` error for an unpublished version.
    func updateAlias(_ name: String, of function: String, routing: AliasRouting?, description: String?, revisionId: String?) async throws -> Alias

    /// Deletes an alias unless `isBusy` names what still uses it.
    /// - Throws: a `.badInput` error when it does not exist or is busy.
    func deleteAlias(_ name: String, of function: String, isBusy: @Sendable () throws -> String?) async throws

    // MARK: Functions ($LATEST)

    /// Creates a function from code on this machine.
    /// - Throws: a `.badInput` error for an existing name, unreadable code, a bad configuration, or what the
    ///   platform cannot do (e.g. `{{param:...}}` references or reserved concurrency on AWS).
    func createFunction(_ name: String, code: URL, configuration: FunctionConfiguration, creation: FunctionCreation) async throws -> FunctionDetails

    /// Changes `$LATEST`'s code, configuration or both; nil fields of `change` stay as they are.
    /// - Throws: a `.badInput` error for a missing function or a bad change.
    func updateFunction(_ name: String, change: FunctionChange) async throws -> FunctionDetails

    /// The function's configuration at `qualifier`, as GetFunctionConfiguration: `$LATEST`, a version, or the
    /// version an alias points at (its routing's primary version; the ARN then ends with the alias).
    /// - Throws: a `.badInput` error when the function, version or alias does not exist.
    func function(_ name: String, qualifier: FunctionQualifier) async throws -> FunctionDetails

    /// Every published version's configuration, oldest first (ListVersionsByFunction without `$LATEST`).
    /// - Throws: a `.badInput` error when the function does not exist.
    func versionConfigurations(of function: String) async throws -> [FunctionDetails]

    /// The function's `$LATEST`, or nil when the account has no function of that name: for callers that create
    /// what is missing. The default reads `function(_:)` and takes `ShiftCoreError.notFound` for absence; a
    /// platform whose lookups fail otherwise says so itself.
    /// - Throws: any other error of the lookup.
    func existingFunction(_ name: String) async throws -> FunctionDetails?

    /// Every function of the account, by name.
    func functions() async throws -> [FunctionDetails]

    /// Deletes a function with its versions, unless `isBusy` (given the name) says what still uses it.
    /// - Throws: a `.badInput` error when it does not exist or is in use.
    func deleteFunction(_ name: String, isBusy: @Sendable (String) throws -> String?) async throws
}

extension FunctionCatalog {
    /// The function's `$LATEST`.
    /// - Throws: a `.badInput` error when it does not exist.
    public func function(_ name: String) async throws -> FunctionDetails {
        try await function(name, qualifier: .latest)
    }

    public func existingFunction(_ name: String) async throws -> FunctionDetails? {
        do {
            return try await function(name)
        } catch let error as ShiftCoreError {
            guard case .notFound = error else { throw error }
            return nil
        }
    }
}

import Foundation
import ShiftCore

/// Where a deploy stage ships its functions: one account's `Deployer` (its function catalog, journal and
/// leases), and the one step whose mechanics differ by platform: putting the alarms a stage defines inline.
/// The runner decides what happens and in which order; publishing is the same on every platform (below), and
/// what a platform cannot do (a `{{param:...}}` variable on AWS) its catalog refuses with its own typed error
/// before it changes anything.
public protocol DeployTarget: Sendable {
    /// The engine, journal and leases of the account: it publishes, deploys and rolls back.
    var deployer: Deployer { get }

    /// Puts the alarms a stage defines inline, before its deployments start, and before the functions they
    /// watch need to exist (a first deployment creates them).
    /// - Throws: the platform's error when an alarm cannot be saved, or when the platform does not define alarms.
    func putAlarms(_ definitions: [AlarmDefinition], description: String) async throws
}

extension DeployTarget {
    /// Makes the artifact at `code` the function's code, with its configuration, and publishes exactly that as a
    /// version (creating the function first when the account has none of that name).
    ///
    /// `$LATEST` is shared: creating, updating and publishing hold the function's publish lease, so two entries
    /// of one function (two aliases) deploying at once each publish their own configuration.
    /// - Returns: the version (its CodeSha256 the platform's hash of the code sent), and whether it is new.
    /// - Throws: the platform's errors (an invalid configuration, what it cannot do, a version holding other bytes).
    public func publish(_ function: PipelineFunction, code: URL, environment: [String: String], description: String) async throws -> (version: FunctionVersion, isNew: Bool) {
        let configuration = try FunctionConfiguration(handler: function.handler, runtime: function.runtime, timeout: function.timeout, environment: environment, description: function.description)
        let change = FunctionChange(codePath: code, handler: configuration.handler, runtime: configuration.runtime, timeout: configuration.timeout, environment: configuration.environment, description: configuration.description)
        let functions = deployer.platform
        return try await deployer.leases.withLease(.publish(function: function.name)) {
            if try await functions.existingFunction(function.name) == nil {
                _ = try await functions.createFunction(function.name, code: code, configuration: configuration, creation: FunctionCreation())
            }
            return try await functions.publish(function.name, applying: change, description: description)
        }
    }
}

/// Why a function of a deploy stage was not deployed; recorded as its failure.
public struct Refusal: Error, LocalizedError {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var errorDescription: String? { reason }
}

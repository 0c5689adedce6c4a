import Foundation
import ShiftCore

/// `FunctionCatalog`'s functions on the local platform: records in the state directory, code on this machine.
extension LocalPlatform {
    public func createFunction(_ name: String, code: URL, configuration: FunctionConfiguration, creation: FunctionCreation) async throws -> FunctionDetails {
        try await checkReferences(in: configuration.environment)
        return try details(functions.createFunction(name: name, codePath: code, configuration: configuration, reservedConcurrency: creation.reservedConcurrency))
    }

    public func updateFunction(_ name: String, change: FunctionChange) async throws -> FunctionDetails {
        if let environment = change.environment { try await checkReferences(in: environment) }
        return try details(functions.updateFunction(name: name, change: change))
    }

    public func function(_ name: String) async throws -> FunctionDetails {
        try details(functions.function(name))
    }

    public func functions() async throws -> [FunctionDetails] {
        try functions.functions().map { record in
            var details = try details(record)
            details.versionCount = try functions.versions(of: record.name).count
            return details
        }
    }

    public func deleteFunction(_ name: String, isBusy: @Sendable (String) throws -> String?) async throws {
        try functions.deleteFunction(name, isBusy: isBusy)
    }

    /// Checks that every `{{param:/path}}` in `environment` names an existing parameter; only the reference is
    /// stored, and resolved at each invocation.
    /// - Throws: `ShiftCoreError.invalidValue` for a malformed reference; `ShiftCoreError.refused` without a
    ///   parameter store; the store's error naming a missing parameter.
    func checkReferences(in environment: [String: String]) async throws {
        let names = Set(try environment.values.flatMap { try ParameterReference.names(in: $0) })
        guard !names.isEmpty else { return }
        guard let parameters else {
            throw ShiftCoreError.refused(reason: "the environment references parameters, and no parameter store is available; set SHIFT_MASTER_KEY, SHIFT_PASSPHRASE or SHIFT_KEY_FILE, or run 'shift key init'")
        }
        for name in names.sorted() {
            _ = try await parameters.resolve(name)
        }
    }

    /// A record as the catalog reports it, with its code's hash.
    /// - Throws: `LocalPlatformError.unreadableCode` when the code is gone.
    func details(_ record: FunctionRecord) throws -> FunctionDetails {
        var details = FunctionDetails(name: record.name, configuration: record.configuration, codeSHA256: try CodeSnapshot.hash(of: record.codeURL), lastModified: record.updatedAt)
        details.codePath = record.codePath
        details.reservedConcurrency = record.reservedConcurrency
        return details
    }
}

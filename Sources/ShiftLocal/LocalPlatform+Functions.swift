import Foundation
import ShiftCore

/// `FunctionCatalog`'s functions on the local platform: records in the state directory, code on this machine.
extension LocalPlatform {
    public func createFunction(_ name: String, code: URL, configuration: FunctionConfiguration, creation: FunctionCreation) async throws -> FunctionDetails {
        try checkRuntime(of: configuration)
        try await checkReferences(in: configuration.environment)
        return try details(functions.createFunction(name: name, codePath: code, configuration: configuration, reservedConcurrency: creation.reservedConcurrency))
    }

    public func updateFunction(_ name: String, change: FunctionChange) async throws -> FunctionDetails {
        try checkRuntime(of: change.applied(to: functions.function(name).configuration))
        if let environment = change.environment { try await checkReferences(in: environment) }
        return try details(functions.updateFunction(name: name, change: change))
    }

    public func function(_ name: String, qualifier: FunctionQualifier) async throws -> FunctionDetails {
        switch qualifier {
        case .latest:
            return try details(functions.function(name))
        case let .version(number):
            return try details(functions.version(number, of: name), of: name)
        case let .alias(alias):
            // As GetFunctionConfiguration with an alias: the primary version's configuration, the ARN the alias's.
            let routing = try functions.alias(alias, of: name).routing
            var details = try details(functions.version(routing.primaryVersion, of: name), of: name)
            details.arn = LocalARN.function(name, qualifier: alias)
            return details
        }
    }

    public func versionConfigurations(of function: String) async throws -> [FunctionDetails] {
        try functions.versions(of: function).map { try details($0, of: function) }
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

    /// A record as the catalog reports it, with its code's hash and size.
    /// - Throws: `LocalPlatformError.unreadableCode` when the code is gone.
    func details(_ record: FunctionRecord) throws -> FunctionDetails {
        var details = FunctionDetails(name: record.name, configuration: record.configuration, codeSHA256: try CodeSnapshot.hash(of: record.codeURL), lastModified: record.updatedAt)
        details.codePath = record.codePath
        details.reservedConcurrency = record.reservedConcurrency
        details.arn = LocalARN.function(record.name)
        details.codeSize = try CodeSnapshot.size(of: record.codeURL)
        return Self.withLambdaDefaults(details)
    }

    /// A published version as the catalog reports it: its snapshot's code, configuration and description.
    /// - Throws: `LocalPlatformError.unreadableCode` when the snapshot is gone.
    func details(_ version: FunctionVersion, of function: String) throws -> FunctionDetails {
        var configuration = version.configuration
        configuration.description = version.description
        var details = FunctionDetails(name: function, configuration: configuration, codeSHA256: version.codeSHA256, lastModified: version.publishedAt)
        details.version = String(version.number)
        details.arn = LocalARN.function(function, qualifier: String(version.number))
        details.codeSize = try CodeSnapshot.size(of: functions.codeDirectory(of: function, version: version.number))
        return Self.withLambdaDefaults(details)
    }

    /// What Lambda reports that the local platform has no choice about: an applied function in the state
    /// `Active`, Lambda's default memory (not enforced here), this machine's architecture, and a revision id that
    /// changes whenever the code, configuration or modification time does.
    static func withLambdaDefaults(_ details: FunctionDetails) -> FunctionDetails {
        var details = details
        details.state = "Active"
        details.lastUpdateStatus = "Successful"
        details.memorySize = memorySize
        #if arch(arm64)
        details.architectures = ["arm64"]
        #else
        details.architectures = ["x86_64"]
        #endif
        details.revisionId = LocalARN.revisionId(of: [
            details.name, details.version, details.codeSHA256 ?? "", details.configuration.handler, details.configuration.runtime ?? "", details.configuration.timeout.compact,
            details.configuration.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{0}"),
            details.configuration.description, details.lastModified.map { String($0.timeIntervalSince1970) } ?? "",
        ])
        return details
    }
}

import Foundation
import ShiftCore

/// `FunctionCatalog`'s functions on Lambda: code zipped from this machine, `$LATEST` as GetFunctionConfiguration.
extension AWSPlatform {
    /// CreateFunction with the given role and runtime, else the account's; waits until Lambda has applied it.
    /// - Throws: `AWSPlatformError.unsupported` without a role or with a reserved concurrency; `.unreadableCode`; Lambda's errors.
    public func createFunction(_ name: String, code: URL, configuration: FunctionConfiguration, creation: FunctionCreation) async throws -> FunctionDetails {
        try Self.refuseReservedConcurrency(creation.reservedConcurrency, removes: false)
        guard let role = creation.role ?? settings.role else {
            throw AWSPlatformError.unsupported(operation: "function create without an execution role", hint: "give the account an execution role: role: ARN in a pipeline file's account; on the command line --role ARN, or 'shift account add NAME --platform aws --role ARN'")
        }
        return Self.details(try await createFunction(name, zip: try Self.codeArchive(at: code), configuration: configuration, role: role, runtime: configuration.runtime ?? settings.runtime))
    }

    /// UpdateFunctionCode and UpdateFunctionConfiguration, each only when something of it changes.
    /// - Throws: `AWSPlatformError.unreadableCode`; Lambda's errors.
    public func updateFunction(_ name: String, change: FunctionChange) async throws -> FunctionDetails {
        Self.details(try await updateFunction(name, zip: try change.codePath.map(Self.codeArchive(at:)), change: change))
    }

    public func function(_ name: String, qualifier: FunctionQualifier) async throws -> FunctionDetails {
        Self.details(try await lambda.getFunctionConfiguration(name, qualifier: qualifier == .latest ? nil : qualifier.description))
    }

    /// GetFunctionConfiguration; Lambda's ResourceNotFoundException is absence.
    public func existingFunction(_ name: String) async throws -> FunctionDetails? {
        do {
            return try await function(name)
        } catch let AWSPlatformError.service(_, _, _, code, _, _) where code == "ResourceNotFoundException" {
            return nil
        }
    }

    public func versionConfigurations(of function: String) async throws -> [FunctionDetails] {
        try await lambda.listVersions(function)
            .filter { $0.Version.flatMap(Int.init) != nil }
            .map(Self.details)
            .sorted { Int($0.version) ?? 0 < Int($1.version) ?? 0 }
    }

    public func functions() async throws -> [FunctionDetails] {
        try await lambda.listFunctions().map(Self.details).sorted { $0.name < $1.name }
    }

    public func deleteFunction(_ name: String, isBusy: @Sendable (String) throws -> String?) async throws {
        if let reason = try isBusy(name) {
            throw ShiftCoreError.refused(reason: "function '\(name)' is in use: \(reason)")
        }
        try await lambda.deleteFunction(name)
    }

    /// A configuration from Lambda's FunctionConfiguration, taken as Lambda reports it (a container image has no handler:
    /// `-`), without validating it again.
    static func details(_ wire: LambdaWire.FunctionConfiguration) -> FunctionDetails {
        // A placeholder handler passes the initialiser's check; the fields are then set as Lambda reports them.
        var configuration = (try? FunctionConfiguration(handler: "-"))!
        if let handler = wire.Handler, !handler.isEmpty { configuration.handler = handler }
        configuration.timeout = TimeInterval(wire.Timeout ?? Int(FunctionConfiguration.defaultTimeout))
        configuration.environment = wire.Environment?.Variables ?? [:]
        configuration.description = wire.Description ?? ""
        var details = FunctionDetails(name: wire.FunctionName, configuration: configuration, codeSHA256: wire.CodeSha256, lastModified: wire.LastModified.flatMap(LambdaTimestamp.parse))
        details.version = wire.Version ?? "$LATEST"
        details.arn = wire.FunctionArn
        details.memorySize = wire.MemorySize
        details.packageType = wire.PackageType
        details.architectures = wire.Architectures
        details.runtime = wire.Runtime
        details.role = wire.Role
        details.codeSize = wire.CodeSize
        details.revisionId = wire.RevisionId
        details.state = wire.State
        details.lastUpdateStatus = wire.LastUpdateStatus
        return details
    }
}

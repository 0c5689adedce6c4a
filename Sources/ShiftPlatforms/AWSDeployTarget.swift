import Foundation
import ShiftAWS
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftStorage

/// A deploy target on AWS Lambda: the artifact directory is zipped (deterministically) and sent with
/// CreateFunction or UpdateFunctionCode, then PublishVersion; alarms are existing CloudWatch alarms; a stage
/// rollback is an UpdateAlias. The deployment journal and alias locks stay in the account's state directory.
public struct AWSDeployTarget: DeployTarget {
    public let platform: AWSPlatform
    public let deployer: Deployer
    /// The execution role and runtime of functions this target creates.
    public let role: String?
    public let runtime: String?

    public init(platform: AWSPlatform, state: StateDirectory, role: String?, runtime: String?, clock: any Clock) {
        self.platform = platform
        self.deployer = Deployer(platform: platform, alarms: platform, state: state, clock: clock, settingNames: FunctionDeployment.settingNames)
        self.role = role
        self.runtime = runtime
    }

    /// Validation refuses these already; refused again here so that a run record from an older file changes nothing.
    /// - Throws: `Refusal` for an inline alarm; `AWSPlatformError.unsupported` for a `{{param:...}}` variable.
    public func refuseUnsupported(_ entry: FunctionDeployment, environment: [String: String]) throws {
        if let definition = entry.alarmDefinitions.first {
            throw Refusal("alarm \(definition.name) is defined inline; on an aws account an alarm is the name of an existing CloudWatch alarm")
        }
        try AWSPlatform.refuseParameterReferences(in: environment)
    }

    public func putAlarms(_ definitions: [AlarmDefinition], description: String) throws {
        if let definition = definitions.first {
            throw Refusal("alarm \(definition.name) is defined inline; on an aws account an alarm is the name of an existing CloudWatch alarm")
        }
    }

    public func publish(_ function: PipelineFunction, code: URL, artifactSHA256: String, environment: [String: String], description: String) async throws -> PublishedArtifact {
        try AWSPlatform.refuseParameterReferences(in: environment)
        let configuration = try FunctionConfiguration(handler: function.handler, timeout: function.timeout, environment: environment, description: function.description)
        let change = FunctionChange(codePath: code, handler: configuration.handler, timeout: configuration.timeout, environment: configuration.environment, description: configuration.description)
        // $LATEST is shared: two entries of one function (two aliases) must not interleave upload and publish.
        let published = try await deployer.leases.withLease(.publish(function: function.name)) {
            if try await exists(function.name) {
                return try await platform.publish(function.name, applying: change, description: description)
            }
            guard let role else {
                throw AWSPlatformError.unsupported(operation: "creating function \(function.name) without an execution role", hint: "set the account's role: ARN in the pipeline file")
            }
            let zip = try AWSPlatform.codeArchive(at: code)
            _ = try await platform.createFunction(function.name, zip: zip, configuration: configuration, role: role, runtime: runtime)
            return try await platform.publish(function.name, description: description, uploaded: zip)
        }
        return PublishedArtifact(version: published.version.number, isNew: published.isNew, codeSHA256: published.version.codeSHA256)
    }

    private func exists(_ function: String) async throws -> Bool {
        do {
            _ = try await platform.lambda.getFunctionConfiguration(function)
            return true
        } catch let AWSPlatformError.service(_, _, _, code, _, _) where code == "ResourceNotFoundException" {
            return false
        }
    }
}

import Crypto
import Foundation
import ShiftAWS
import ShiftCore
import ShiftLocal
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
    let state: StateDirectory
    let clock: any Clock

    public init(platform: AWSPlatform, state: StateDirectory, role: String?, runtime: String?, clock: any Clock) {
        self.platform = platform
        self.deployer = Deployer(platform: platform, alarms: platform, state: state, clock: clock)
        self.role = role
        self.runtime = runtime
        self.state = state
        self.clock = clock
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
        let zip = try AWSPlatform.codeArchive(at: code)
        let uploaded = Self.codeSHA256(of: zip)
        // $LATEST is shared: two entries of one function (two aliases) must not interleave update and publish.
        let lock = try FileLock(url: state.accountDirectory.appendingPathComponent("locks").appendingPathComponent("\(function.name).publish.lock"))
        try lock.lock()
        defer { lock.unlock() }
        let configuration = try FunctionConfiguration(handler: function.handler, timeout: function.timeout, environment: environment, description: function.description)
        if try await exists(function.name) {
            _ = try await platform.updateFunction(function.name, zip: zip, change: FunctionChange(
                handler: configuration.handler, timeout: configuration.timeout, environment: configuration.environment, description: configuration.description))
        } else {
            guard let role else {
                throw AWSPlatformError.unsupported(operation: "creating function \(function.name) without an execution role", hint: "set the account's role: ARN in the pipeline file")
            }
            _ = try await platform.createFunction(function.name, zip: zip, configuration: configuration, role: role, runtime: runtime)
        }
        // Publish exactly the zip uploaded: Lambda refuses if $LATEST holds other code by then.
        let published = try await platform.publish(function.name, description: description, codeSHA256: uploaded)
        let version = published.version.number
        // The promise is about the bytes Lambda holds: the zip sent, not the directory it was made from.
        guard published.version.codeSHA256 == uploaded else {
            throw Refusal("version \(version) has CodeSha256 \(published.version.codeSHA256), not \(uploaded), the hash of the zip of artifact \(function.artifact) that was uploaded")
        }
        return PublishedArtifact(version: version, isNew: published.isNew, codeSHA256: uploaded)
    }

    public func routeAll(_ alias: String, of function: String, to version: Int) async throws {
        _ = try await platform.updateAlias(alias, of: function, routing: .single(version), description: nil, revisionId: nil)
    }

    /// Lambda's CodeSha256: the base64 SHA-256 of the deployment package.
    static func codeSHA256(of zip: Data) -> String {
        Data(SHA256.hash(data: zip)).base64EncodedString()
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

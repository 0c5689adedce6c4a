import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline

/// A deploy target on the local platform: alarms a stage defines are put in the account's alarm store, the
/// artifact directory becomes the function's code as it is, and CodeSha256 is the directory's hash.
public struct LocalDeployTarget: DeployTarget {
    public let platform: LocalPlatform
    public let deployer: Deployer

    public init(platform: LocalPlatform, clock: any Clock) {
        self.platform = platform
        self.deployer = Deployer(platform: platform, alarms: platform.alarms, state: platform.state, clock: clock, settingNames: FunctionDeployment.settingNames)
    }

    public func refuseUnsupported(_ entry: FunctionDeployment, environment: [String: String]) throws {}

    public func putAlarms(_ definitions: [AlarmDefinition], description: String) throws {
        for definition in definitions {
            try platform.alarms.put(definition, description: description)
        }
    }

    public func publish(_ function: PipelineFunction, code: URL, artifactSHA256: String, environment: [String: String], description: String) async throws -> PublishedArtifact {
        let configuration = try FunctionConfiguration(handler: function.handler, timeout: function.timeout, environment: environment, description: function.description)
        let change = FunctionChange(codePath: code, handler: configuration.handler, timeout: configuration.timeout, environment: configuration.environment, description: configuration.description)
        // $LATEST is shared: create, configure and publish under the function's publish lease, so that two entries of
        // one function (two aliases) deploying at once each publish their own configuration.
        let published = try await deployer.leases.withLease(.publish(function: function.name)) {
            if (try? platform.functions.function(function.name)) == nil {
                try platform.functions.createFunction(name: function.name, codePath: code, configuration: configuration)
            }
            return try await platform.publish(function.name, applying: change, description: description)
        }
        let version = published.version.number
        guard published.version.codeSHA256 == artifactSHA256 else {
            throw Refusal("version \(version) has CodeSha256 \(published.version.codeSHA256), not the artifact's \(artifactSHA256)")
        }
        return PublishedArtifact(version: version, isNew: published.isNew, codeSHA256: published.version.codeSHA256)
    }
}

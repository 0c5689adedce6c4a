import Foundation
import ShiftCore
import ShiftLocal
import ShiftStorage

/// A deploy target on the local platform: alarms a stage defines are put in the account's alarm store, the
/// artifact directory becomes the function's code as it is, and CodeSha256 is the directory's hash.
public struct LocalDeployTarget: DeployTarget {
    public let local: LocalDeployer

    public init(_ local: LocalDeployer) {
        self.local = local
    }

    public var deployer: Deployer { local.deployer }

    public func refuseUnsupported(_ entry: FunctionDeployment, environment: [String: String]) throws {}

    public func putAlarms(_ definitions: [AlarmDefinition], description: String) throws {
        for definition in definitions {
            try local.platform.alarms.put(definition, description: description)
        }
    }

    public func publish(_ function: PipelineFunction, code: URL, artifactSHA256: String, environment: [String: String], description: String) async throws -> PublishedArtifact {
        let functions = local.platform.functions
        // $LATEST is shared: configure and publish as one step, so that two entries of one function (two aliases)
        // deploying at once each publish their own configuration.
        let publishLock = local.platform.state.accountDirectory.appendingPathComponent("locks").appendingPathComponent("\(function.name).publish.lock")
        let published = try FileLock.withLock(at: publishLock) { () throws -> (version: FunctionVersion, isNew: Bool) in
            if (try? functions.function(function.name)) != nil {
                try functions.updateFunction(name: function.name, change: FunctionChange(codePath: code, handler: function.handler, timeout: function.timeout, environment: environment, description: function.description))
            } else {
                try functions.createFunction(name: function.name, codePath: code, configuration: FunctionConfiguration(handler: function.handler, timeout: function.timeout, environment: environment, description: function.description))
            }
            return try functions.publish(function.name, description: description)
        }
        let version = published.version.number
        guard published.version.codeSHA256 == artifactSHA256 else {
            throw Refusal("version \(version) has CodeSha256 \(published.version.codeSHA256), not the artifact's \(artifactSHA256)")
        }
        return PublishedArtifact(version: version, isNew: published.isNew, codeSHA256: published.version.codeSHA256)
    }

    public func routeAll(_ alias: String, of function: String, to version: Int) async throws {
        _ = try local.platform.functions.updateAlias(alias, of: function, routing: .single(version))
    }
}

import Foundation
import ShiftCore

/// Where a deploy stage ships its functions: the engine wired to one account, and the few steps whose mechanics
/// differ by platform. The runner decides what happens and in which order; a target only knows how.
///
/// Both targets keep their deployment journal and alias locks in the account's local state directory, so a
/// deployment whose runner died is recovered the same way on either platform.
public protocol DeployTarget: Sendable {
    /// The engine, journal and leases of the account: it publishes, deploys and rolls back.
    var deployer: Deployer { get }

    /// Refuses, before anything changes, what this platform cannot do for `entry` with `environment` (the
    /// function's variables merged with the stage's).
    /// - Throws: an error naming what to change.
    func refuseUnsupported(_ entry: FunctionDeployment, environment: [String: String]) throws

    /// Puts the alarms a stage defines inline, before its deployments start.
    /// - Throws: the platform's error when an alarm cannot be saved.
    func putAlarms(_ definitions: [AlarmDefinition], description: String) throws

    /// Makes the artifact at `code` the function's code, with its configuration, and publishes a version, then
    /// checks that the version's CodeSha256 is the hash of exactly the bytes that were sent.
    /// - Parameter artifactSHA256: the artifact's hash as recorded at build (already checked against `code`).
    /// - Throws: when the code cannot be sent or published, or the published version holds other bytes.
    func publish(_ function: PipelineFunction, code: URL, artifactSHA256: String, environment: [String: String], description: String) async throws -> PublishedArtifact

}

/// A version a deploy stage published from an artifact.
public struct PublishedArtifact: Equatable, Sendable {
    public var version: Int
    /// False when the platform already had a version with this code and configuration.
    public var isNew: Bool
    /// The version's CodeSha256, as the platform reports it.
    public var codeSHA256: String

    public init(version: Int, isNew: Bool, codeSHA256: String) {
        self.version = version
        self.isNew = isNew
        self.codeSHA256 = codeSHA256
    }
}

/// Why a function of a deploy stage was not deployed; recorded as its failure.
public struct Refusal: Error, LocalizedError {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var errorDescription: String? { reason }
}

import Foundation

/// Where the engine records a deployment, durably, before and after each platform call,
/// and where it learns of stop requests made by other processes.
public protocol DeploymentJournal: Sendable {
    /// Persists the whole record. Returns only once it is durable (fsync).
    /// - Throws: when it could not be written; the engine then makes no further forward platform call.
    func save(_ deployment: Deployment) async throws

    /// A pending stop request for the deployment, if anyone made one.
    func stopRequest(for deploymentID: String) async throws -> StopRequest?
}

/// A request, from any process, to stop a deployment.
public struct StopRequest: Codable, Equatable, Sendable {
    /// Whether to restore the original version (the default) or leave traffic where it is.
    public var rollback: Bool
    public var requestedAt: Date
    /// Who asked, for the event log (user and process).
    public var requestedBy: String

    public init(rollback: Bool, requestedAt: Date, requestedBy: String) {
        self.rollback = rollback
        self.requestedAt = requestedAt
        self.requestedBy = requestedBy
    }
}

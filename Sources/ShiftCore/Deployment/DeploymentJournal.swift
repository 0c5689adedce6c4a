import Foundation

/// Where the engine records a deployment, durably, before and after each platform call,
/// and where it learns of control requests (stop, pause, resume, promote) made by other processes.
public protocol DeploymentJournal: Sendable {
    /// Persists the whole record. Returns only once it is durable (fsync).
    /// - Throws: when it could not be written; the engine then makes no further forward platform call.
    func save(_ deployment: Deployment) async throws

    /// The control requests made for the deployment with a sequence number above `sequence`, in sequence order.
    ///
    /// Requirements: the numbers a store hands out for one deployment are 1, 2, 3, ... without gaps or repeats,
    /// and a request once returned is returned again by every later call with a lower `sequence` (the engine
    /// acknowledges requests through its own record, not through the store).
    /// - Throws: when the requests cannot be read; the engine treats that as no request this poll.
    func controls(for deploymentID: String, after sequence: Int) async throws -> [DeploymentControl]
}

import Foundation

/// Where deployments are kept: the journal the engine writes, and what commands read back (one record, a
/// listing) and ask of a running deployment (stop). The state directory implements it; S3 is to come.
public protocol DeploymentStore: DeploymentJournal {
    /// A deployment by id.
    /// - Throws: a `.badInput` error when there is none.
    func deployment(_ id: String) async throws -> Deployment

    /// Every readable deployment, newest first, optionally only one function's or one status's. A damaged record
    /// concerns one alias only: `unreadable` hears about it (to warn), and the listing goes on without it.
    func deployments(function: String?, status: DeploymentStatus?, unreadable: @escaping @Sendable (any Error) -> Void) async throws -> [Deployment]

    /// What a listing shows of the newest `limit` (nil: every) readable deployments, newest first, optionally only
    /// one function's or one status's (filters apply before the limit), with how many more passed the filters. Read
    /// from the store's index: its cost grows with the number of deployments, not with their event logs, and only
    /// the summaries shown are decoded. A damaged record goes to `unreadable` and is left out, as in
    /// ``deployments(function:status:unreadable:)``.
    /// No default: an async one here would be what `try await store.summaries(...)` calls on a store whose own
    /// is synchronous (Swift prefers async overloads in async code), and the listing would scan every record.
    func summaries(function: String?, status: DeploymentStatus?, limit: Int?,
                   unreadable: @escaping @Sendable (any Error) -> Void) async throws -> DeploymentListing

    /// The unfinished deployment of an alias, if any (running, or interrupted when nobody holds its alias).
    /// - Throws: an error naming the alias's newest record when it is damaged: it blocks its own alias only.
    func unfinishedDeployment(of alias: String, function: String) async throws -> Deployment?

    /// Records a stop request that the deploying process sees at its next poll.
    /// - Throws: a `.badInput` error when the deployment has ended or has no running process.
    @discardableResult
    func requestStop(_ id: String, rollback: Bool, by requester: String) async throws -> StopRequest
}

extension DeploymentStore {
    /// Every readable deployment, newest first; damaged records are skipped silently.
    public func deployments(function: String?, status: DeploymentStatus?) async throws -> [Deployment] {
        try await deployments(function: function, status: status, unreadable: { _ in })
    }

    /// A store whose records cannot be damaged one by one finds an alias's unfinished deployment by listing.
    public func unfinishedDeployment(of alias: String, function: String) async throws -> Deployment? {
        try await deployments(function: function, status: nil).first { !$0.status.isFinal && $0.request.alias == alias }
    }
}

import Foundation

/// Where deployments are kept: the journal the engine writes, and what commands read back (one record, a
/// listing) and ask of a running deployment (stop, pause, resume, promote). The state directory and a shared
/// ``ObjectStore`` (S3) implement it.
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

    /// The unfinished deployment of any of `function`'s aliases, if any: what refuses deleting the function.
    /// - Throws: as ``unfinishedDeployment(of:function:)``.
    func unfinishedDeployment(of function: String) async throws -> Deployment?

    /// Records a control request (stop, pause, resume, promote) that the deploying process acts on at its next poll,
    /// numbered one more than the deployment's last request.
    ///
    /// Requirements: the read of the last number and the write of the new request are one atomic step (a lock, or a
    /// conditional write), so two requesters racing never share a number nor lose a request; the deployment is
    /// checked first: unknown, ended, or without a running process, nothing is written.
    /// - Throws: a `.badInput` error when the deployment is unknown, has ended or has no running process.
    @discardableResult
    func requestControl(_ id: String, _ action: DeploymentControl.Action, by requester: String) async throws -> DeploymentControl
}

extension DeploymentStore {
    /// Every readable deployment's summary, newest first (no limit), optionally of one function or status.
    public func allSummaries(function: String?, status: DeploymentStatus?, unreadable: @escaping @Sendable (any Error) -> Void) async throws -> [DeploymentSummary] {
        try await summaries(function: function, status: status, limit: nil, unreadable: unreadable).summaries
    }

    /// Every readable deployment, newest first; damaged records are skipped silently.
    public func deployments(function: String?, status: DeploymentStatus?) async throws -> [Deployment] {
        try await deployments(function: function, status: status, unreadable: { _ in })
    }

    /// A store whose records cannot be damaged one by one finds an alias's unfinished deployment by listing.
    public func unfinishedDeployment(of alias: String, function: String) async throws -> Deployment? {
        try await deployments(function: function, status: nil).first { !$0.status.isFinal && $0.request.alias == alias }
    }

    /// A store whose records cannot be damaged one by one finds a function's unfinished deployment by listing.
    public func unfinishedDeployment(of function: String) async throws -> Deployment? {
        try await deployments(function: function, status: nil).first { !$0.status.isFinal }
    }
}

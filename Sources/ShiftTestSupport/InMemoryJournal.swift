import Foundation
import ShiftCore

/// A `DeploymentStore` held in memory: keeps every record saved, in order, so tests can check what was
/// journalled before each platform call; holds control requests a test posts; fails saves on demand.
///
/// Lock-protected so that platform observers and `ClockDriver` can read it synchronously.
public final class InMemoryJournal: DeploymentStore, @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var saved: [Deployment] = []
    private var lastOffered: Deployment?
    private var controlRequests: [String: [DeploymentControl]] = [:]
    private var failsSave: (@Sendable (Deployment) -> Bool)?

    /// An empty journal that saves everything.
    public init() {}

    /// Every record saved successfully, oldest first.
    public var records: [Deployment] { lock.withLock { saved } }

    /// The last record saved successfully.
    public var latest: Deployment? { lock.withLock { saved.last } }

    /// Whether the engine is waiting on a hook: the last record it tried to save ends with `HookStarted`.
    ///
    /// While a hook runs the engine records nothing else, and it records the hook's outcome (or a new phase) after.
    public var isAwaitingHookOutcome: Bool {
        lock.withLock { lastOffered?.events.last?.kind == .hookStarted }
    }

    /// Posts a control request, as `shift deployment pause|resume|promote|stop` from another process would.
    @discardableResult
    public func requestControl(_ deploymentID: String, _ action: DeploymentControl.Action, at time: Date, by requester: String = "test") -> DeploymentControl {
        lock.withLock {
            let control = DeploymentControl(sequence: (controlRequests[deploymentID]?.last?.sequence ?? 0) + 1, action: action, requestedAt: time, requestedBy: requester)
            controlRequests[deploymentID, default: []].append(control)
            return control
        }
    }

    /// Posts a stop request, as `shift deployment stop` from another process would.
    public func requestStop(_ deploymentID: String, rollback: Bool, at time: Date, by requester: String = "test") {
        requestControl(deploymentID, .stop(rollback: rollback), at: time, by: requester)
    }

    /// Makes every save of a record satisfying `predicate` throw (the record is not kept), as a full disk would.
    public func failSaves(where predicate: @escaping @Sendable (Deployment) -> Bool) {
        lock.withLock { failsSave = predicate }
    }

    // MARK: DeploymentJournal

    /// Keeps a copy of the record, unless a scripted failure applies.
    /// - Throws: `ShiftCoreError.failed` for a record `failSaves` matches.
    public func save(_ deployment: Deployment) async throws {
        try lock.withLock {
            lastOffered = deployment
            if let failsSave, failsSave(deployment) {
                throw ShiftCoreError.failed(reason: "the journal could not be written (scripted)")
            }
            saved.append(deployment)
        }
    }

    /// The control requests a test posted for the deployment after `sequence`.
    public func controls(for deploymentID: String, after sequence: Int) async throws -> [DeploymentControl] {
        lock.withLock { (controlRequests[deploymentID] ?? []).filter { $0.sequence > sequence } }
    }

    // MARK: DeploymentStore

    /// The last record saved of deployment `id`.
    /// - Throws: `ShiftCoreError.notFound`.
    public func deployment(_ id: String) async throws -> Deployment {
        guard let found = lock.withLock({ saved.last { $0.id == id } }) else {
            throw ShiftCoreError.notFound(kind: "deployment", name: id, hint: "save it first")
        }
        return found
    }

    /// The last record of each deployment, newest first. Records in memory are never damaged.
    /// No index in memory: the records summarised.
    public func summaries(function: String?, status: DeploymentStatus?, limit: Int?,
                          unreadable: @escaping @Sendable (any Error) -> Void) async throws -> DeploymentListing {
        DeploymentListing(newest: limit, of: try await deployments(function: function, status: status, unreadable: unreadable).map(DeploymentSummary.init))
    }

    public func deployments(function: String?, status: DeploymentStatus?, unreadable: @escaping @Sendable (any Error) -> Void) async throws -> [Deployment] {
        lock.withLock {
            var latest: [String: Deployment] = [:]
            for record in saved { latest[record.id] = record }
            return latest.values
                .filter { function == nil || $0.request.functionName == function }
                .filter { status == nil || $0.status == status }
                .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        }
    }

    /// Posts a control request, as `requestControl(_:_:at:by:)` does, at the deployment's last update.
    /// - Throws: `ShiftCoreError.notFound`; `ShiftCoreError.refused` when the deployment has ended.
    public func requestControl(_ id: String, _ action: DeploymentControl.Action, by requester: String) async throws -> DeploymentControl {
        let record = try await deployment(id)
        guard !record.status.isFinal else {
            throw ShiftCoreError.refused(reason: "deployment \(id) has already ended (\(record.status.rawValue)); nothing to \(action)")
        }
        return requestControl(id, action, at: record.updatedAt, by: requester)
    }
}

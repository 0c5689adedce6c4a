import Foundation
import ShiftAWS
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftStorage

/// Where a pipeline's runs, approvals and artifacts live, and how an approver there is identified: the state
/// directory (one machine), or an account's shared state location (S3: every machine with credentials).
public struct PipelineState: Sendable {
    /// Run records.
    public let records: any RunRecords
    /// Approval decisions.
    public let approvals: any ApprovalRecords
    /// Artifacts shared between runners; nil on the state directory, where they stay in the run's directory.
    public let artifacts: ObjectStoreArtifacts?
    /// `s3://BUCKET/PREFIX`, nil on the state directory.
    public let location: String?
    /// The verified AWS identity (ARN) of whoever runs this process, asked of STS; nil on the state directory,
    /// where nothing verifies who types a command.
    public let identify: (@Sendable () async throws -> String)?

    /// The state directory's runs: records, decisions and artifacts in `<state-dir>/pipelines/`.
    public static func local(_ store: PipelineRunStore) -> PipelineState {
        PipelineState(records: store, approvals: store, artifacts: nil, location: nil, identify: nil)
    }

    /// An object store's runs (`pipelines/...` keys, see `ObjectStoreRunRecords`), held with `leases` over the same
    /// store, approvers identified by `identify`.
    public static func shared(_ store: any ObjectStore, leases: SharedLeaseStore, clock: any Clock, identify: @escaping @Sendable () async throws -> String) -> PipelineState {
        PipelineState(records: ObjectStoreRunRecords(store: store, leases: leases, clock: clock), approvals: ObjectStoreApprovalRecords(store: store),
                      artifacts: ObjectStoreArtifacts(store: store), location: store.location, identify: identify)
    }
}

/// Decides where a pipeline's shared state lives: the one place that does.
///
/// - A pipeline file's runs live in the state location of its first account (in file order) that has one; a
///   pipeline none of whose accounts has one keeps its runs in the state directory.
/// - A run named on the command line (`pipeline status|resume|list|logs`, `approve`, `reject`) is looked for in
///   the state location of `--account`, else in the state directory.
///
/// Only AWS accounts have a state location; the store itself is opened by `openStore`, which the composition root
/// supplies (the S3 store), so this type knows no store's implementation.
public struct PipelineStateLocator: Sendable {
    /// The object store of an account's state location, or nil when its settings name none.
    public typealias OpenStore = @Sendable (AccountSettings) throws -> (any ObjectStore)?

    public let root: URL
    let environment: [String: String]
    let clock: any Clock
    let openStore: OpenStore

    public init(root: URL, environment: [String: String], clock: any Clock, openStore: @escaping OpenStore) {
        self.root = root
        self.environment = environment
        self.clock = clock
        self.openStore = openStore
    }

    /// The state directory's run store.
    public var localStore: PipelineRunStore { PipelineRunStore(stateRoot: root, clock: clock) }

    /// Where runs of `pipeline` live.
    /// - Throws: what opening the store throws (a malformed location, unresolvable credentials).
    public func state(for pipeline: Pipeline) throws -> PipelineState {
        for account in pipeline.accounts where account.platform == .aws {
            let settings = LocalPipelineAccounts.settings(of: account)
            if let state = try shared(settings) { return state }
        }
        return .local(localStore)
    }

    /// Where runs of `pipeline` live, once every state location its aws accounts name is checked to be shift's:
    /// claimed when empty, refused when it holds anything else, as `shift account add --state` does. Before a run
    /// is created, so nothing is written among objects shift does not own.
    /// - Throws: `ShiftCoreError.invalidValue` naming the object at fault; `ObjectStoreError` (missing bucket,
    ///   denied, unreachable); what opening the store throws.
    public func claimedState(for pipeline: Pipeline, by claimant: String) async throws -> PipelineState {
        for account in pipeline.accounts where account.platform == .aws {
            if let store = try openStore(LocalPipelineAccounts.settings(of: account)) {
                try await SharedStateMarker.claim(store, by: claimant, at: clock.now)
            }
        }
        return try state(for: pipeline)
    }

    /// Where runs named on the command line are looked for, with `account` as `--account` names it.
    /// - Throws: `StorageError` for a damaged settings file; what opening the store throws.
    public func state(forAccount account: String) throws -> PipelineState {
        let settings = try AccountRegistry(root: root).settings(of: account)
        return try shared(settings) ?? .local(localStore)
    }

    private func shared(_ settings: AccountSettings) throws -> PipelineState? {
        guard settings.platform == .aws, let store = try openStore(settings) else { return nil }
        let environment = self.environment, clock = self.clock
        return .shared(store, leases: try AccountResolver.sharedLeases(over: store, environment: environment, clock: clock), clock: clock) {
            try await AWSPlatform(settings: settings, environment: environment, clock: clock).sts.callerIdentity().arn
        }
    }
}

import Foundation

/// The one way a deployment starts, resumes or is rolled back: `shift deploy`, `shift recover` and every
/// pipeline deploy stage call it, so the publish lease, the alias lease, the orphan policy, the first journal
/// record, the engine run and the outcome are decided here and nowhere else.
///
/// The orphan policy: a deployment of the alias whose process died is finished before another starts. It is
/// resumed from its recorded step when the new request is the same one (same version, schedule, alarms, hooks),
/// and rolled back otherwise.
public struct Deployer: Sendable {
    public let platform: any FunctionCatalog
    public let store: any DeploymentStore
    public let leases: any LeaseStore
    public private(set) var engine: DeploymentEngine

    /// - Parameters:
    ///   - settingNames: how the caller names the request's settings in messages.
    ///   - judge: judges the analyses of requests that carry one (the platform's).
    public init(platform: any FunctionCatalog, alarms: any AlarmSource, store: any DeploymentStore, leases: any LeaseStore, clock: any Clock,
                settingNames: @escaping DeploymentSettingNames = DeploymentSetting.ownNames, judge: (any CanaryJudge)? = nil) {
        self.platform = platform
        self.store = store
        self.leases = leases
        var engine = DeploymentEngine(platform: platform, alarms: alarms, journal: store, clock: clock)
        engine.settingNames = settingNames
        engine.judge = judge
        self.engine = engine
    }

    /// This deployer with its engine reading alarms from `alarms` (a deploy stage's ``BatchedAlarmSource``).
    public func readingAlarms(from alarms: any AlarmSource) -> Deployer {
        var copy = self
        copy.engine.alarms = alarms
        return copy
    }

    /// Seconds between alarm polls when the request does not say: the platform's default.
    public var defaultPollInterval: TimeInterval { platform.defaultPollInterval }

    /// How `deploy` ended.
    public enum Outcome: Sendable {
        /// The alias already routes everything to the target; nothing was done.
        case alreadyAtTarget(Alias)
        /// A dry run: checked and planned, nothing saved or moved.
        case planned(Deployment)
        /// The deployment ran to its end (succeeded, rolled back, stopped or rollback failed).
        case finished(Deployment)
    }

    /// Applies `change` (new code, and configuration when it has any) to the function and publishes exactly that
    /// as a version, holding the function's publish lease so that two deployers of one function do not interleave.
    /// - Throws: the platform's errors; `CancellationError` while waiting for the lease.
    public func publish(_ function: String, applying change: FunctionChange, description: String) async throws -> (version: FunctionVersion, isNew: Bool) {
        try await leases.withLease(.publish(function: function)) {
            try await platform.publish(function, applying: change, description: description)
        }
    }

    /// Deploys `request` under its alias's lease: finishes an interrupted deployment of the alias first (see the
    /// type's orphan policy), runs the engine's checks, publishes `publishing` when given (after every check that
    /// does not need the version, so bad input publishes nothing), journals the deployment, calls `started`, runs
    /// the engine and returns the final record.
    /// - Parameters:
    ///   - publishing: code (and configuration) to publish as the version to deploy; `request.targetVersion` is then ignored.
    ///   - dryRun: check and plan only.
    ///   - observe: the engine's updates, and the deployer's own notes and warnings.
    ///   - started: called once the deployment is journalled, before any traffic moves.
    /// - Throws: `ShiftCoreError.conflict` naming the holder when someone else holds the alias; what the checks
    ///   and `publishing` throw; `ShiftCoreError.rollbackFailed` when an interrupted deployment could not be rolled back.
    public func deploy(_ request: DeploymentRequest, id: String, publishing: FunctionChange? = nil, dryRun: Bool = false,
                       interruption: Interruption = Interruption(), observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in },
                       started: @Sendable (Deployment) async throws -> Void = { _ in }) async throws -> Outcome {
        var request = request
        try request.validate(naming: engine.settingNames)
        let function = request.functionName, alias = request.alias
        let key = LeaseKey.alias(function: function, alias: alias)
        guard let lease = try await leases.tryAcquire(key, deployment: id) else {
            if let holder = try await leases.holder(of: key) {
                let stop = holder.deploymentId.map { ", or stop it with 'shift deployment stop \($0)'" } ?? ""
                throw ShiftCoreError.conflict(reason: "alias \(function):\(alias) is held by \(holder.summary); wait for it\(stop)")
            }
            guard let holder = try await store.unfinishedDeployment(of: alias, function: function) else {
                // Held before the first record (a deployment starting or publishing, a dry run, a recover): no id to stop yet.
                throw ShiftCoreError.conflict(reason: "alias \(function):\(alias) is held by another process that has not recorded a deployment yet (one starting, a dry run or a recover); wait for it, then try again")
            }
            throw ShiftCoreError.conflict(reason: "alias \(function):\(alias) is held by deployment \(holder.id) (started \(Timestamp.format(holder.createdAt))); wait for it, or stop it with 'shift deployment stop \(holder.id)'")
        }
        do {
            let outcome = try await deployHolding(&request, id: id, lease: lease, publishing: publishing, dryRun: dryRun, interruption: interruption, observe: observe, started: started)
            await lease.release()
            return outcome
        } catch {
            await lease.release()
            throw error
        }
    }

    private func deployHolding(_ request: inout DeploymentRequest, id: String, lease: any Lease, publishing: FunctionChange?, dryRun: Bool,
                               interruption: Interruption, observe: @escaping @Sendable (DeploymentUpdate) -> Void,
                               started: @Sendable (Deployment) async throws -> Void) async throws -> Outcome {
        let function = request.functionName, alias = request.alias
        if let orphan = try await store.unfinishedDeployment(of: alias, function: function) {
            // Holding the alias's lease, an unfinished deployment is one whose process died.
            if dryRun {
                throw ShiftCoreError.conflict(reason: "deployment \(orphan.id) of \(function):\(alias) was interrupted (its process died); a deployment would first finish it: run 'shift recover', or deploy without a dry run")
            }
            let resume = publishing == nil && orphan.request == request
            observe(.note("deployment \(orphan.id) was interrupted; \(resume ? "resuming it" : "rolling it back")"))
            if resume {
                try await started(orphan)
                return .finished(try await watching(lease, interruption: interruption) { await engine.recover(orphan, resume: true, interruption: interruption, observe: observe) })
            }
            let recovered = try await watching(lease, interruption: interruption) { await engine.recover(orphan, resume: false, interruption: interruption, observe: observe) }
            guard recovered.rolledBack else {
                throw ShiftCoreError.rollbackFailed(reason: "interrupted deployment \(recovered.id) of \(function):\(alias) could not be rolled back (\(recovered.status.rawValue)); see 'shift deployment get \(recovered.id)'")
            }
        }
        if let publishing {
            try await engine.checkBeforeTargetExists(request)
            let published = try await publish(function, applying: publishing, description: "deployed by shift deploy")
            observe(.note("\(published.isNew ? "published" : "code unchanged; using") \(function):\(published.version.number)"))
            request.targetVersion = published.version.number
        }
        switch try await engine.prepare(request, id: id) {
        case let .alreadyAtTarget(current):
            return .alreadyAtTarget(current)
        case let .ready(deployment, warnings):
            warnings.forEach { observe(.warning($0)) }
            if dryRun { return .planned(deployment) }
            // The first journal record, before anything moves.
            try await store.save(deployment)
            try await started(deployment)
            return .finished(try await watching(lease, interruption: interruption) { await engine.run(deployment, interruption: interruption, observe: observe) })
        }
    }

    /// Runs the engine (`body`) holding `lease`: when the lease is lost (a shared lease that lapsed while the store
    /// could not be reached, or was taken), the run is interrupted as by a signal, and the engine rolls back unless
    /// its journal refuses the write (fencing). A run that ends unfinished was fenced.
    /// - Throws: `ShiftCoreError.conflict` when the engine was fenced: another process owns the deployment now.
    private func watching(_ lease: any Lease, interruption: Interruption, _ body: @escaping @Sendable () async -> Deployment) async throws -> Deployment {
        let task = Task { await body() }
        lease.onLost { reason in
            interruption.record("the loss of its lease (\(reason))")
            task.cancel()
        }
        let final = await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
        guard final.status.isFinal else {
            throw ShiftCoreError.conflict(reason: "deployment \(final.id) of \(final.request.functionName):\(final.request.alias): its lease was taken by another process, which now owns the deployment; this process stopped without another platform call (see 'shift deployment get \(final.id)')")
        }
        return final
    }

    /// One interrupted deployment as `recover` found and left it.
    public struct Recovery: Sendable {
        /// The record as the dead process left it.
        public var found: Deployment
        /// The record after recovery.
        public var final: Deployment

        /// Whether recovery did what was asked: a resumed deployment succeeded, or a rollback (asked for, or one the
        /// dead process had begun) finished. A resumed deployment that rolls back for its own reasons failed.
        public func isRecovered(resuming: Bool) -> Bool {
            let wasRollingBack: Bool = { if case .rollingBack = found.phase { return true } else { return false } }()
            return final.status == .succeeded || (final.rolledBack && (!resuming || wasRollingBack))
        }
    }

    /// Finishes every deployment whose process died (or only `id`): rolled back, or resumed from its recorded step
    /// when `resume`. A deployment whose alias someone holds is skipped: its process is alive. A damaged record
    /// goes to `unreadable` and blocks nothing else.
    /// - Throws: the store's errors; a `.badInput` error when `id` names no deployment.
    public func recover(only id: String? = nil, resume: Bool, interruption: Interruption = Interruption(),
                        unreadable: @escaping @Sendable (any Error) -> Void = { _ in },
                        observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in }) async throws -> [Recovery] {
        if let id { _ = try await store.deployment(id) }
        var recoveries: [Recovery] = []
        // The index's summaries say which deployments have not ended: only those records are read.
        for candidate in try await store.allSummaries(function: nil, status: nil, unreadable: unreadable) where !candidate.status.isFinal && (id == nil || candidate.deploymentId == id) {
            if let recovery = try await recoverInterrupted(alias: candidate.alias, of: candidate.functionName, resume: resume, interruption: interruption, observe: observe) {
                recoveries.append(recovery)
            } else if id != nil, let holder = try await leases.holder(of: .alias(function: candidate.functionName, alias: candidate.alias)), holder.expiresAt > engine.clock.now {
                throw ShiftCoreError.conflict(reason: "deployment \(candidate.deploymentId) is still held by \(holder.summary): its process may be alive; recover it after the lease lapses (\(Timestamp.format(holder.expiresAt))) or stop it with 'shift deployment stop \(candidate.deploymentId)'")
            }
        }
        return recoveries
    }

    /// Finishes the interrupted deployment of `function:alias`, if there is one: nil when there is none or a live
    /// process holds the alias.
    /// - Throws: the store's errors.
    public func recoverInterrupted(alias: String, of function: String, resume: Bool, interruption: Interruption = Interruption(),
                                   observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in }) async throws -> Recovery? {
        let key = LeaseKey.alias(function: function, alias: alias)
        guard let unfinished = try await store.unfinishedDeployment(of: alias, function: function) else { return nil }
        guard let lease = try await leases.tryAcquire(key, deployment: unfinished.id) else {
            if let holder = try await leases.holder(of: key) {
                observe(.note("deployment \(unfinished.id) of \(function):\(alias) is held by \(holder.summary); left alone: recover it after its lease lapses"))
            }
            return nil
        }
        let orphan: Deployment?
        do {
            // Read again holding the lease: the deployment may have ended in between.
            orphan = try await store.unfinishedDeployment(of: alias, function: function)
        } catch {
            await lease.release()
            throw error
        }
        guard let orphan else {
            await lease.release()
            return nil
        }
        do {
            let final = try await watching(lease, interruption: interruption) { await engine.recover(orphan, resume: resume, interruption: interruption, observe: observe) }
            await lease.release()
            return Recovery(found: orphan, final: final)
        } catch {
            await lease.release()
            throw error
        }
    }

    /// Puts a deployment that succeeded back on its original version, with the engine's journalled, retried
    /// rollback, because `reason` (a deploy stage whose other function failed). The record ends Stopped, rolled back.
    /// - Throws: `ShiftCoreError.conflict` when someone holds the alias; `.refused` when the deployment did not succeed.
    public func rollBack(_ id: String, because reason: String, observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in }) async throws -> Deployment {
        let found = try await store.deployment(id)
        let function = found.request.functionName, alias = found.request.alias
        guard let lease = try await leases.tryAcquire(.alias(function: function, alias: alias)) else {
            throw ShiftCoreError.conflict(reason: "another process holds alias \(function):\(alias); roll it back with 'shift alias update \(function) \(alias) --version \(found.originalVersion) --no-additional-version' once it is free")
        }
        var record = try await store.deployment(id)
        guard record.status == .succeeded else {
            await lease.release()
            throw ShiftCoreError.refused(reason: "deployment \(id) is \(record.status.rawValue), not Succeeded; only a finished deployment is rolled back this way")
        }
        let why = RollbackReason.stageAborted(detail: reason)
        record.phase = .rollingBack(reason: why)
        record.events.append(DeploymentEvent(time: engine.clock.now, kind: .rollbackStarted, message: "rolling back to version \(record.originalVersion): \(why)"))
        observe(.event(record.events[record.events.count - 1]))
        do {
            // Journal the decision before acting on it.
            try await store.save(record)
        } catch {
            await lease.release()
            throw error
        }
        let final = await engine.run(record, observe: observe)
        await lease.release()
        return final
    }
}

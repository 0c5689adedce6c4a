import Foundation
import ShiftCore
import ShiftStorage

extension PipelineRunner {
    /// How one function of a deploy stage ended.
    enum FunctionOutcome: Sendable {
        case succeeded
        case failed(String)
        case rollbackFailed(String)
        /// Not deployed, or rolled back, because the stage aborted.
        case aborted
    }

    /// A deploy stage: every function deployed with the same engine as `shift deploy`, at most `concurrency` at
    /// once. When one fails (or a signal arrives) the others roll back too: those still deploying are cancelled
    /// (the engine rolls them back), those already done are put back on their original version.
    ///
    /// The stage's deployments read their alarms through one ``BatchedAlarmSource``: one read of every name they
    /// watch per poll interval, whatever the number of functions.
    func runDeploy(_ stage: DeployStage, stage index: Int, recorder: RunRecorder, interruption: Interruption) async -> StageOutcome {
        let run = await recorder.run
        let name = run.stages[index].name
        let target: any DeployTarget
        let alarms: BatchedAlarmSource
        do {
            guard let account = run.pipeline.account(stage.account) else { return .failed(.failed, "account \(stage.account) is not declared") }
            let accountTarget = try accounts.target(for: account, stage: name)
            let deployer = accountTarget.deployer
            let intervals = stage.functions.map { $0.pollInterval ?? deployer.defaultPollInterval }
            alarms = BatchedAlarmSource(source: deployer.engine.alarms, clock: clock, freshness: intervals.min() ?? deployer.defaultPollInterval,
                                        retention: 3 * (intervals.max() ?? deployer.defaultPollInterval))
            target = StageDeployTarget(account: accountTarget, deployer: deployer.readingAlarms(from: alarms))
            if let reason = run.stages[index].abortReason {
                return await finishAbort(stage, stage: index, target: target, recorder: recorder, because: reason)
            }
            try await recorder.update(stage: index) { record in
                let previous = record.deployments
                record.deployments = stage.functions.map { entry in
                    var fresh = FunctionDeploymentRecord(function: entry.function, alias: entry.alias)
                    // What an earlier attempt learnt about the original version is kept, to roll back to it.
                    fresh.originalVersion = previous.first { $0.function == entry.function && $0.alias == entry.alias }?.originalVersion
                    return fresh
                }
            }
        } catch {
            return .failed(.failed, Self.describe(error))
        }

        let abort = StageAbort()
        let outcomes: [FunctionOutcome] = await withTaskCancellationHandler {
            await withTaskGroup(of: (Int, FunctionOutcome).self) { group in
                var results = [FunctionOutcome](repeating: .aborted, count: stage.functions.count)
                var next = 0
                func start(_ position: Int) {
                    let entry = stage.functions[position]
                    let functionInterruption = abort.interruption()
                    group.addTask {
                        // Registered in the child itself, so the signal's name is recorded before the engine sees
                        // the cancellation (a sibling's failure was recorded before the group was cancelled).
                        await withTaskCancellationHandler {
                            (position, await deployFunction(entry, stage: index, target: target, recorder: recorder, interruption: functionInterruption))
                        } onCancel: {
                            functionInterruption.record(interruption.signal ?? "cancellation")
                        }
                    }
                }
                while next < min(stage.concurrency, stage.functions.count) { start(next); next += 1 }
                while let (position, outcome) = await group.next() {
                    results[position] = outcome
                    switch outcome {
                    case let .failed(reason), let .rollbackFailed(reason):
                        // The decision is journalled before the siblings are told.
                        try? await recorder.update(stage: index) { $0.abortReason = $0.abortReason ?? "\(stage.functions[position].function): \(reason)" }
                        if abort.abort("a rollback of \(stage.functions[position].function) in the same stage"), stage.functions.count > 1 {
                            await recorder.log(stage: index, "\(stage.functions[position].function) failed (\(reason)); rolling back the stage's other functions")
                        }
                        group.cancelAll()
                    case .succeeded, .aborted:
                        break
                    }
                    if next < stage.functions.count, abort.reason == nil, !Task.isCancelled {
                        start(next)
                        next += 1
                    }
                }
                return results
            }
        } onCancel: {
            abort.abort(interruption.signal ?? "cancellation")
        }

        let calls = await alarms.platformCalls
        if calls > 0 {
            await recorder.log(stage: index, "alarms: \(await alarms.namesAsked) alarm names of \(stage.functions.count) functions read in \(calls) platform calls (one read for all of them per \(DurationParser.format(alarms.freshness)) poll)")
        }
        let failures = outcomes.enumerated().compactMap { position, outcome -> String? in
            switch outcome {
            case let .failed(reason), let .rollbackFailed(reason): return "\(stage.functions[position].function): \(reason)"
            case .succeeded, .aborted: return nil
            }
        }
        // Fencing: a runner whose run was taken over rolls nothing back; the runner that holds the run decides.
        if await recorder.takenOver != nil { return .interrupted("a takeover of the run by another runner") }
        guard failures.isEmpty, interruption.signal == nil, !Task.isCancelled else {
            let reason = failures.first ?? "interrupted by \(interruption.signal ?? "cancellation")"
            await rollBackSucceeded(stage, outcomes: outcomes, stage: index, target: target, recorder: recorder, because: reason)
            for (position, outcome) in outcomes.enumerated() where outcome.isAborted {
                let entry = stage.functions[position]
                try? await recorder.update(stage: index, function: entry.function, alias: entry.alias) { record in
                    guard record.status == .pending || record.status == .deploying else { return }
                    record.status = .rolledBack
                    record.message = record.message ?? "not deployed: \(reason)"
                }
            }
            if failures.isEmpty { return .interrupted(interruption.signal ?? "cancellation") }
            return .failed(.failed, failures.joined(separator: "; "))
        }
        return .completed
    }

    /// Downloads, from the shared store, every artifact the stage deploys that is not in this machine's copy of the
    /// run (resumed on another runner, or its cache deleted), each checked against the hash the run recorded. A
    /// local copy whose bytes are no longer the recorded ones is a stale cache: it is replaced from the store.
    /// - Throws: `PipelineError.artifactMismatch`, `.corruptRun`; `ObjectStoreError`.
    func fetchArtifacts(for stage: DeployStage, of run: PipelineRun) async throws {
        guard let sharedArtifacts else { return }
        let collected = run.stages.flatMap(\.artifacts)
        let names = Set(stage.functions.compactMap { run.pipeline.function($0.function)?.artifact })
        for artifact in collected where names.contains(artifact.name) {
            let local = store.runDirectory(run.id).appendingPathComponent(artifact.path)
            if FileManager.default.fileExists(atPath: local.path) {
                guard (try? files.hash(of: local)) != artifact.sha256 else { continue }
                try? FileManager.default.removeItem(at: local)
            }
            try AtomicFile.createDirectory(local.deletingLastPathComponent())
            try await sharedArtifacts.download(artifact, to: local, files: files)
        }
    }

    /// Finishes what a runner that died mid-abort began: deployments it left in flight are rolled back by the engine,
    /// functions it had finished are put back on their original version; the stage then fails for the recorded reason.
    private func finishAbort(_ stage: DeployStage, stage index: Int, target: any DeployTarget, recorder: RunRecorder, because reason: String) async -> StageOutcome {
        let deployer = target.deployer
        await recorder.log(stage: index, "the previous runner was rolling this stage back (\(reason)); finishing the rollback")
        let records = await recorder.run.stages[index].deployments
        var outcomes: [FunctionOutcome] = []
        for entry in stage.functions {
            let record = records.first { $0.function == entry.function && $0.alias == entry.alias }
            if let recovered = try? await deployer.recoverInterrupted(alias: entry.alias, of: entry.function, resume: false)?.final {
                await recorder.log(stage: index, "\(entry.function):\(entry.alias): interrupted deployment \(recovered.id) \(recovered.rolledBack ? "rolled back" : recovered.status.rawValue.lowercased())")
                try? await recorder.update(stage: index, function: entry.function, alias: entry.alias) {
                    $0.status = recovered.rolledBack ? .rolledBack : .rollbackFailed
                    $0.message = "deployment \(recovered.id) rolled back after the runner died: \(reason)"
                }
                outcomes.append(recovered.rolledBack ? .aborted : .rollbackFailed(recovered.phase.reason?.description ?? "rollback failed"))
            } else if record?.status == .succeeded, record?.deploymentId != nil {
                outcomes.append(.succeeded)
            } else if let id = record?.deploymentId, (try? await deployer.store.deployment(id))?.status == .succeeded {
                // Done, even if the dead runner had not yet written so: it goes back like any finished function.
                outcomes.append(.succeeded)
            } else {
                outcomes.append(.aborted)
            }
        }
        await rollBackSucceeded(stage, outcomes: outcomes, stage: index, target: target, recorder: recorder, because: reason)
        return .failed(.failed, reason)
    }

    /// Puts each function that had finished deploying back on its original version, through the engine's
    /// journalled, retried rollback of its deployment.
    private func rollBackSucceeded(_ stage: DeployStage, outcomes: [FunctionOutcome], stage index: Int, target: any DeployTarget, recorder: RunRecorder, because reason: String) async {
        let deployer = target.deployer
        let records = await recorder.run.stages[index].deployments
        let stageName = await recorder.run.stages[index].name
        for (position, outcome) in outcomes.enumerated() {
            guard case .succeeded = outcome else { continue }
            let entry = stage.functions[position]
            guard let record = records.first(where: { $0.function == entry.function && $0.alias == entry.alias }) else { continue }
            guard let original = record.originalVersion, let id = record.deploymentId else {
                try? await recorder.update(stage: index, function: entry.function, alias: entry.alias) {
                    $0.status = .rolledBack
                    $0.message = "alias created by this stage at version \($0.version.map(String.init) ?? "?"); nothing earlier to roll back to"
                }
                continue
            }
            let observe = deploymentObserver(stage: stageName, function: entry.function, index: index, recorder: recorder)
            do {
                let final = try await deployer.rollBack(id, because: reason, observe: observe)
                guard final.rolledBack else { throw ShiftCoreError.rollbackFailed(reason: final.phase.reason?.description ?? final.status.rawValue) }
                await recorder.log(stage: index, "rolled back \(entry.function):\(entry.alias) to version \(original) because \(reason)")
                try? await recorder.update(stage: index, function: entry.function, alias: entry.alias) {
                    $0.status = .rolledBack
                    $0.message = "rolled back to version \(original) because \(reason)"
                }
            } catch {
                await recorder.log(stage: index, "ROLLBACK FAILED for \(entry.function):\(entry.alias): \(Self.describe(error)); restore it with 'shift alias update \(entry.function) \(entry.alias) --version \(original) --no-additional-version'")
                try? await recorder.update(stage: index, function: entry.function, alias: entry.alias) {
                    $0.status = .rollbackFailed
                    $0.message = "rollback to version \(original) failed: \(Self.describe(error))"
                }
            }
        }
    }

    /// One function: check the artifact's hash, put the stage's alarms, publish the artifact as a version, and
    /// move the alias with the engine (creating the alias on a first deployment).
    ///
    /// What the platform notes about this function's calls (a PublishVersion retried after throttling) goes to the
    /// stage's log under the function's name; once its deployment runs, to the deployment's journal.
    func deployFunction(_ entry: FunctionDeployment, stage index: Int, target: any DeployTarget, recorder: RunRecorder, interruption: Interruption) async -> FunctionOutcome {
        let notices = PlatformNotices()
        return await PlatformNotices.$current.withValue(notices) {
            let outcome = await deployFunction(entry, stage: index, target: target, recorder: recorder, interruption: interruption, notices: notices)
            for notice in notices.drain() { await recorder.log(stage: index, "\(entry.function):\(entry.alias): \(notice)") }
            return outcome
        }
    }

    private func deployFunction(_ entry: FunctionDeployment, stage index: Int, target: any DeployTarget, recorder: RunRecorder, interruption: Interruption,
                                notices: PlatformNotices) async -> FunctionOutcome {
        let deployer = target.deployer
        let run = await recorder.run
        let stageName = run.stages[index].name
        let subject = "\(entry.function):\(entry.alias)"
        func note(_ text: String) async {
            for notice in notices.drain() { await recorder.log(stage: index, "\(subject): \(notice)") }
            await recorder.log(stage: index, "\(subject): \(text)")
        }
        func update(_ change: @escaping @Sendable (inout FunctionDeploymentRecord) -> Void) async throws {
            try await recorder.update(stage: index, function: entry.function, alias: entry.alias, change)
        }
        if Task.isCancelled { return .aborted }
        do {
            guard let function = run.pipeline.function(entry.function) else { throw Refusal("function \(entry.function) is not declared") }
            guard let artifact = run.stages.flatMap(\.artifacts).first(where: { $0.name == function.artifact }) else {
                throw Refusal("artifact \(function.artifact) was not collected by any stage of this run")
            }
            // Promote the bytes that were built, unchanged, or nothing.
            let code = store.runDirectory(run.id).appendingPathComponent(artifact.path)
            let hash = try files.hash(of: code)
            guard hash == artifact.sha256 else {
                throw Refusal("artifact \(artifact.name) changed since it was built (recorded sha256 \(artifact.sha256), now \(hash)); refusing to deploy it: start a new run to build it again")
            }
            let environment = function.environment.merging(entry.environment) { _, stage in stage }
            try await target.putAlarms(entry.alarmDefinitions, description: "pipeline \(run.pipeline.name), stage \(stageName)")
            if environment.values.contains(where: { $0.contains(ParameterReference.opening) }), let account = run.pipeline.account(run.pipeline.stages[index].deployAccount ?? "") {
                // Every referenced parameter must exist now; its value is resolved again at each invocation.
                let resolver = try accounts.resolver(for: account, stage: stageName)
                for value in environment.values { _ = try await ParameterReference.resolve(in: value, using: resolver) }
            }
            let functions = deployer.platform
            let published = try await target.publish(function, code: code, environment: environment,
                                                     description: "pipeline \(run.pipeline.name) run \(run.id) stage \(stageName)")
            // The bytes checked before the upload are the bytes after it: what was published is what was built.
            let after = try files.hash(of: code)
            guard after == artifact.sha256 else {
                throw Refusal("artifact \(artifact.name) changed while version \(published.version.number) was published (recorded sha256 \(artifact.sha256), now \(after)); start a new run to build it again")
            }
            let version = published.version.number
            try await update { $0.version = version; $0.status = .deploying }
            await note("\(published.isNew ? "published" : "unchanged; using") version \(version) (CodeSha256 \(published.version.codeSHA256))")

            guard (try? await functions.alias(entry.alias, of: entry.function)) != nil else {
                _ = try await functions.createAlias(entry.alias, of: entry.function, routing: .single(version), description: "created by pipeline \(run.pipeline.name)")
                await note("created alias \(entry.alias) at version \(version) (a first deployment has nothing to shift from)")
                try await update { $0.status = .succeeded; $0.message = "alias created at version \(version)" }
                return .succeeded
            }

            let observe = deploymentObserver(stage: stageName, function: entry.function, index: index, recorder: recorder)
            var generator = SystemRandomNumberGenerator()
            let request = DeploymentRequest(functionName: entry.function, alias: entry.alias, targetVersion: version, preference: entry.preference, alarms: entry.alarms,
                                            preTrafficHook: entry.preTrafficHook, postTrafficHook: entry.postTrafficHook, hookTimeout: entry.hookTimeout,
                                            bake: entry.bake, pollInterval: entry.pollInterval ?? deployer.defaultPollInterval, analysis: entry.analysis)
            let traffic = TrafficHandle()
            defer { traffic.stop() }
            let outcome = try await deployer.deploy(request, id: Deployment.makeID(using: &generator), interruption: interruption, observe: observe) { deployment in
                // Name the journalled deployment in the run before any traffic moves.
                try await recorder.update(stage: index, function: entry.function, alias: entry.alias) {
                    $0.deploymentId = deployment.id
                    $0.originalVersion = deployment.originalVersion
                }
                traffic.start(startTraffic(entry, platform: deployer.platform))
            }
            switch outcome {
            case .alreadyAtTarget, .planned:
                // What the stage rolls back to if another function fails: the deployment that brought it here.
                let earlier = try await deployer.store.deployments(function: entry.function, status: .succeeded)
                    .first { $0.request.alias == entry.alias && $0.request.targetVersion == version }
                await note("already routes all traffic to version \(version)")
                try await update {
                    $0.status = .succeeded
                    $0.message = "already at version \(version)"
                    if let earlier { $0.deploymentId = earlier.id; $0.originalVersion = $0.originalVersion ?? earlier.originalVersion }
                }
                return .succeeded
            case let .finished(final):
                return try await finish(final, update: update)
            }
        } catch {
            let reason = Self.describe(error)
            try? await update { $0.status = .failed; $0.message = reason }
            return .failed(reason)
        }
    }

    /// Records how a deployment ended and turns it into the function's outcome.
    private func finish(_ deployment: Deployment, update: (@escaping @Sendable (inout FunctionDeploymentRecord) -> Void) async throws -> Void) async throws -> FunctionOutcome {
        let reason = deployment.phase.reason?.description ?? deployment.status.rawValue
        switch deployment.status {
        case .succeeded:
            try await update { $0.status = .succeeded; $0.message = "deployment \(deployment.id) succeeded" }
            return .succeeded
        case .rollbackFailed:
            try await update { $0.status = .rollbackFailed; $0.message = "deployment \(deployment.id): \(reason)" }
            return .rollbackFailed("deployment \(deployment.id) could not roll back: a human must act (\(reason))")
        case .failed, .stopped, .created, .inProgress:
            if case .interrupted? = deployment.phase.reason {
                try await update { $0.status = .rolledBack; $0.message = "deployment \(deployment.id) rolled back: \(reason)" }
                return .aborted
            }
            try await update { $0.status = .failed; $0.message = "deployment \(deployment.id) \(deployment.status.rawValue.lowercased())\(deployment.rolledBack ? ", rolled back" : ""): \(reason)" }
            return .failed("deployment \(deployment.id) \(deployment.rolledBack ? "rolled back" : deployment.status.rawValue.lowercased()): \(reason)")
        }
    }

    private func deploymentObserver(stage: String, function: String, index: Int, recorder: RunRecorder) -> @Sendable (DeploymentUpdate) -> Void {
        let url = store.logFile(recorder.runID, stage: stage)
        let observe = recorder.observe
        let clock = clock
        return { update in
            let event: DeploymentEvent
            switch update {
            case let .event(journalled): event = journalled
            case let .note(text): event = DeploymentEvent(time: clock.now, kind: .note, message: text)
            case let .warning(text): event = DeploymentEvent(time: clock.now, kind: .warning, message: "warning: \(text)")
            case .holding: return
            }
            RunLog.append("\(Timestamp.format(event.time)) \(function): \(event.message)\n", to: url)
            observe(.deployment(stage: stage, function: function, event: event))
        }
    }

    /// Synthetic invocations through the alias while it deploys, when the stage asks for them.
    private func startTraffic(_ entry: FunctionDeployment, platform: any FunctionPlatform) -> Task<Void, Never>? {
        guard let rate = entry.traffic,
              let generator = try? TrafficGenerator(platform: platform, clock: clock, function: entry.function, qualifier: .alias(entry.alias),
                                                    payload: Data("{\"source\": \"shift pipeline\"}".utf8), rate: rate, duration: 86_400, maximumConcurrency: 8) else { return nil }
        return Task { _ = await generator.run(reportInterval: 3600) }
    }
}

extension PipelineRunner.FunctionOutcome {
    var isFailure: Bool {
        switch self {
        case .failed, .rollbackFailed: return true
        case .succeeded, .aborted: return false
        }
    }

    var isAborted: Bool {
        if case .aborted = self { return true }
        return false
    }
}

extension PipelineStage {
    /// The account of a deploy stage.
    var deployAccount: String? {
        if case let .deploy(stage) = kind { return stage.account }
        return nil
    }
}

/// The synthetic traffic of one function's deployment: started once the deployment is journalled, stopped when it ends.
final class TrafficHandle: @unchecked Sendable {
    // Guarded by `lock`.
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    func start(_ task: Task<Void, Never>?) { lock.withLock { self.task = task } }
    func stop() { lock.withLock { task?.cancel() } }
}

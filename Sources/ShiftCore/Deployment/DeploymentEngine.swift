import Foundation

/// Moves an alias from its original version to a target version on a schedule, watching alarms and hooks,
/// and rolls back on any failure (DESIGN.md section 3).
///
/// The engine knows only protocols: a platform, an alarm source, a journal and a clock. Every change of phase
/// is journalled before the platform call it leads to, and its outcome after, so a deployment whose process
/// died can be recovered from its record.
public struct DeploymentEngine: Sendable {
    public let platform: any FunctionPlatform
    public internal(set) var alarms: any AlarmSource
    public let journal: any DeploymentJournal
    public let clock: any Clock
    /// How many times a rollback tries to restore the alias before it gives up as RollbackFailed.
    public var rollbackAttempts = 5
    /// Seconds before the second rollback attempt; doubled for each further one.
    public var rollbackBackoff: TimeInterval = 0.5
    /// How long a step waits for its journal write while the journal cannot be reached (a shared store's outage),
    /// holding the alias where it is, before the deployment rolls back. On shared state the lease (60 s) lapses first
    /// in a long outage, and its loss interrupts the deployment sooner.
    public var stepJournalPatience: TimeInterval = 60
    /// How long the final record (Succeeded, RolledBack, Stopped, RollbackFailed) is tried again while the journal
    /// cannot be reached (a shared store's outage), so that the store says how the deployment ended once it is back.
    public var finalRecordPatience: TimeInterval = 180
    /// Seconds before the final record's second try; doubled for each further one, up to ``finalRecordBackoffLimit``.
    public var finalRecordBackoff: TimeInterval = 1
    /// The longest wait between two tries of the final record: how late the record may follow the store's return.
    public var finalRecordBackoffLimit: TimeInterval = 8
    /// How the caller names the request's settings in messages (`--allow-alarming`, `hookTimeout:`).
    public var settingNames: DeploymentSettingNames = DeploymentSetting.ownNames
    /// Judges the target version against the original one at each analysis point of a request with an analysis.
    public var judge: (any CanaryJudge)?

    public init(platform: any FunctionPlatform, alarms: any AlarmSource, journal: any DeploymentJournal, clock: any Clock) {
        self.platform = platform
        self.alarms = alarms
        self.journal = journal
        self.clock = clock
    }

    /// What the checks before a deployment found.
    public enum Preparation: Sendable {
        /// Ready to run; `warnings` are worth telling the user (alarms in INSUFFICIENT_DATA, alarming alarms allowed).
        case ready(Deployment, warnings: [String])
        /// The alias already sends all traffic to the target version: nothing to do.
        case alreadyAtTarget(Alias)
    }

    /// Checks everything a deployment needs before anything changes, and builds its record (not yet saved).
    /// - Throws: `ShiftCoreError` (`.badInput`) naming what is wrong and how to fix it.
    public func prepare(_ request: DeploymentRequest, id: String) async throws -> Preparation {
        try validate(request)
        _ = try await platform.version(request.targetVersion, of: request.functionName)
        let alias = try await deployableAlias(for: request)
        if alias.routing.primaryVersion == request.targetVersion {
            return .alreadyAtTarget(alias)
        }
        let (warnings, suppressed) = try await checkHooksAndAlarms(of: request)
        let deployment = Deployment(id: id, request: request, originalVersion: alias.routing.primaryVersion, createdAt: clock.now, aliasRevisionId: alias.revisionId, suppressedAlarms: suppressed)
        return .ready(deployment, warnings: warnings)
    }

    /// Checks everything `prepare` checks except the target version (the alias, the hooks, the alarms), so that a
    /// version published for the deployment (`shift deploy --code`) is published only when the rest would pass.
    /// - Throws: `ShiftCoreError` (`.badInput`) naming what is wrong and how to fix it.
    public func checkBeforeTargetExists(_ request: DeploymentRequest) async throws {
        try validate(request)
        _ = try await deployableAlias(for: request)
        _ = try await checkHooksAndAlarms(of: request)
    }

    /// The request's own rules, and a judge for its analysis.
    private func validate(_ request: DeploymentRequest) throws {
        try request.validate(naming: settingNames)
        if request.analysis != nil, judge == nil {
            throw ShiftCoreError.invalidValue(field: "analysis", value: "\(request.analysis?.metrics.count ?? 0) metrics",
                                              expected: "a platform that can judge a canary analysis; this one cannot read the samples it needs")
        }
    }

    /// The request's alias, refused when it already splits traffic.
    private func deployableAlias(for request: DeploymentRequest) async throws -> Alias {
        let alias = try await platform.alias(request.alias, of: request.functionName)
        if let additional = alias.routing.additionalVersion {
            throw ShiftCoreError.refused(reason: "alias \(request.functionName):\(request.alias) already splits traffic (\(alias.routing)); finish that first, e.g. 'shift recover' after an interrupted deployment, or 'shift alias update \(request.functionName) \(request.alias) --version \(alias.routing.primaryVersion) --no-additional-version' (additional version \(additional.version))")
        }
        return alias
    }

    /// The hooks are invocable and no watched alarm is missing or (unless allowed) in ALARM; returns the warnings
    /// worth telling the user and the alarms `allowAlarming` suppresses.
    private func checkHooksAndAlarms(of request: DeploymentRequest) async throws -> (warnings: [String], suppressed: [String]) {
        for hook in [request.preTrafficHook, request.postTrafficHook].compactMap({ $0 }) {
            let (function, qualifier) = try FunctionQualifier.split(hook)
            try await platform.checkInvocable(function, qualifier: qualifier)
        }
        var warnings: [String] = []
        var suppressed: [String] = []
        if !request.alarms.isEmpty {
            let states = try await alarms.alarmStates(named: request.alarms)
            for name in request.alarms {
                guard let state = states[name] else { continue }
                switch state.value {
                case .alarm where request.allowAlarming:
                    suppressed.append(name)
                    warnings.append("alarm \(name) is in ALARM; \(settingNames(.allowAlarming) ?? "allowAlarming") ships anyway and watches it again once it leaves ALARM")
                case .alarm:
                    let allow = settingNames(.allowAlarming).map { ", or pass \($0) to ship a fix for it" } ?? ""
                    throw ShiftCoreError.refused(reason: "alarm \(name) is in ALARM (\(state.reason)); wait for it to clear\(allow)")
                case .insufficientData:
                    warnings.append("alarm \(name) is in INSUFFICIENT_DATA: it cannot fire until it has data (CodeDeploy would silently never fire it)")
                case .ok:
                    break
                }
            }
        }
        return (warnings, suppressed)
    }

    /// Runs a deployment from whatever phase its record is in to the end, and returns the final record.
    ///
    /// A fresh deployment starts at `created`; a recovered one continues from its recorded phase: a step is
    /// applied again and held afresh, a hook runs again, a rollback is finished.
    ///
    /// Fenced: when the journal refuses a write as a conflict (on a shared store, another process took the lease
    /// and wrote the record), the run ends at once without another platform call or journal write, and the
    /// record it returns has not ended (``Deployment/status`` is not final): the other process owns it now.
    ///
    /// The final record (how the deployment ended) is tried again while the journal cannot be reached, for up to
    /// ``finalRecordPatience``: a rollback caused by a store outage (the lease lapsed) is recorded once it is back.
    /// - Parameters:
    ///   - interruption: set by the caller, before cancelling this task, to name the signal.
    ///   - observe: called with every event and with progress while holding.
    public func run(_ deployment: Deployment, interruption: Interruption = Interruption(), observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in }) async -> Deployment {
        let run = DeploymentRun(engine: self, deployment: deployment, interruption: interruption, observe: observe)
        return await PlatformNotices.$current.withValue(run.notices) { await run.execute() }
    }
}

/// The mutable state of one running deployment. One driver task; an actor so the rollback may run detached.
actor DeploymentRun {
    let engine: DeploymentEngine
    var deployment: Deployment
    let interruption: Interruption
    let observe: @Sendable (DeploymentUpdate) -> Void
    /// Last seen state of each alarm, to journal only changes.
    var alarmStates: [String: AlarmStateValue] = [:]
    var warnedAboutUnreadableAlarms = false
    /// Control requests read but not yet acted on (pause, resume, promote act while holding; a stop at once).
    var pendingControls: [DeploymentControl] = []
    /// The highest control sequence number read, acted on or pending.
    var lastReadControl: Int
    /// Set when the journal refused a write as a conflict: the deployment belongs to another process now.
    var fencedBy: String?
    /// What the platform noted about this deployment's own calls.
    let notices = PlatformNotices()
    /// The phase of the last record the journal accepted: what the store says now.
    var journalledPhase: DeploymentPhase

    init(engine: DeploymentEngine, deployment: Deployment, interruption: Interruption, observe: @escaping @Sendable (DeploymentUpdate) -> Void) {
        self.engine = engine
        self.deployment = deployment
        self.interruption = interruption
        self.observe = observe
        self.lastReadControl = deployment.controlSequence ?? 0
        // The engine runs records already in the journal: the Deployer's first one, or one read to recover.
        self.journalledPhase = deployment.phase
    }

    var request: DeploymentRequest { deployment.request }
    var clock: any Clock { engine.clock }
    var aliasName: String { "\(request.functionName):\(request.alias)" }

    func execute() async -> Deployment {
        if deployment.events.isEmpty {
            await record(.created, "deployment \(deployment.id): \(aliasName) from version \(deployment.originalVersion) to \(request.targetVersion) with \(request.preference.name) (\(request.preference.summary))")
        }
        while !deployment.phase.status.isFinal, fencedBy == nil {
            let outcome: PhaseOutcome
            if case let .rollingBack(reason) = deployment.phase {
                // The rollback must not be cancellable: a detached task does not inherit the cancellation.
                let run = self
                outcome = await Task.detached { [notices] in await PlatformNotices.$current.withValue(notices) { await run.rollBack(reason: reason) } }.value
            } else {
                outcome = await perform(deployment.phase)
            }
            await advance(after: outcome)
        }
        return deployment
    }

    /// Applies the transition function and journals the new phase.
    private func advance(after outcome: PhaseOutcome) async {
        let next = deployment.phase.next(after: outcome, plan: request.plan)
        guard next != deployment.phase else { return }
        deployment.phase = next
        // A pause belongs to the phase it held.
        deployment.paused = nil
        switch next {
        case let .rollingBack(reason):
            await record(.rollbackStarted, "rolling back to version \(deployment.originalVersion): \(reason)")
        case let .rolledBack(reason):
            await recordEnd(.rolledBack, "rolled back: \(aliasName) is at version \(deployment.originalVersion) (100%); \(reason.isStop ? "stopped" : "failed") because \(reason)")
        case let .stopped(reason):
            await recordEnd(.stopped, "stopped without rollback: \(reason); the alias stays as it is")
        case let .rollbackFailed(reason, detail):
            await recordEnd(.rollbackFailed, "ROLLBACK FAILED: \(aliasName) may still send traffic to version \(request.targetVersion) (\(detail)); a human must act: 'shift alias update \(request.functionName) \(request.alias) --version \(deployment.originalVersion) --no-additional-version'. It was rolling back because \(reason)")
        case .succeeded:
            await recordEnd(.succeeded, "succeeded: \(aliasName) is at version \(request.targetVersion) (100%)")
        case .created, .preTraffic, .shifting, .baking, .postTraffic:
            await save()
        }
    }

    /// One phase's work.
    private func perform(_ phase: DeploymentPhase) async -> PhaseOutcome {
        switch phase {
        case .created:
            return .completed
        case .preTraffic:
            return await runHook(.preTraffic, function: request.preTrafficHook)
        case let .shifting(step):
            return await shift(to: step)
        case .baking:
            return outcome(of: await hold(until: clock.now.addingTimeInterval(request.bake), step: nil, weight: .full))
        case .postTraffic:
            return await runHook(.postTraffic, function: request.postTrafficHook)
        case .rollingBack, .succeeded, .rolledBack, .stopped, .rollbackFailed:
            return .completed
        }
    }

    // MARK: Shifting

    private func shift(to index: Int) async -> PhaseOutcome {
        let step = request.preference.schedule.steps[index]
        let label = index + 1
        let count = request.preference.schedule.steps.count
        do {
            let current = try await engine.platform.alias(request.alias, of: request.functionName)
            if let expected = deployment.aliasRevisionId, current.revisionId != expected {
                return .stopWithoutRollback(.aliasChangedExternally(detail: "expected revision \(expected), found \(current.revisionId) routing \(current.routing)"))
            }
            // The revision alone is not enough: some services (moto among them) accept a stale RevisionId or keep
            // it across an update, so the routing read back must also be the one this deployment last wrote.
            // A resumed deployment may find this step's routing already in place (the dead process wrote it
            // but could not journal it): that is ours too. After `promote --full` the step left may be any earlier one.
            if index > 0 {
                let steps = request.preference.schedule.steps
                if !steps[...index].contains(where: { deployment.routing(at: $0.weight) == current.routing }) {
                    let written = deployment.routing(at: steps[index - 1].weight)
                    return .stopWithoutRollback(.aliasChangedExternally(detail: "expected \(aliasName) to route \(written) as step \(index) left it, found \(current.routing)"))
                }
            }
        } catch {
            return .failed(.platformError(detail: describe(error)))
        }
        if let outcome = await poll() { return outcome }
        if let outcome = await journalStep("step \(label)/\(count): shifting \(step.weight) of traffic to version \(request.targetVersion)", step: label, weight: step.weight) {
            return outcome
        }
        do {
            let updated = try await engine.platform.updateAlias(request.alias, of: request.functionName, routing: deployment.routing(at: step.weight), revisionId: deployment.aliasRevisionId)
            deployment.aliasRevisionId = updated.revisionId
        } catch let error as CategorizedError where error.category == .conflict {
            return .stopWithoutRollback(.aliasChangedExternally(detail: describe(error)))
        } catch {
            return .failed(.platformError(detail: describe(error)))
        }
        // A recovered deployment may have been paused in this step: it stays paused where it was.
        let holdText = deployment.paused.map { "; still paused (\($0.reason))" } ?? (step.hold > 0 ? "; holding \(DurationParser.format(step.hold))" : "")
        await record(.shifted, "step \(label)/\(count): \(aliasName) routes \(deployment.routing(at: step.weight))\(holdText)", step: label, weight: step.weight)
        if let gate = deployment.paused?.gate {
            return outcome(of: await passGates(ofStep: index, from: gate, weight: step.weight))
        }
        let end = await hold(until: clock.now.addingTimeInterval(step.hold), step: label, weight: step.weight)
        guard end == .elapsed else { return outcome(of: end) }
        return outcome(of: await passGates(ofStep: index, from: 0, weight: step.weight))
    }

    /// Journals the start of a step before the alias moves: a step that cannot be recorded is not taken. While the
    /// journal cannot be written (a shared store out of reach), the deployment does not advance: the alias holds
    /// where it is, alarms and stop requests still act, and the write is tried again every poll interval until it
    /// goes through, the run is interrupted (a lease that lapses in the outage interrupts it, and the rollback
    /// follows), or ``DeploymentEngine/stepJournalPatience`` runs out (then it rolls back).
    /// - Returns: nil once journalled; otherwise how the step ends.
    private func journalStep(_ message: String, step label: Int, weight: Weight) async -> PhaseOutcome? {
        observe(.event(append(.shiftStarted, message, step: label, weight: weight)))
        if await save() { return nil }
        let giveUp = clock.now.addingTimeInterval(engine.stepJournalPatience)
        if fencedBy == nil {
            warn("step \(label) waits for its journal write: \(aliasName) stays as it is, alarms still act, and the write is tried again every \(request.pollInterval.compact)s until \(Timestamp.format(giveUp)); then the deployment rolls back")
        }
        while fencedBy == nil, clock.now < giveUp {
            do {
                try await clock.sleep(until: min(giveUp, clock.now.addingTimeInterval(request.pollInterval)))
            } catch {
                return interrupted()
            }
            if let outcome = await poll() { return outcome }
            if await save(warning: false) {
                warn("the journal could be written again: taking step \(label)")
                return nil
            }
        }
        return .failed(.journalUnwritable(detail: "the deployment record could not be saved before step \(label)"))
    }

    /// How a hold ended.
    enum HoldEnd: Equatable {
        /// Its time ran out (or a pause at a gate was lifted): go on.
        case elapsed
        /// `shift deployment promote`: take the next step now (`full`: straight to 100 %).
        case promoted(full: Bool)
        /// The deployment must end (stop, alarm, interruption).
        case ended(PhaseOutcome)
    }

    private func outcome(of end: HoldEnd) -> PhaseOutcome {
        switch end {
        case .elapsed, .promoted(full: false): return .completed
        case .promoted(full: true): return .promotedToFull
        case let .ended(outcome): return outcome
        }
    }

    /// Holds at `weight` until `deadline`, polling control requests and alarms every poll interval. While paused
    /// the deadline waits: a pause ends by resume (which holds what was left), promote, or its own end.
    /// - Parameter gate: the index of the step's pause or analysis line it holds at; nil for the step's own hold.
    private func hold(until deadline: Date, step: Int?, weight: Weight, gate: Int? = nil) async -> HoldEnd {
        var deadline = deadline
        while true {
            if let outcome = await poll() { return .ended(outcome) }
            while !pendingControls.isEmpty {
                let control = pendingControls.removeFirst()
                if let end = await act(on: control, deadline: &deadline, step: step, weight: weight, gate: gate) { return end }
            }
            let now = clock.now
            let end: Date? = if let paused = deployment.paused { paused.until } else { deadline }
            observe(.holding(DeploymentProgress(step: step, stepCount: request.preference.schedule.steps.count, weight: weight,
                                                remaining: end.map { max(0, $0.timeIntervalSince(now)) } ?? .infinity, alarms: alarmStates, paused: deployment.paused)))
            if let end, now >= end {
                guard let paused = deployment.paused else { return .elapsed }
                // A timed pause ran out.
                deployment.paused = nil
                deadline = now.addingTimeInterval(paused.remainingHold ?? 0)
                await record(.resumed, "the \(DurationParser.format(end.timeIntervalSince(paused.since))) pause ended; continuing", step: step, weight: weight)
                continue
            }
            do {
                try await clock.sleep(until: min(end ?? .distantFuture, now.addingTimeInterval(request.pollInterval)))
            } catch {
                return .ended(interrupted())
            }
        }
    }

    /// Acts on a pause, resume or promote request while holding, journalling it (with its sequence number) first.
    private func act(on control: DeploymentControl, deadline: inout Date, step: Int?, weight: Weight, gate: Int?) async -> HoldEnd? {
        let now = clock.now
        deployment.controlSequence = control.sequence
        let holding = step.map { "step \($0)" } ?? "the bake"
        switch control.action {
        case .stop:
            // Acted on as soon as it is read, in `poll()`.
            return nil
        case .pause:
            if let paused = deployment.paused, paused.until == nil {
                await record(.note, "pause requested \(control.origin): already paused (\(paused.reason))", step: step, weight: weight)
                return nil
            }
            let remaining = deployment.paused?.remainingHold ?? (gate == nil ? max(0, deadline.timeIntervalSince(now)) : nil)
            deployment.paused = DeploymentPause(since: now, reason: "paused \(control.origin)", remainingHold: remaining, gate: gate)
            await record(.paused, "paused \(control.origin): \(aliasName) holds at \(deployment.routing(at: weight)) in \(holding) until resumed or promoted; alarms, analysis and stop requests still act", step: step, weight: weight)
        case .resume:
            guard let paused = deployment.paused else {
                await record(.note, "resume requested \(control.origin): not paused; nothing to do", step: step, weight: weight)
                return nil
            }
            deployment.paused = nil
            deadline = now.addingTimeInterval(paused.remainingHold ?? 0)
            let rest = paused.remainingHold.map { "holding the remaining \(DurationParser.format($0)) of \(holding)" } ?? "continuing after \(holding)'s hold"
            await record(.resumed, "resumed \(control.origin): \(rest)", step: step, weight: weight)
        case let .promote(full):
            deployment.paused = nil
            let what = full ? "going straight to 100% of version \(request.targetVersion), skipping the remaining steps and analyses"
                            : "ending \(holding)'s hold now"
            await record(.promoted, "promoted \(control.origin): \(what)", step: step, weight: weight)
            return .promoted(full: full)
        }
        return nil
    }

    // MARK: Gates

    /// Passes step `index`'s pause and analysis lines from `first` on, holding at each pause.
    private func passGates(ofStep index: Int, from first: Int, weight: Weight) async -> HoldEnd {
        let gates = request.gates(ofStep: index)
        let label = index + 1
        for position in gates.indices where position >= first {
            let gate = gates[position]
            let line = gate.line.map { " (line \($0))" } ?? ""
            // A recovered deployment paused at this gate stays paused; it does not pause (or analyse) again.
            if deployment.paused?.gate != position {
                let now = clock.now
                switch gate.kind {
                case .pause:
                    let until = gate.duration.map { now.addingTimeInterval($0) }
                    deployment.paused = DeploymentPause(since: now, reason: "the step list's \(gate.description)\(line)", until: until, gate: position)
                    let ends = gate.duration.map { "for \(DurationParser.format($0)); promote ends it early" } ?? "until promoted"
                    await record(.paused, "step \(label): \(gate.description)\(line): \(aliasName) holds at \(deployment.routing(at: weight)) \(ends)", step: label, weight: weight)
                case .analysis:
                    switch await analyse(step: label, weight: weight) {
                    case .pass:
                        continue
                    case let .failed(outcome):
                        return .ended(outcome)
                    case let .marginal(summary):
                        deployment.paused = DeploymentPause(since: now, reason: "the analysis is marginal: \(summary)", gate: position)
                        await record(.paused, "step \(label): paused because the analysis is marginal (\(summary)); promote to continue, stop to roll back", step: label, weight: weight)
                    }
                }
            }
            let end = await hold(until: clock.now, step: label, weight: weight, gate: position)
            guard end == .elapsed else { return end }
        }
        return .elapsed
    }

    /// What an analysis point decided.
    enum AnalysisEnd {
        case pass
        case marginal(summary: String)
        case failed(PhaseOutcome)
    }

    /// Asks the judge about the window ending now (`analysis.interval` long, or since traffic first shifted),
    /// journalling `AnalysisStarted` before and `AnalysisResult`, with the verdict, after.
    private func analyse(step: Int, weight: Weight) async -> AnalysisEnd {
        guard let analysis = request.analysis else { return .pass }
        guard let judge = engine.judge else {
            // Checked before the start; a recovering process may lack what the first one had.
            return .failed(.failed(.analysisUnreadable(detail: "this process has no judge for the analysis")))
        }
        let now = clock.now
        let firstShift = deployment.events.first { $0.kind == .shifted }?.time ?? now
        let start = min(now, analysis.interval.map { max(firstShift, now.addingTimeInterval(-$0)) } ?? firstShift)
        let window = DateInterval(start: start, end: now)
        await record(.analysisStarted, "step \(step): canary analysis of version \(request.targetVersion) against version \(deployment.originalVersion) over the last \(DurationParser.format(window.duration.rounded()))", step: step, weight: weight)
        do {
            let verdict = try await judge.judge(analysis, function: request.functionName, alias: request.alias, baselineVersion: deployment.originalVersion,
                                                canaryVersion: request.targetVersion, window: window)
            await record(.analysisResult, "step \(step): analysis \(verdict.decision.rawValue) (score \(verdict.score.compact)): \(verdict.summary)", step: step, weight: weight, analysis: verdict)
            switch verdict.decision {
            case .pass: return .pass
            case .marginal: return .marginal(summary: verdict.summary)
            case .fail: return .failed(.failed(.analysisFailed(summary: verdict.summary)))
            }
        } catch is CancellationError {
            return .failed(interrupted())
        } catch {
            // As unreadable alarms are: fail, unless the deployment ignores that.
            if request.ignorePollAlarmFailure {
                await record(.warning, "step \(step): the canary analysis could not be made (\(describe(error))); continuing because of \(engine.settingNames(.ignorePollAlarmFailure) ?? "ignorePollAlarmFailure")", step: step, weight: weight)
                return .pass
            }
            return .failed(.failed(.analysisUnreadable(detail: describe(error))))
        }
    }

    private func interrupted() -> PhaseOutcome {
        .failed(.interrupted(signal: interruption.signal ?? "cancellation"))
    }

    /// One look at control requests and alarms; an outcome when the deployment must end (a stop acts at once;
    /// other requests wait in `pendingControls` for the hold).
    private func poll() async -> PhaseOutcome? {
        if Task.isCancelled { return interrupted() }
        // Unreadable requests are read again at the next poll: they are numbered, so none is lost.
        for control in (try? await engine.journal.controls(for: deployment.id, after: lastReadControl)) ?? [] where control.sequence > lastReadControl {
            lastReadControl = control.sequence
            guard case let .stop(rollback) = control.action else {
                pendingControls.append(control)
                continue
            }
            deployment.controlSequence = control.sequence
            await record(.stopRequested, "stop requested \(control.origin)\(rollback ? "" : " without rollback")")
            let reason = RollbackReason.stopRequested(detail: control.origin)
            return rollback ? .failed(reason) : .stopWithoutRollback(reason)
        }
        guard !request.alarms.isEmpty else { return nil }
        let states: [String: AlarmState]
        do {
            states = try await engine.alarms.alarmStates(named: request.alarms)
        } catch {
            if request.ignorePollAlarmFailure {
                if !warnedAboutUnreadableAlarms {
                    warnedAboutUnreadableAlarms = true
                    await record(.warning, "alarms could not be read (\(describe(error))); continuing because of \(engine.settingNames(.ignorePollAlarmFailure) ?? "ignorePollAlarmFailure")")
                }
                return nil
            }
            if let ignore = engine.settingNames(.ignorePollAlarmFailure) {
                await record(.note, "alarms could not be read; \(ignore) deploys without them")
            }
            return .failed(.alarmsUnreadable(detail: describe(error)))
        }
        let values = states.mapValues(\.value)
        if values != alarmStates {
            alarmStates = values
            let text = request.alarms.map { "\($0) \(values[$0]?.rawValue ?? "?")" }.joined(separator: ", ")
            await record(.alarmState, "alarms: \(text)", alarms: values.mapValues(\.rawValue))
        }
        deployment.suppressedAlarms.removeAll { values[$0] != .alarm }
        for name in request.alarms where values[name] == .alarm && !deployment.suppressedAlarms.contains(name) {
            return .failed(.alarm(name: name, reason: states[name]?.reason ?? ""))
        }
        return nil
    }

    // MARK: Hooks

    private func runHook(_ hook: LifecycleHook, function: String?) async -> PhaseOutcome {
        guard let function else { return .completed }
        let executionID = UUID().uuidString.lowercased()
        let event = HookEvent(deployment: deployment, executionID: executionID, hook: hook)
        await record(.hookStarted, "\(hook.rawValue) hook \(function) started (execution \(executionID))")
        let result: InvocationResult?
        do {
            let (name, qualifier) = try FunctionQualifier.split(function)
            let payload = try JSONEncoder().encode(event)
            let platform = engine.platform
            result = try await withDeadline(clock: clock, seconds: request.hookTimeout) {
                try await platform.invoke(name, qualifier: qualifier, payload: payload)
            }
        } catch is CancellationError {
            return interrupted()
        } catch {
            await record(.hookFailed, "\(hook.rawValue) hook \(function) could not be invoked: \(describe(error))")
            return .failed(.hookFailed(hook: hook, detail: describe(error)))
        }
        guard let result else {
            await record(.hookFailed, "\(hook.rawValue) hook \(function) timed out after \(request.hookTimeout.compact)s")
            return .failed(.hookTimedOut(hook: hook, seconds: request.hookTimeout))
        }
        switch HookVerdict.judge(result) {
        case .passed:
            await record(.hookSucceeded, "\(hook.rawValue) hook \(function) passed in \(Int(result.duration * 1000)) ms")
            return .completed
        case let .failed(detail):
            await record(.hookFailed, "\(hook.rawValue) hook \(function) failed: \(detail)")
            return .failed(.hookFailed(hook: hook, detail: detail))
        }
    }

    // MARK: Rollback

    /// Restores 100 % of the original version, retrying with backoff. Never cancelled.
    func rollBack(reason: RollbackReason) async -> PhaseOutcome {
        let original = AliasRouting.single(deployment.originalVersion)
        var delay = engine.rollbackBackoff
        var lastError = ""
        for attempt in 1...max(1, engine.rollbackAttempts) {
            // Fenced: the alias is another process's to restore now.
            if fencedBy != nil { return .completed }
            do {
                let current = try await engine.platform.alias(request.alias, of: request.functionName)
                if current.routing != original {
                    let updated = try await engine.platform.updateAlias(request.alias, of: request.functionName, routing: original, revisionId: nil)
                    deployment.aliasRevisionId = updated.revisionId
                }
                return .completed
            } catch {
                lastError = describe(error)
                await record(.rollbackAttemptFailed, "rollback attempt \(attempt) of \(engine.rollbackAttempts) failed: \(lastError)")
            }
            if attempt < engine.rollbackAttempts {
                try? await clock.sleep(for: delay)
                delay *= 2
            }
        }
        return .rollbackFailed(detail: "\(engine.rollbackAttempts) attempts failed; last: \(lastError)")
    }

    // MARK: Journal

    /// Appends an event, journals the record, and tells the observer; returns whether the record is durable.
    @discardableResult
    private func record(_ kind: DeploymentEvent.Kind, _ message: String, step: Int? = nil, weight: Weight? = nil, alarms: [String: String]? = nil, analysis: CanaryVerdict? = nil) async -> Bool {
        let event = append(kind, message, step: step, weight: weight, alarms: alarms, analysis: analysis)
        let saved = await save()
        observe(.event(event))
        return saved
    }

    /// Appends an event to the record (after what the platform noticed about its own calls) without saving it.
    private func append(_ kind: DeploymentEvent.Kind, _ message: String, step: Int? = nil, weight: Weight? = nil, alarms: [String: String]? = nil, analysis: CanaryVerdict? = nil) -> DeploymentEvent {
        // What the platform noticed about its own calls (retries after throttling) goes in first, in order: this
        // deployment's, then any the platform kept for calls made outside a deployment.
        for notice in notices.drain() + engine.platform.drainNotices() {
            let noted = DeploymentEvent(time: clock.now, kind: .platformNotice, message: notice)
            deployment.events.append(noted)
            observe(.event(noted))
        }
        let event = DeploymentEvent(time: clock.now, kind: kind, message: message, step: step, weight: weight.map { ($0.percent * 1_000_000).rounded() / 1_000_000 }, alarms: alarms, analysis: analysis)
        deployment.events.append(event)
        return event
    }

    /// Records how the deployment ended, durably if at all possible: while the journal cannot be reached (a shared
    /// store's outage), the record is tried again with backoff on the clock for up to `finalRecordPatience`, saying
    /// what it waits for and until when. A conflict ends the tries at once (fenced: another process owns the
    /// deployment). Not cancellable: the signal or lost lease that caused a rollback must not cost its record.
    private func recordEnd(_ kind: DeploymentEvent.Kind, _ message: String) async {
        deployment.completedAt = clock.now
        observe(.event(append(kind, message)))
        let run = self
        await Task.detached { await run.saveEnd() }.value
    }

    private func saveEnd() async {
        defer {
            // Fenced: the record is another process's to end, and the run returns it unfinished, as the store has it.
            if fencedBy != nil {
                deployment.phase = journalledPhase
                deployment.completedAt = nil
            }
        }
        if await save() || fencedBy != nil { return }
        let status = deployment.status.rawValue
        let giveUp = clock.now.addingTimeInterval(engine.finalRecordPatience)
        warn("the journal cannot be written: trying again to record that deployment \(deployment.id) ended \(status) until \(Timestamp.format(giveUp)); until then its record says \(journalledText)")
        var delay = engine.finalRecordBackoff
        while clock.now < giveUp {
            try? await clock.sleep(until: min(giveUp, clock.now.addingTimeInterval(delay)))
            delay = min(delay * 2, engine.finalRecordBackoffLimit)
            if await save(warning: false) {
                warn("the journal could be written again: deployment \(deployment.id) is recorded as \(status)")
                return
            }
            if fencedBy != nil { return }
        }
        let finish = if case .rolledBack = deployment.phase {
            "\(aliasName) is already back at version \(deployment.originalVersion) (100%), so 'shift recover' on any machine records the rollback without moving traffic"
        } else {
            "'shift recover' on any machine reconciles it (it rolls back what the record leaves unfinished)"
        }
        warn("gave up recording that deployment \(deployment.id) ended \(status): the journal could not be written until \(Timestamp.format(giveUp)), and its record still says \(journalledText); \(finish)")
    }

    /// What the journal says of the deployment now, for messages.
    private var journalledText: String {
        journalledPhase.status.isFinal ? journalledPhase.status.rawValue : "it is in \(engine.describe(journalledPhase)), unfinished"
    }

    /// Tells the observer about a problem with the journal (not itself journalled: the journal is what failed).
    private func warn(_ message: String) {
        observe(.event(DeploymentEvent(time: clock.now, kind: .warning, message: message)))
    }

    @discardableResult
    private func save(warning: Bool = true) async -> Bool {
        guard fencedBy == nil else { return false }
        deployment.updatedAt = clock.now
        do {
            try await engine.journal.save(deployment)
            journalledPhase = deployment.phase
            return true
        } catch let error as CategorizedError where error.category == .conflict {
            fencedBy = describe(error)
            warn("stopping without another platform call: \(describe(error))")
            return false
        } catch {
            // A rollback keeps going regardless: the alias matters more than the record.
            if warning { warn("could not journal the deployment: \(describe(error))") }
            return false
        }
    }

    private func describe(_ error: Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}

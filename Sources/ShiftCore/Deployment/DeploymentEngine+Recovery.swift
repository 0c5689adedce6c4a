import Foundation

extension DeploymentEngine {
    /// Reconciles a deployment whose process died: reads the alias, then rolls back (the default) or resumes
    /// from the recorded phase. A rollback that was under way is always finished.
    ///
    /// When resuming, an alias found at a routing this deployment itself wrote (the process may have died
    /// between moving the alias and journalling it) is adopted; any other routing means someone else moved
    /// it, and the engine stops rather than overwrite them. When the journal refuses the first write as a
    /// conflict, another process took the deployment over: the record is returned as found, unfinished.
    public func recover(_ deployment: Deployment, resume: Bool, interruption: Interruption = Interruption(), observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in }) async -> Deployment {
        var record = deployment
        let alias = try? await platform.alias(record.request.alias, of: record.request.functionName)
        if let alias, isOwnRouting(alias.routing, of: record) {
            record.aliasRevisionId = alias.revisionId
        }
        let found = alias.map { "the alias routes \($0.routing)" } ?? "the alias could not be read"
        let pausedText = record.paused.map { "; still paused (\($0.reason))" } ?? ""
        switch record.phase {
        case .rollingBack:
            record.events.append(DeploymentEvent(time: clock.now, kind: .recovered, message: "recovering: finishing the rollback the dead process started; \(found)"))
        case _ where resume:
            record.events.append(DeploymentEvent(time: clock.now, kind: .recovered, message: "recovering: resuming from \(describe(record.phase)); \(found)\(pausedText)"))
        default:
            // Name the phase the process died in before replacing it with the rollback.
            let diedIn = describe(record.phase)
            record.phase = .rollingBack(reason: .processDied)
            record.events.append(DeploymentEvent(time: clock.now, kind: .rollbackStarted, message: "recovering: the deploying process died in \(diedIn); \(found); rolling back to version \(record.originalVersion)"))
        }
        observe(.event(record.events[record.events.count - 1]))
        record.updatedAt = clock.now
        // Journal the decision before acting on it. A conflict means another process took the deployment over
        // since it was read: it is theirs to finish, and this process changes nothing.
        do {
            try await journal.save(record)
        } catch let error as CategorizedError where error.category == .conflict {
            observe(.event(DeploymentEvent(time: clock.now, kind: .warning, message: "stopping without another platform call: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")))
            return deployment
        } catch {
            // The alias matters more than the record: a rollback goes on without it.
        }
        return await run(record, interruption: interruption, observe: observe)
    }

    /// Whether `routing` is one the deployment's own schedule produces (or the original version alone).
    func isOwnRouting(_ routing: AliasRouting, of deployment: Deployment) -> Bool {
        if routing == .single(deployment.originalVersion) { return true }
        return deployment.request.preference.schedule.steps.contains { deployment.routing(at: $0.weight) == routing }
    }

    /// The phase as messages name it: "step 2", "the bake", or its status once ended.
    func describe(_ phase: DeploymentPhase) -> String {
        switch phase {
        case .created: return "created"
        case .preTraffic: return "the PreTraffic hook"
        case let .shifting(step): return "step \(step + 1)"
        case .baking: return "the bake"
        case .postTraffic: return "the PostTraffic hook"
        case .rollingBack: return "the rollback"
        default: return "\(phase.status.rawValue)"
        }
    }
}

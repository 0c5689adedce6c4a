import ArgumentParser
import Foundation
import ShiftCore

extension DeploymentCommand {
    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "unlock",
            abstract: "Break the lease a deployment holds on its alias (shared state only), as terraform force-unlock does.",
            discussion: """
                Only for a holder that is certainly dead or stuck: a lease lapses on its own 60 s after its last \
                renewal. The break is recorded in the deployment's journal, which also fences the holder: its next \
                journal write is refused and it stops without touching the alias. Then run 'shift recover'.
                """)

        @Argument(help: "The deployment id (d-...).") var id: String
        @Flag(help: "Required: confirms that the lease is to be broken.") var force = false
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard force else { throw ValidationError("unlock breaks another process's lease; pass --force once you are sure its holder is dead or stuck") }
        }

        func run() async throws {
            let platform = try global.platform()
            var deployment = try await platform.deployments.deployment(id)
            let key = LeaseKey.alias(function: deployment.request.functionName, alias: deployment.request.alias)
            let requester = "\(processEnvironment["USER"] ?? "someone") on \(ProcessInfo.processInfo.hostName) (pid \(getpid()))"
            guard let holder = try await platform.leases.breakLease(key) else {
                throw ShiftCoreError.refused(reason: "nobody holds the lease on \(key); nothing to unlock (run 'shift recover' to finish deployment \(id))")
            }
            if !deployment.status.isFinal {
                // Journalled as the holder's successor: the holder's next write is refused (fencing).
                deployment.events.append(DeploymentEvent(time: Date(), kind: .warning, message: "lease on \(key) broken by \(requester); it was held by \(holder.summary)"))
                deployment.updatedAt = Date()
                try await platform.deployments.save(deployment)
            }
            if !global.isJSON { Output.line("lease on \(key) broken (it was held by \(holder.summary)); run 'shift recover' to finish deployment \(id)") }
        }
    }
}

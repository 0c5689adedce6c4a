import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal

struct DeploymentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deployment",
        abstract: "Inspect and report deployments; stop, pause, resume or promote a running one; unlock one whose holder died.",
        subcommands: [List.self, Get.self, Report.self, Stop.self, Pause.self, Resume.self, Promote.self, Unlock.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List deployments, newest first: the newest \(DeploymentListing.defaultLimit) unless --limit or --all says otherwise.",
            discussion: "Filters apply before the limit; how many older deployments were left out is said on stderr (\"omitted\" in --output json).")

        @Option(help: "Only this function's.") var function: String?
        @Option(help: "Only this status: Created, InProgress, Succeeded, Failed, Stopped or RollbackFailed.") var status: DeploymentStatus?
        @Option(help: "Show at most this many, newest first (default \(DeploymentListing.defaultLimit)).") var limit: Int?
        @Flag(help: "Show every deployment.") var all = false
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if all && limit != nil { throw ValidationError("Give --limit N or --all, not both.") }
            if let limit, limit < 1 { throw ValidationError("--limit is \(limit); give 1 or more, or --all for every deployment.") }
        }

        func run() async throws {
            let listing = try await global.deployments()
                .summaries(function: function, status: status, limit: all ? nil : limit ?? DeploymentListing.defaultLimit, unreadable: Output.warnSkipped)
            if global.isJSON {
                try Output.json(ListView(deployments: listing.summaries.map { DeploymentView($0) }, omitted: listing.omitted))
                return
            }
            var rows = [["ID", "STATUS", "ROLLED BACK", "ALIAS", "VERSIONS", "PREFERENCE", "CREATED"]]
            for deployment in listing.summaries {
                rows.append([deployment.deploymentId, deployment.status.rawValue, deployment.rolledBack ? "yes" : "no", "\(deployment.functionName):\(deployment.alias)",
                             "\(deployment.originalVersion) -> \(deployment.targetVersion)", deployment.preference, Timestamp.format(deployment.createTime)])
            }
            Output.table(rows)
            if listing.omitted > 0 {
                Output.note("\(listing.omitted) older deployment\(listing.omitted == 1 ? "" : "s") not shown; --limit N shows the newest N, --all every one")
            }
        }

        /// `--output json`: the deployments shown, and how many older ones that passed the filters were left out.
        struct ListView: Encodable {
            var deployments: [DeploymentView]
            var omitted: Int
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a deployment with its event log.")

        @Argument(help: "The deployment id (d-...).") var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let deployment = try await global.deployments().deployment(id)
            if global.isJSON {
                try Output.json(DeploymentView(deployment))
                return
            }
            let request = deployment.request
            Output.line("deployment:  \(deployment.id)")
            Output.line("status:      \(deployment.status.rawValue)\(deployment.rolledBack ? " (rolled back)" : "")")
            Output.line("alias:       \(request.functionName):\(request.alias), version \(deployment.originalVersion) -> \(request.targetVersion)")
            Output.line("preference:  \(request.preference.name) (\(request.preference.summary))")
            if !request.alarms.isEmpty { Output.line("alarms:      \(request.alarms.joined(separator: ", "))") }
            if let reason = deployment.phase.reason { Output.line("reason:      \(reason)") }
            if let paused = deployment.paused, !deployment.status.isFinal { Output.line("paused:      \(paused.reason)") }
            Output.line("events:")
            for event in deployment.events {
                Output.line("  \(Timestamp.format(event.time))  \(event.kind.rawValue.padding(toLength: 21, withPad: " ", startingAt: 0)) \(event.message)")
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stop",
            abstract: "Stop a running deployment from any terminal; by default it rolls back.",
            discussion: "The deploying process sees the request at its next poll and exits 1.")

        @Argument(help: "The deployment id (d-...).") var id: String
        @Flag(name: .customLong("no-rollback"), help: "Leave traffic where it is instead of restoring the original version.") var noRollback = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await DeploymentCommand.request(.stop(rollback: !noRollback), of: id, global: global)
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pause",
            abstract: "Hold a running deployment at its current weight until resumed or promoted.",
            discussion: "Alarms, analysis and stop requests still act while paused: a paused deployment still rolls back on ALARM. The pause survives 'shift recover --resume'.")

        @Argument(help: "The deployment id (d-...).") var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await DeploymentCommand.request(.pause, of: id, global: global)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume",
            abstract: "Lift a pause: hold what was left of the current step, then go on.")

        @Argument(help: "The deployment id (d-...).") var id: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await DeploymentCommand.request(.resume, of: id, global: global)
        }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "promote",
            abstract: "End the current step's hold (or pause) now and take the next step.",
            discussion: "With --full, go straight to 100% of the target version, skipping the remaining steps and analyses; the bake and the PostTraffic hook still run.")

        @Argument(help: "The deployment id (d-...).") var id: String
        @Flag(help: "Go straight to 100% of the target version.") var full = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await DeploymentCommand.request(.promote(full: full), of: id, global: global)
        }
    }

    /// Records a control request for the deploying process, which acts on it at its next poll.
    static func request(_ action: DeploymentControl.Action, of id: String, global: GlobalOptions) async throws {
        let requester = "\(processEnvironment["USER"] ?? "someone") (pid \(getpid()))"
        let control = try await global.deployments().requestControl(id, action, by: requester)
        if global.isJSON {
            try Output.json(control)
        } else {
            Output.line("\(action) requested for \(id) (request \(control.sequence)); the deploying process acts at its next poll")
        }
    }
}

struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Reconcile deployments whose process died: roll them back (default) or resume them.")

    @Flag(help: "Resume from the recorded step instead of rolling back.") var resume = false
    @Option(help: "Only this deployment.") var deployment: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let deployer = try global.platform().deployer(clock: SystemClock(), settingNames: DeployCommand.flag)
        let console = DeploymentConsole(json: global.isJSON)
        let recoveries = await DeployCommand.runInterruptibly { interruption -> Result<[Deployer.Recovery], Error> in
            do {
                return .success(try await deployer.recover(only: deployment, resume: resume, interruption: interruption,
                                                           unreadable: Output.warnSkipped, observe: console.handle))
            } catch {
                return .failure(error)
            }
        }
        let recovered = try recoveries.get()
        if global.isJSON {
            try Output.jsonLine(RecoveredView(recovered: recovered.map { DeploymentView($0.final, includeEvents: false) }))
        } else if recovered.isEmpty {
            Output.line("nothing to recover: no interrupted deployments")
        }
        try recovered.first { !$0.isRecovered(resuming: resume) }?.final.throwUnlessSucceeded()
    }

    /// `--output json`'s last line, also when there was nothing to recover: every deployment reconciled, as `deployment get` shows it.
    struct RecoveredView: Encodable {
        var recovered: [DeploymentView]
    }
}

extension DeploymentStatus: ExpressibleByArgument {}

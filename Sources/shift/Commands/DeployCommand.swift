import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline

struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Shift an alias to a new version on a schedule, watching alarms and hooks; roll back on failure.",
        discussion: """
            Preferences: AllAtOnce, Canary10Percent5Minutes, Canary10Percent10Minutes, Canary10Percent15Minutes, \
            Canary10Percent30Minutes, Linear10PercentEvery1Minute, Linear10PercentEvery2Minutes, \
            Linear10PercentEvery3Minutes, Linear10PercentEvery10Minutes (CodeDeployDefault.Lambda prefix accepted), \
            Canary<P>Percent<N>(Minutes|Seconds), Linear<P>PercentEvery<N>(Minute|Minutes|Second|Seconds), \
            or a step list file with --preference-file.
            """)

    @Argument(help: "The function's name.") var function: String
    @Option(help: "The alias to move.") var alias: String
    @Option(parsing: .unconditional, help: "The published version to deploy.") var version: Int?
    @Option(help: "Code to deploy: updates the function's code, publishes, and deploys that version.") var code: String?
    @Option(help: "The deployment preference (schedule).") var preference: String?
    @Option(name: .customLong("preference-file"), help: "A step list: one '<percent>% <hold>' per line; 'pause', 'pause 10m' or 'analysis' lines between steps.") var preferenceFile: String?
    @Option(name: .customLong("alarm"), help: "An alarm to watch (repeat, at most 10).") var alarms: [String] = []
    @Option(name: .customLong("pre-traffic"), help: "PreTraffic hook function, NAME[:QUALIFIER].") var preTraffic: String?
    @Option(name: .customLong("post-traffic"), help: "PostTraffic hook function, NAME[:QUALIFIER].") var postTraffic: String?
    @Option(name: .customLong("hook-timeout"), parsing: .unconditional, help: "How long a hook may take: seconds, or 30s, 5m, 1h (at most 7d).") var hookTimeout: String = "1h"
    @Option(parsing: .unconditional, help: "How long to hold at 100% watching alarms before the PostTraffic hook: seconds, or 30s, 5m, 1h (at most 7d).") var bake: String = "0"
    @Option(name: .customLong("poll-interval"), parsing: .unconditional, help: "Time between alarm polls, 0.01 to 3600 seconds or 30s, 5m, 1h (default 1 on local accounts, 10 on AWS, as CodeDeploy).") var pollInterval: String?
    @Option(help: "An analysis file (YAML): metrics of the new version to compare with the current one's (see the README).") var analysis: String?
    @Flag(name: .customLong("allow-alarming"), help: "Deploy even if a watched alarm is in ALARM (to ship its fix).") var allowAlarming = false
    @Flag(name: .customLong("ignore-poll-alarm-failure"), help: "Keep going when alarms cannot be read.") var ignorePollAlarmFailure = false
    @Flag(name: .customLong("dry-run"), help: "Check everything and print the timeline; change nothing.") var dryRun = false
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (version == nil) != (code == nil) else { throw ValidationError("Give exactly one of --version N or --code PATH.") }
        guard (preference == nil) != (preferenceFile == nil) else { throw ValidationError("Give exactly one of --preference NAME or --preference-file PATH.") }
        if dryRun && code != nil {
            throw ValidationError("--dry-run with --code would have to publish; publish first with 'shift function publish', then dry-run with --version.")
        }
    }

    func run() async throws {
        let deployer = try global.platform().deployer(clock: SystemClock(), settingNames: Self.flag)
        let console = DeploymentConsole(json: global.isJSON)

        // Everything that can be checked without the platform, before anything changes.
        let request = DeploymentRequest(
            functionName: function, alias: alias, targetVersion: version ?? 1, preference: try loadPreference(), alarms: alarms,
            preTrafficHook: preTraffic, postTrafficHook: postTraffic,
            hookTimeout: try DurationBounds.timeout.parse(hookTimeout, field: "--hook-timeout"), bake: try DurationBounds.hold.parse(bake, field: "--bake"),
            pollInterval: try pollInterval.map { try DurationBounds.pollInterval.parse($0, field: "--poll-interval") } ?? deployer.defaultPollInterval,
            allowAlarming: allowAlarming, ignorePollAlarmFailure: ignorePollAlarmFailure,
            analysis: try analysis.map { try AnalysisParser.load(path: $0) })
        // --code publishes; the deployer runs every other check first, and publishes holding the alias.
        let publishing = code.map { code in
            FunctionChange(codePath: URL(fileURLWithPath: code, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)).standardizedFileURL)
        }
        var generator = SystemRandomNumberGenerator()
        let id = Deployment.makeID(using: &generator)
        let outcome = await Self.runInterruptibly { interruption -> Result<Deployer.Outcome, Error> in
            do {
                return .success(try await deployer.deploy(request, id: id, publishing: publishing, dryRun: dryRun, interruption: interruption, observe: console.handle))
            } catch {
                return .failure(error)
            }
        }
        switch try outcome.get() {
        case let .alreadyAtTarget(current):
            if global.isJSON {
                try Output.json(AliasView(current))
            } else {
                Output.line("\(function):\(alias) already routes all traffic to version \(current.routing.primaryVersion); nothing to deploy")
            }
        case let .planned(deployment):
            try Self.printPlan(deployment, json: global.isJSON)
        case let .finished(final):
            if global.isJSON { try Output.jsonLine(DeploymentView(final, includeEvents: false)) }
            try final.throwUnlessSucceeded()
        }
    }

    /// The flag that sets each request setting, for the engine's messages.
    static let flag: DeploymentSettingNames = { setting in
        switch setting {
        case .alias: return "--alias"
        case .alarms: return "--alarm"
        case .hookTimeout: return "--hook-timeout"
        case .pollInterval: return "--poll-interval"
        case .bake: return "--bake"
        case .allowAlarming: return "--allow-alarming"
        case .ignorePollAlarmFailure: return "--ignore-poll-alarm-failure"
        }
    }

    private func loadPreference() throws -> DeploymentPreference {
        if let preferenceFile {
            guard let data = FileManager.default.contents(atPath: preferenceFile) else {
                throw ShiftCoreError.invalidValue(field: "--preference-file", value: preferenceFile, expected: "a readable step-list file")
            }
            return try DeploymentPreference.parseStepList(String(decoding: data, as: UTF8.self), file: preferenceFile)
        }
        return try DeploymentPreference.named(preference ?? "")
    }

    static func printPlan(_ deployment: Deployment, json: Bool) throws {
        let schedule = deployment.request.preference.schedule
        let request = deployment.request
        // What stands after each step: its pause and analysis lines, or the analysis after every step.
        let gates = schedule.steps.indices.map { request.gates(ofStep: $0).map(\.description) }
        if json {
            struct Entry: Encodable { var offsetSeconds: Double; var weight: Double; var routing: String; var then: [String]? }
            struct Plan: Encodable { var deployment: DeploymentView; var timeline: [Entry] }
            let timeline = zip(schedule.timeline, gates).map { entry, gates in
                Entry(offsetSeconds: entry.offset, weight: entry.weight.percent, routing: deployment.routing(at: entry.weight).description, then: gates.isEmpty ? nil : gates)
            }
            try Output.json(Plan(deployment: DeploymentView(deployment, includeEvents: false), timeline: timeline))
            return
        }
        Output.line("dry run: \(request.functionName):\(request.alias) from version \(deployment.originalVersion) to \(request.targetVersion) with \(request.preference.name) (\(request.preference.summary))")
        let hasGates = gates.contains { !$0.isEmpty }
        var rows = [["OFFSET", "TARGET", "ROUTING"] + (hasGates ? ["THEN"] : [])]
        for (entry, gates) in zip(schedule.timeline, gates) {
            rows.append(["+" + DurationParser.format(entry.offset), entry.weight.description, deployment.routing(at: entry.weight).description] + (hasGates ? [gates.joined(separator: ", ")] : []))
        }
        Output.table(rows)
        if gates.joined().contains("pause") { Output.line("a pause holds until 'shift deployment promote ID' (a timed one ends by itself); offsets after it are the earliest") }
        if let hook = request.preTrafficHook { Output.line("PreTraffic hook \(hook) runs first") }
        if request.bake > 0 { Output.line("bake: \(DurationParser.format(request.bake)) at 100%") }
        if let hook = request.postTrafficHook { Output.line("PostTraffic hook \(hook) runs after 100%") }
        if !request.alarms.isEmpty { Output.line("alarms watched every \(request.pollInterval.compact)s: \(request.alarms.joined(separator: ", "))") }
        Output.line("nothing was changed")
    }

    /// Runs `body` so that SIGINT, SIGTERM or SIGHUP (a closed terminal or SSH session) cancels it (recording the
    /// signal), and waits for it to finish: the engine rolls back before returning.
    static func runInterruptibly<T: Sendable>(_ body: @escaping @Sendable (Interruption) async -> T) async -> T {
        let interruption = Interruption()
        let task = Task { await body(interruption) }
        // A reader that went away (`| tee` killed by the same hangup) must not kill the rollback: writes fail instead.
        signal(SIGPIPE, SIG_IGN)
        let sources = [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM"), (SIGHUP, "SIGHUP")].map { number, name -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if interruption.signal == nil {
                    Output.note("\n\(name): stopping and rolling back; wait for the rollback to finish")
                }
                interruption.record(name)
                task.cancel()
            }
            source.resume()
            return source
        }
        let result = await task.value
        sources.forEach { $0.cancel() }
        return result
    }
}

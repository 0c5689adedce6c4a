import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftPlatforms

struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Validate and run pipeline files: build, test, deploy per account, approval gates.",
        discussion: "Exit codes: 0 succeeded, 1 a stage failed or an approval was rejected or timed out, 2 bad input, 3 waiting for approval, 4 a rollback failed (a human must act), 5 the run is held by another process, 130 interrupted.",
        subcommands: [Validate.self, Run.self, Resume.self, Status.self, List.self, Logs.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check a pipeline file and report every error with file:line:column and field; runs nothing.")

        @Argument(help: "The pipeline file (YAML or JSON).") var file: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw PipelineError.unreadableFile(file: file, detail: FileManager.default.fileExists(atPath: file) ? "permission denied or not a file" : "no such file")
            }
            let outcome = PipelineParser.parse(String(decoding: data, as: UTF8.self), file: file)
            if global.isJSON {
                struct Report: Encodable { var file: String; var valid: Bool; var errors: [FileIssue]; var warnings: [FileIssue]; var stages: [String]? }
                try Output.json(Report(file: file, valid: outcome.pipeline != nil, errors: outcome.issues, warnings: outcome.warnings, stages: outcome.pipeline?.stages.map(\.name)))
                if !outcome.issues.isEmpty { throw ExitCode(ExitStatus.badInput) }
                return
            }
            for warning in outcome.warnings { Output.note("warning: \(warning)") }
            guard let pipeline = outcome.pipeline else { throw PipelineError.invalidFile(file: file, issues: outcome.issues) }
            let stages = pipeline.stages.map { "\($0.name) (\($0.type))" }.joined(separator: " -> ")
            Output.line("\(file): valid pipeline '\(pipeline.name)': \(stages)")
        }
    }

    /// `--wait` / `--no-wait`, shared by run and resume.
    struct WaitOptions: ParsableArguments {
        @Flag(inversion: .prefixedNo, help: "At an approval gate, wait for the decision (default on a terminal) or record the run as waiting and exit 3.")
        var wait: Bool?

        var waits: Bool { wait ?? (isatty(STDIN_FILENO) == 1) }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Start a run of a pipeline file: prints its id, then each stage's progress.",
            discussion: "Exits 0 when every stage succeeded, 1 when a stage failed or an approval was rejected or timed out, 3 when the run waits at an approval (resume it after 'shift approve'), 130 on a signal.")

        @Argument(help: "The pipeline file (YAML or JSON).") var file: String
        @OptionGroup var waiting: WaitOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (pipeline, warnings) = try PipelineParser.load(path: file)
            for warning in warnings { Output.note("warning: \(warning)") }
            let state = try await global.pipelineState(for: pipeline)
            let runner = global.pipelineRunner(waitsForApproval: waiting.waits, state: state)
            var generator = SystemRandomNumberGenerator()
            let url = URL(fileURLWithPath: file, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)).standardizedFileURL
            let created = try await runner.create(pipeline, file: url, id: PipelineRun.makeID(using: &generator))
            try await PipelineCommand.execute(created, runner: runner, state: state, resumed: false, global: global)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "resume",
            abstract: "Continue a waiting or interrupted run from its first unfinished stage; finished stages are not repeated.",
            discussion: "Exit codes as for 'pipeline run'; 5 when another process is running it.")

        @Argument(help: "The run id (p-...).") var run: String
        @OptionGroup var waiting: WaitOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let state = try global.pipelineState()
            let runner = global.pipelineRunner(waitsForApproval: waiting.waits, state: state)
            let record = try await state.records.run(run)
            try await state.approvals.checkDecisions(of: record)
            try await PipelineCommand.execute(record, runner: runner, state: state, resumed: true, global: global)
        }
    }

    /// Runs `run` to its end (or a gate, or a signal), showing progress, then the stages, and exits accordingly.
    static func execute(_ run: PipelineRun, runner: PipelineRunner, state: PipelineState, resumed: Bool, global: GlobalOptions) async throws {
        let console = PipelineConsole(json: global.isJSON)
        console.started(run, resumed: resumed)
        let result = await DeployCommand.runInterruptibly { interruption -> Result<(PipelineRun, RunOutcome), Error> in
            do {
                return .success(try await runner.run(run.id, interruption: interruption, observe: console.handle))
            } catch {
                return .failure(error)
            }
        }
        let (final, outcome) = try result.get()
        if global.isJSON {
            try Output.jsonLine(await PipelineRunView.make(final, state: state, store: runner.store))
        } else {
            Output.line()
            await Status.printStages(final, state: state)
        }
        try outcome.throwUnlessSucceeded(run: run.id)
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status",
            abstract: "Show a run: every stage with its status, start, duration, artifact hashes, deployed versions and approvals.")

        @Argument(help: "The run id (p-...).") var run: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let state = try global.pipelineState(), store = global.pipelineRuns()
            let record = try await state.records.run(run)
            try await state.approvals.checkDecisions(of: record)
            if global.isJSON {
                try Output.json(await PipelineRunView.make(record, state: state, store: store))
                return
            }
            let view = await PipelineRunView.make(record, state: state, store: store, includeStages: false)
            Output.line("run:       \(record.id) (\(view.status))")
            Output.line("pipeline:  \(record.pipeline.name) (\(record.file))")
            Output.line("source:    \(record.source.kind) \(record.source.location)\(record.source.ref.map { " @ \($0)" } ?? "") = \(record.source.revision)")
            Output.line("started:   \(Timestamp.format(record.createdAt))")
            Output.line()
            await Self.printStages(record, state: state)
        }

        static func printStages(_ run: PipelineRun, state: PipelineState) async {
            var rows = [["STAGE", "TYPE", "STATUS", "STARTED", "DURATION", "DETAIL"]]
            let now = Date()
            for (definition, record) in zip(run.pipeline.stages, run.stages) {
                var details: [String] = []
                details += record.artifacts.map { "artifact \($0.name) sha256 \($0.sha256)" }
                details += record.deployments.map { "\($0.function):\($0.alias) \($0.version.map { "v\($0)" } ?? "-") \($0.status.rawValue)\($0.originalVersion.map { " (from v\($0))" } ?? "")" }
                if case let .approval(gate) = definition.kind {
                    if let decision = record.decision {
                        details.append("\(decision.approved ? "approved" : "rejected") by \(decision.decider) at \(Timestamp.format(decision.decidedAt))\(decision.comment.map { ": \($0)" } ?? "")")
                    } else if let pending = (try? await state.approvals.decision(run.id, stage: record.name)) ?? nil {
                        details.append("\(pending.approved ? "approved" : "rejected") by \(pending.decider); 'shift pipeline resume \(run.id)' acts on it")
                    } else if let deadline = record.deadline, !record.status.isFinal {
                        let who = gate.approvers.isEmpty ? "anyone" : gate.approvers.joined(separator: ", ")
                        details.append("waiting until \(Timestamp.format(deadline)) for \(who)\(gate.instructions.isEmpty ? "" : ": \(gate.instructions)")")
                    }
                }
                if record.status.isFailure || record.status == .interrupted, let reason = record.reason { details.append(reason) }
                let duration = record.duration(now: now).map { String(format: "%.1fs", $0) } ?? "-"
                let started = record.startedAt.map(Timestamp.format) ?? "-"
                if details.isEmpty { details = ["-"] }
                rows.append([record.name, record.type, record.status.rawValue, started, duration, details[0]])
                for extra in details.dropFirst() { rows.append(["", "", "", "", "", extra]) }
            }
            Output.table(rows)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List pipeline runs, newest first.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let state = try global.pipelineState(), store = global.pipelineRuns()
            let runs = await state.records.runs(unreadable: Output.warnSkipped)
            for run in runs {
                do { try await state.approvals.checkDecisions(of: run) } catch { Output.warn(error) }
            }
            if global.isJSON {
                var views: [PipelineRunView] = []
                for run in runs { views.append(await PipelineRunView.make(run, state: state, store: store)) }
                try Output.json(["runs": views])
                return
            }
            var rows = [["RUN", "PIPELINE", "STATUS", "CREATED", "STAGES"]]
            for run in runs {
                let view = await PipelineRunView.make(run, state: state, store: store, includeStages: false)
                let stages = run.stages.map { "\($0.name) \($0.status.rawValue.lowercased())" }.joined(separator: ", ")
                rows.append([run.id, run.pipeline.name, view.status, Timestamp.format(run.createdAt), stages])
            }
            Output.table(rows)
        }
    }

    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Print a run's stage logs (command output and deployment events, secrets masked), in stage order.")

        @Argument(help: "The run id (p-...).") var run: String
        @Option(help: "Only this stage's log.") var stage: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if global.isJSON { throw ValidationError("logs are text; read the run as JSON with 'shift pipeline status RUN --output json'") }
        }

        func run() async throws {
            let store = global.pipelineRuns()
            // Logs stay on the machine that ran the stage: this machine's copy of the run.
            let record = try await global.pipelineState().records.run(run)
            if let stage, record.stageIndex(stage) == nil {
                throw PipelineError.stageNotFound(run: run, stage: stage, hint: "its stages: \(record.stages.map(\.name).joined(separator: ", "))")
            }
            for entry in record.stages where stage == nil || entry.name == stage {
                guard let data = FileManager.default.contents(atPath: store.logFile(run, stage: entry.name).path) else { continue }
                if stage == nil { Output.line("==> \(entry.name) (\(entry.type)) \(entry.status.rawValue.lowercased())") }
                FileHandle.standardOutput.write(data)
            }
        }
    }
}

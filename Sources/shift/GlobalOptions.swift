import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal
import ShiftPlatforms
import ShiftPipeline
import ShiftSecrets

/// `text` for people, `json` for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Options every command accepts, before or after the subcommand's name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "The state directory (default: $SHIFT_HOME, else ./.shift).")
    var stateDirectory: String?

    @Option(help: "The account to act in.")
    var account: String = defaultAccount

    /// The account a command acts in without `--account`.
    static let defaultAccount = "default"

    @Option(help: "Output format: text or json.")
    var output: OutputFormat = .text

    var isJSON: Bool { output == .json }

    /// Pipeline runs of this state directory: each run's local files (source, workspaces, logs, artifacts' cache).
    func pipelineRuns() -> PipelineRunStore {
        PipelineRunStore(stateRoot: stateRoot, clock: SystemClock())
    }

    /// Opens an account's shared state location (its S3 bucket and prefix), nil for an account without one.
    static let openSharedStore: PipelineStateLocator.OpenStore = { settings in
        try AccountResolver.openSharedState(settings, environment: processEnvironment, clock: SystemClock())
    }

    /// Where pipeline runs, approvals and artifacts named on the command line live: `--account`'s.
    /// - Throws: `StorageError` for a damaged account settings file; what opening a shared store throws.
    func pipelineState() throws -> PipelineState {
        try pipelineStateLocator.state(forAccount: account)
    }

    /// Where runs of a pipeline file live, every shared state location it names checked to be shift's.
    /// - Throws: as ``PipelineStateLocator/claimedState(for:by:)``.
    func pipelineState(for pipeline: Pipeline) async throws -> PipelineState {
        try await pipelineStateLocator.claimedState(for: pipeline, by: ProcessInfo.processInfo.hostName)
    }

    private var pipelineStateLocator: PipelineStateLocator {
        PipelineStateLocator(root: stateRoot, environment: processEnvironment, clock: SystemClock(), openStore: Self.openSharedStore)
    }

    /// A pipeline runner whose accounts are the state directory's local accounts, its runs in `state`.
    func pipelineRunner(waitsForApproval: Bool, state: PipelineState) -> PipelineRunner {
        PipelineRunner(store: pipelineRuns(), records: state.records, approvals: state.approvals, accounts: LocalPipelineAccounts(root: stateRoot, clock: SystemClock()),
                       commands: LocalCommandRunner(), files: LocalFileTree(), clock: SystemClock(), waitsForApproval: waitsForApproval, sharedArtifacts: state.artifacts)
    }

    static let names = ["--state-dir", "--account", "--output"]

    /// ArgumentParser reads an option only where its command declares it; these are declared on every leaf
    /// command, so global options given before or between command words (`shift --account prod alias get ...`,
    /// `shift function --state-dir X list`) are moved to the end, where the leaf command reads them.
    /// Moving stops at the first other option, after which everything is the leaf command's own.
    /// - Throws: `ShiftCoreError.invalidValue` when the first command word is not a command, so that the
    ///   error names it rather than the options that came before it.
    static func movingLeadingOptions(in arguments: [String], commands: @autoclosure () -> [String]) throws -> [String] {
        var kept: [String] = []
        var moved: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            if names.contains(where: { argument.hasPrefix("\($0)=") }) {
                moved.append(argument)
                index += 1
            } else if names.contains(argument), index + 1 < arguments.endIndex {
                moved.append(contentsOf: arguments[index...(index + 1)])
                index += 2
            } else if argument.hasPrefix("-") {
                break
            } else {
                kept.append(argument)
                index += 1
            }
        }
        if !moved.isEmpty, let command = kept.first {
            let commands = commands()
            guard commands.contains(command) else {
                throw ShiftCoreError.invalidValue(field: "command", value: command, expected: "one of \(commands.joined(separator: ", ")); see 'shift --help'")
            }
        }
        return kept + arguments[index...] + moved
    }
}

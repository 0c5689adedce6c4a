import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline

/// Options shared by approve and reject.
struct DecisionOptions: ParsableArguments {
    @Argument(help: "The run id (p-...).") var run: String
    @Option(help: "The approval stage's name.") var stage: String
    @Option(help: "Who decides (default: $USER); must be one of the stage's approvers when it lists any.") var by: String?

    var approver: String { by ?? ProcessInfo.processInfo.environment["USER"] ?? "unknown" }

    /// Records the decision and reports it.
    func decide(approve: Bool, comment: String?, global: GlobalOptions) throws {
        let store = global.pipelineRuns()
        let decision = try store.decide(run: run, stage: stage, approve: approve, by: approver, comment: comment)
        if global.isJSON {
            try Output.json(decision)
            return
        }
        let verb = approve ? "approved" : "rejected"
        let next = store.isLocked(run) ? "the waiting runner picks it up" : "continue the run with 'shift pipeline resume \(run)'"
        Output.line("\(verb) stage \(stage) of run \(run) as \(decision.by); \(next)")
    }
}

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a pipeline run's approval stage, from any terminal.")

    @OptionGroup var decision: DecisionOptions
    @Option(help: "Why (at most 512 characters).") var comment: String?
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try decision.decide(approve: true, comment: comment, global: global)
    }
}

struct RejectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Reject a pipeline run's approval stage: the run fails there.")

    @OptionGroup var decision: DecisionOptions
    @Option(help: "Why (required, at most 512 characters).") var comment: String
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try decision.decide(approve: false, comment: comment, global: global)
    }
}

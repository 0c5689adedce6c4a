import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftPlatforms

/// Options shared by approve and reject.
struct DecisionOptions: ParsableArguments {
    @Argument(help: "The run id (p-...).") var run: String
    @Option(help: "The approval stage's name.") var stage: String
    @Option(help: "Who decides (default: $USER); must be one of the stage's approvers when they are names. On shared state the AWS identity of your credentials is recorded too, and is what an ARN approver list checks.") var by: String?

    var approver: String { by ?? processEnvironment["USER"] ?? "unknown" }

    /// Records the decision (with the caller's verified AWS identity on shared state) and reports it.
    func decide(approve: Bool, comment: String?, global: GlobalOptions) async throws {
        let state = try global.pipelineState()
        let identity = try await state.identify?()
        let decision = try await state.approvals.decide(run: run, stage: stage, approve: approve, by: approver, identity: identity, comment: comment,
                                                        runs: state.records, now: SystemClock().now)
        if global.isJSON {
            try Output.json(decision)
            return
        }
        let verb = approve ? "approved" : "rejected"
        let next = await state.records.isLocked(run) ? "the waiting runner picks it up" : "continue the run with 'shift pipeline resume \(run)'"
        Output.line("\(verb) stage \(stage) of run \(run) as \(decision.decider); \(next)")
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
        try await decision.decide(approve: true, comment: comment, global: global)
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
        try await decision.decide(approve: false, comment: comment, global: global)
    }
}

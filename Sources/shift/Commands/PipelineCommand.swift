import ArgumentParser
import Foundation
import ShiftCore
import ShiftPipeline

struct PipelineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pipeline",
        abstract: "Validate and run pipeline files: build, test, deploy per account, approval gates.",
        discussion: "Exit codes: 0 succeeded, 1 a stage failed or an approval was rejected or timed out, 2 bad input, 3 waiting for approval, 5 the run is held by another process, 130 interrupted.",
        subcommands: [Validate.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
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
}

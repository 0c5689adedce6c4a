import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline

/// Shows a running pipeline: stage changes, command output and deployment events as lines, or JSON lines.
final class PipelineConsole: @unchecked Sendable {
    private let json: Bool
    // Guarded by `lock`: updates arrive from several tasks (the functions of a deploy stage).
    private let lock = NSLock()

    init(json: Bool) {
        self.json = json
    }

    /// One JSON line of the stream.
    private struct Line: Encodable {
        var kind: String
        var time: Date
        var stage: String?
        var status: String?
        var function: String?
        var message: String?
        var runId: String?
        var event: DeploymentEvent?
    }

    func handle(_ update: PipelineUpdate) {
        lock.withLock {
            switch update {
            case let .stage(record):
                if json {
                    try? Output.jsonLine(Line(kind: "Stage", time: Date(), stage: record.name, status: record.status.rawValue, message: record.reason))
                } else {
                    let reason = record.reason.map { ": \($0)" } ?? ""
                    Output.line("==> \(record.name) (\(record.type)) \(record.status.rawValue.lowercased())\(record.status == .running && record.attempts > 1 ? " (attempt \(record.attempts))" : "")\(reason)")
                }
            case let .log(stage, text):
                if json {
                    try? Output.jsonLine(Line(kind: "Log", time: Date(), stage: stage, message: text))
                } else {
                    Output.line("    \(text)")
                }
            case let .deployment(stage, function, event):
                if json {
                    try? Output.jsonLine(Line(kind: "Deployment", time: event.time, stage: stage, function: function, message: event.message, event: event))
                } else {
                    Output.line("    \(function): \(event.message)")
                }
            }
        }
    }

    /// The first line of a run: its id, so that scripts can pick it up.
    func started(_ run: PipelineRun, resumed: Bool) {
        lock.withLock {
            if json {
                try? Output.jsonLine(Line(kind: resumed ? "RunResumed" : "RunStarted", time: Date(), message: "pipeline \(run.pipeline.name)", runId: run.id))
            } else {
                Output.line("run \(run.id)")
                Output.line("\(resumed ? "resuming" : "running") pipeline \(run.pipeline.name) from \(run.file); source \(run.source.kind) \(run.source.location) at \(run.source.revision)")
            }
        }
    }
}

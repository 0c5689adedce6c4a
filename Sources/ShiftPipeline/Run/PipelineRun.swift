import Foundation

/// One run of a pipeline: the definition it runs (as it was when the run started), the pinned source, and a
/// durable record of every stage. Saved after every change, so that a killed runner can be resumed.
public struct PipelineRun: Codable, Equatable, Sendable {
    public var id: String
    public var pipeline: Pipeline
    /// The pipeline file's absolute path, as read.
    public var file: String
    public var source: SourceRecord
    public var createdAt: Date
    public var updatedAt: Date
    public var stages: [StageRecord]

    public init(id: String, pipeline: Pipeline, file: String, source: SourceRecord, createdAt: Date) {
        self.id = id
        self.pipeline = pipeline
        self.file = file
        self.source = source
        self.createdAt = createdAt
        self.updatedAt = createdAt
        self.stages = pipeline.stages.map { StageRecord(name: $0.name, type: $0.type) }
    }

    /// A new id: "p-" and nine letters or digits.
    public static func makeID(using generator: inout some RandomNumberGenerator) -> String {
        let characters = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return "p-" + String((0..<9).map { _ in characters.randomElement(using: &generator)! })
    }

    /// Where a run goes next.
    public enum Next: Equatable, Sendable {
        /// Run (or run again) the stage at this index: the first that has not succeeded.
        case stage(Int)
        /// Every stage succeeded.
        case finished
        /// This stage failed for good; the run is over.
        case stopped(at: Int)
    }

    /// The first unfinished stage: finished stages are never repeated, a failed one ends the run.
    public var next: Next {
        guard let index = stages.firstIndex(where: { $0.status != .succeeded }) else { return .finished }
        return stages[index].status.isFailure ? .stopped(at: index) : .stage(index)
    }

    /// The run's status; `isLocked` says whether a process holds the run now.
    public func status(isLocked: Bool) -> RunStatus {
        switch next {
        case .finished: return .succeeded
        case .stopped: return .failed
        case let .stage(index):
            if isLocked { return .running }
            return stages[index].status == .waiting ? .waiting : .interrupted
        }
    }

    /// Whether the record says a stage is running (true only while a process holds the run, unless it died).
    public var isRunning: Bool { stages.contains { $0.status == .running } }

    /// Records that the runner died: every stage the record says is running was interrupted, its time ending at
    /// the last save. For a run that nobody holds.
    public mutating func markInterrupted() {
        for index in stages.indices where stages[index].status == .running {
            stages[index].status = .interrupted
            stages[index].reason = "its runner died (killed or crashed); continue with 'shift pipeline resume \(id)'"
            stages[index].completedAt = updatedAt
        }
    }

    /// The stage record named `name`.
    public func stageIndex(_ name: String) -> Int? { stages.firstIndex { $0.name == name } }
}

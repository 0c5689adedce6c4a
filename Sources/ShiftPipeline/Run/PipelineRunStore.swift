import Foundation
import ShiftCore
import ShiftStorage

/// Pipeline runs in the state directory, one directory per run:
///
/// ```
/// <state-dir>/pipelines/runs/<id>/
///   run.json                  the record (atomic writes)
///   run.lock                  held (flock) by the process running it; free once it exits, even by kill -9
///   decisions.lock            serialises approvals and rejections from any process
///   approvals/<stage>.json    a decision, written once
///   source/                   the pinned source
///   workspaces/<stage>-<n>/   a fresh workspace per build or test attempt
///   artifacts/<name>/         collected artifacts, hashed
///   logs/<stage>.log          command output and stage events, masked
///   .staging-<id>/            a run being created (its source pinned), renamed to <id>/ with its record
/// ```
public struct PipelineRunStore: Sendable {
    /// `<state-dir>/pipelines`.
    public let root: URL
    let clock: any Clock

    public init(stateRoot: URL, clock: any Clock) {
        self.root = stateRoot.appendingPathComponent("pipelines")
        self.clock = clock
    }

    // Where each part of a run lives; see the layout above.
    public var runsDirectory: URL { root.appendingPathComponent("runs") }
    public func runDirectory(_ id: String) -> URL { runsDirectory.appendingPathComponent(id) }
    public func runFile(_ id: String) -> URL { runDirectory(id).appendingPathComponent("run.json") }
    public func sourceDirectory(_ id: String) -> URL { runDirectory(id).appendingPathComponent("source") }
    public func workspace(_ id: String, stage: String, attempt: Int) -> URL {
        runDirectory(id).appendingPathComponent("workspaces").appendingPathComponent("\(stage)-\(attempt)")
    }
    public func artifactsDirectory(_ id: String) -> URL { runDirectory(id).appendingPathComponent("artifacts") }
    public func logFile(_ id: String, stage: String) -> URL { runDirectory(id).appendingPathComponent("logs").appendingPathComponent("\(stage).log") }
    func decisionFile(_ id: String, stage: String) -> URL { runDirectory(id).appendingPathComponent("approvals").appendingPathComponent("\(stage).json") }

    // MARK: Records

    /// Whether `id` can name a run ("p-" and at most 62 more characters, no '/'), checked before it becomes a path
    /// or a key.
    public static func isRunID(_ id: String) -> Bool {
        id.hasPrefix("p-") && id.count <= 64 && !id.contains("/")
    }

    /// Saves the record atomically and durably.
    /// - Throws: `StorageError.io`.
    public func write(_ run: PipelineRun) throws {
        try JSONFile.write(run, to: runFile(run.id))
    }

    /// The run with this id, as its runner left it: a stage the record says is running while no process holds the
    /// run was interrupted (its runner was killed), and comes back `Interrupted`, its time ending at the last save.
    /// - Throws: `PipelineError.runNotFound`; `PipelineError.corruptRun`.
    public func run(_ id: String) throws -> PipelineRun {
        guard Self.isRunID(id) else { throw PipelineError.runNotFound(id: id) }
        var run: PipelineRun
        do {
            guard let record = try JSONFile.readIfPresent(PipelineRun.self, from: runFile(id)) else { throw PipelineError.runNotFound(id: id) }
            run = record
        } catch let StorageError.corruptState(file, detail) {
            throw PipelineError.corruptRun(file: file, detail: detail)
        }
        if run.isRunning, !isLocked(id) { run.markInterrupted() }
        return run
    }

    /// Every readable run, newest first; `unreadable` hears about the others.
    public func runs(unreadable: (Error) -> Void = { _ in }) -> [PipelineRun] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)) ?? []
        return names.filter { $0.hasPrefix("p-") }.compactMap { name -> PipelineRun? in
            do { return try run(name) } catch { unreadable(error); return nil }
        }.sorted { $0.createdAt > $1.createdAt }
    }

    /// A fresh hidden directory to build run `id` in, holding its lock (which keeps its name after
    /// ``publishRun(_:from:)``). Removes what creations killed earlier left: staging directories nobody holds.
    /// - Throws: `StorageError.io`.
    public func stageRun(_ id: String) throws -> (URL, FileLock) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory.path)) ?? [] where name.hasPrefix(".staging-") {
            let abandoned = runsDirectory.appendingPathComponent(name)
            if let lock = try? FileLock(url: abandoned.appendingPathComponent("run.lock")), (try? lock.tryLock()) == true {
                try? FileManager.default.removeItem(at: abandoned)
                lock.unlock()
            }
        }
        let staging = runsDirectory.appendingPathComponent(".staging-\(id)")
        let lock = try FileLock(url: staging.appendingPathComponent("run.lock"))
        guard try lock.tryLock() else { throw PipelineError.runLocked(id: id) }
        return (staging, lock)
    }

    /// Writes the run's record into `staging`, then renames `staging` to the run's directory: before the rename
    /// the run does not exist, after it it is complete.
    /// - Throws: `StorageError.io`.
    public func publishRun(_ run: PipelineRun, from staging: URL) throws {
        try JSONFile.write(run, to: staging.appendingPathComponent("run.json"))
        guard rename(staging.path, runDirectory(run.id).path) == 0 else {
            throw StorageError.io(path: runDirectory(run.id).path, operation: "create run directory", detail: StorageError.errnoDescription())
        }
        AtomicFile.syncDirectory(runsDirectory)
    }

    // MARK: Locks

    /// Takes the run's lock for this process.
    /// - Throws: `PipelineError.runLocked` when another process holds it.
    public func lock(_ id: String) throws -> FileLock {
        let lock = try FileLock(url: runDirectory(id).appendingPathComponent("run.lock"))
        guard try lock.tryLock() else { throw PipelineError.runLocked(id: id) }
        return lock
    }

    /// Whether a live process holds the run.
    public func isLocked(_ id: String) -> Bool {
        guard FileManager.default.fileExists(atPath: runDirectory(id).path),
              let lock = try? FileLock(url: runDirectory(id).appendingPathComponent("run.lock")) else { return false }
        guard (try? lock.tryLock()) == true else { return true }
        lock.unlock()
        return false
    }

    // MARK: Decisions

    /// The decision recorded for an approval stage, if any.
    /// - Throws: `PipelineError.corruptRun` when the decision file is damaged.
    public func decision(_ id: String, stage: String) throws -> ApprovalDecision? {
        do {
            return try JSONFile.readIfPresent(ApprovalDecision.self, from: decisionFile(id, stage: stage))
        } catch let StorageError.corruptState(file, detail) {
            throw PipelineError.corruptRun(file: file, detail: detail)
        }
    }

    /// Records a decision once: refused when one exists. Safe against approvers deciding at the same moment.
    /// - Throws: `PipelineError.decisionRefused` when the stage was already decided; `StorageError.io`.
    public func record(_ decision: ApprovalDecision, run id: String, stage: String) throws {
        try FileLock.withLock(at: runDirectory(id).appendingPathComponent("decisions.lock")) {
            if let existing = try self.decision(id, stage: stage) {
                throw PipelineError.decisionRefused(run: id, stage: stage, reason: ApprovalDecision.alreadyDecided(existing))
            }
            try JSONFile.write(decision, to: decisionFile(id, stage: stage))
        }
    }
}

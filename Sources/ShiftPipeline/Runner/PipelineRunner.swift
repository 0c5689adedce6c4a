import Foundation
import ShiftCore
import ShiftStorage

/// Runs pipelines: creates a run (pinning its source), then runs its stages in order from the first unfinished
/// one, saving the record before and after each step, until the run succeeds, fails, waits at an approval or is
/// interrupted. Resuming is running again: finished stages are never repeated.
///
/// One process runs a run at a time (its lock); time comes from the injected clock.
public struct PipelineRunner: Sendable {
    /// The runs' local files: pinned sources, workspaces, artifacts, logs, and each run's lock.
    public let store: PipelineRunStore
    /// Where run records are read and saved (the state directory's `store` unless another is given).
    public let records: any RunRecords
    /// Where approval decisions are read (the state directory's `store` unless another is given).
    public let approvals: any ApprovalRecords
    /// What each of the pipeline's accounts deploys to and resolves parameters from.
    public let accounts: any PipelineAccounts
    /// All of the runner's time: stage times, approval deadlines, polls.
    public let clock: any Clock
    /// Runs build and test commands and the git clone (and decides which of shift's variables they inherit).
    public let commands: any CommandRunner
    /// Copies and hashes the pinned source and the artifacts.
    public let files: any FileTree
    /// Where artifacts are shared with runners on other machines (a shared state location), nil on the state
    /// directory alone: build stages upload what they collect, deploy stages download what is not here.
    public var sharedArtifacts: ObjectStoreArtifacts?
    /// Whether an approval stage waits for its decision (polling) or records the run as waiting and returns.
    public var waitsForApproval: Bool
    /// Seconds between looks for an approval decision while waiting.
    public var approvalPollInterval: TimeInterval = 1

    public init(store: PipelineRunStore, records: (any RunRecords)? = nil, approvals: (any ApprovalRecords)? = nil, accounts: any PipelineAccounts,
                commands: any CommandRunner, files: any FileTree, clock: any Clock, waitsForApproval: Bool, sharedArtifacts: ObjectStoreArtifacts? = nil) {
        self.store = store
        self.sharedArtifacts = sharedArtifacts
        self.records = records ?? store
        self.approvals = approvals ?? store
        self.accounts = accounts
        self.commands = commands
        self.files = files
        self.clock = clock
        self.waitsForApproval = waitsForApproval
    }

    /// How one stage ended, before it is recorded.
    enum StageOutcome: Equatable {
        case completed
        case failed(StageStatus, String)
        case waiting(Date)
        case interrupted(String)
    }

    // MARK: Creating

    /// Creates and saves a run of `pipeline` read from `file`: checks that every account can be run, and pins the
    /// source (a copy of the directory and its hash, or a clone at the ref and its commit). Runs no stage.
    /// - Throws: `AWSPlatformError` for an aws account whose credentials or region cannot be resolved; `PipelineError.unreadableFile`
    ///   when the source cannot be read or cloned.
    public func create(_ pipeline: Pipeline, file: URL, id: String) async throws -> PipelineRun {
        try checkAccounts(pipeline)
        // The run is built under a hidden name and renamed into place with its record: a run directory always has
        // one, even when the process dies while pinning the source.
        let (staging, lock) = try store.stageRun(id)
        defer { lock.unlock() }
        do {
            let source = try await pinSource(pipeline.source, into: staging.appendingPathComponent("source"), file: file)
            let run = PipelineRun(id: id, pipeline: pipeline, file: file.standardizedFileURL.path, source: source, createdAt: clock.now)
            try store.publishRun(run, from: staging)
            // On a shared store the record lives there too (the local one is then a cache); on the state
            // directory this saves the same file again.
            try await records.write(run)
            return run
        } catch {
            // A run whose source could not be pinned never existed: leave nothing half-made for 'pipeline list'.
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
    }

    /// Copies the directory (and hashes it) or clones the repository at its ref (and reads the commit) into `destination`.
    private func pinSource(_ source: PipelineSource, into destination: URL, file: URL) async throws -> SourceRecord {
        let base = file.deletingLastPathComponent()
        switch source {
        case let .directory(path):
            let url = URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw PipelineError.unreadableFile(file: file.path, detail: "source.directory \(url.path) does not exist")
            }
            try files.copy(from: url, to: destination)
            return SourceRecord(kind: "directory", location: url.path, revision: try files.hash(of: destination))
        case let .git(repository, ref):
            let local = URL(fileURLWithPath: repository, relativeTo: base).standardizedFileURL
            let location = repository.contains("://") || repository.contains("@") || !FileManager.default.fileExists(atPath: local.path) ? repository : local.path
            let commit = try await clone(location, ref: ref, into: destination, file: file.path)
            return SourceRecord(kind: "git", location: location, ref: ref, revision: commit)
        }
    }

    /// An aws account whose credentials, region or endpoint cannot be resolved is found before anything runs.
    func checkAccounts(_ pipeline: Pipeline) throws {
        for stage in pipeline.stages {
            guard case let .deploy(deploy) = stage.kind, let account = pipeline.account(deploy.account), account.platform == .aws else { continue }
            _ = try accounts.target(for: account, stage: stage.name)
        }
    }

    private func clone(_ repository: String, ref: String, into destination: URL, file: String) async throws -> String {
        // The repository and ref travel as variables, never spliced into the script. `git checkout` reads a ref
        // beginning with '-' as an option, and after `--` as a path: the ref is resolved by rev-parse after
        // --end-of-options, and checkout gets the commit's hash.
        let script = """
            git clone --quiet --no-checkout -- "$SHIFT_GIT_REPOSITORY" source || exit 1
            cd source || exit 1
            commit=$(git rev-parse --verify --quiet --end-of-options "$SHIFT_GIT_REF^{commit}") || { echo "no commit named '$SHIFT_GIT_REF' in the repository" >&2; exit 1; }
            git checkout --quiet --detach "$commit" -- && git rev-parse HEAD
            """
        let environment = ["SHIFT_GIT_REPOSITORY": repository, "SHIFT_GIT_REF": ref, "GIT_TERMINAL_PROMPT": "0"]
        let outcome = try await commands.run(script, in: destination.deletingLastPathComponent(), environment: environment, timeout: 600, masker: SecretMasker())
        try Task.checkCancellation()
        let commit = String(decoding: outcome.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard outcome.termination == .exited(0), commit.count >= 40 else {
            let detail = String(decoding: outcome.stderrTail, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw PipelineError.unreadableFile(file: file, detail: "cannot check out \(repository) at \(ref): \(detail.isEmpty ? "git failed" : detail)")
        }
        return commit
    }

    // MARK: Running

    /// Runs (or resumes) run `id` from its first unfinished stage.
    /// - Parameters:
    ///   - interruption: names the signal; the caller records it, then cancels this task. Deployments roll back.
    ///   - observe: hears every stage change, log line and deployment event.
    /// - Returns: the run as saved, and how it was left.
    /// - Throws: `PipelineError.runLocked` when another process runs it (nothing changes); `PipelineError.runNotFound`;
    ///   `AWSPlatformError` as for `create`; `StorageError.io` when the record cannot be saved.
    public func run(_ id: String, interruption: Interruption = Interruption(), observe: @escaping @Sendable (PipelineUpdate) -> Void = { _ in }) async throws -> (PipelineRun, RunOutcome) {
        let hold = try await records.hold(id)
        do {
            let result = try await runHeld(id, interruption: interruption, observe: observe)
            await hold.release()
            return result
        } catch {
            await hold.release()
            throw error
        }
    }

    private func runHeld(_ id: String, interruption: Interruption, observe: @escaping @Sendable (PipelineUpdate) -> Void) async throws -> (PipelineRun, RunOutcome) {
        let recorder = RunRecorder(run: try await records.run(id), records: records, files: store, clock: clock, observe: observe)
        try checkAccounts(await recorder.run.pipeline)
        try await approvals.checkDecisions(of: await recorder.run)
        while true {
            let run = await recorder.run
            switch run.next {
            case .finished:
                return (run, .succeeded)
            case let .stopped(index):
                let stage = run.stages[index], reason = stage.reason ?? stage.status.rawValue
                if stage.deployments.contains(where: { $0.status == .rollbackFailed }) {
                    return (run, .rollbackFailed(stage: stage.name, reason: reason))
                }
                return (run, .failed(stage: stage.name, reason: reason))
            case let .stage(index):
                let stage = run.pipeline.stages[index]
                // Before the stage is marked running: an artifact that cannot be fetched or is not what was built
                // stops the run with nothing deployed and nothing recorded (a stage finishing an abort deploys nothing).
                if case let .deploy(deploy) = stage.kind, run.stages[index].abortReason == nil { try await fetchArtifacts(for: deploy, of: run) }
                try await recorder.update(stage: index) { record in
                    record.status = .running
                    record.attempts += 1
                    if case .approval = stage.kind, record.startedAt != nil {
                        // A gate's clock runs from when it first opened.
                    } else {
                        record.startedAt = clock.now
                    }
                    record.completedAt = nil
                    record.reason = nil
                    record.log = "logs/\(stage.name).log"
                }
                let outcome: StageOutcome
                if Task.isCancelled {
                    outcome = .interrupted(interruption.signal ?? "cancellation")
                } else {
                    switch stage.kind {
                    case let .build(commands), let .test(commands):
                        outcome = await runCommands(commands, stage: index, recorder: recorder, interruption: interruption)
                    case let .deploy(deploy):
                        outcome = await runDeploy(deploy, stage: index, recorder: recorder, interruption: interruption)
                    case let .approval(approval):
                        outcome = try await runApproval(approval, stage: index, recorder: recorder, interruption: interruption)
                    }
                }
                try await record(outcome, stage: index, recorder: recorder)
                switch outcome {
                case .completed, .failed:
                    continue
                case let .waiting(deadline):
                    return (await recorder.run, .waiting(stage: stage.name, deadline: deadline))
                case let .interrupted(signal):
                    return (await recorder.run, .interrupted(stage: stage.name, signal: signal))
                }
            }
        }
    }

    private func record(_ outcome: StageOutcome, stage index: Int, recorder: RunRecorder) async throws {
        let now = clock.now
        try await recorder.update(stage: index) { record in
            switch outcome {
            case .completed:
                record.status = .succeeded
                record.completedAt = now
            case let .failed(status, reason):
                record.status = status
                record.reason = reason
                record.completedAt = now
            case let .waiting(deadline):
                record.status = .waiting
                record.reason = "waiting for approval until \(Timestamp.format(deadline))"
            case let .interrupted(signal):
                record.status = .interrupted
                record.reason = "interrupted by \(signal)"
            }
        }
        if case let .failed(_, reason) = outcome { await recorder.log(stage: index, "stage failed: \(reason)") }
    }
}

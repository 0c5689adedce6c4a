import Foundation
import ShiftCore
import ShiftStorage

/// The one writer of a run's record while it runs: stages (and the concurrent functions of a deploy stage)
/// change it through here, and every change is saved before it is acted on.
actor RunRecorder {
    private(set) var run: PipelineRun
    nonisolated let runID: String
    let records: any RunRecords
    /// Where the run's log files are.
    let files: PipelineRunStore
    let clock: any Clock
    let observe: @Sendable (PipelineUpdate) -> Void

    init(run: PipelineRun, records: any RunRecords, files: PipelineRunStore, clock: any Clock, observe: @escaping @Sendable (PipelineUpdate) -> Void) {
        self.run = run
        self.runID = run.id
        self.records = records
        self.files = files
        self.clock = clock
        self.observe = observe
    }

    // Saves run one at a time: a save suspends (on a shared store), and two saves in flight would both be
    // conditional on the same version, the second refused as if the run had been taken over.
    private var isSaving = false
    /// Set once a save was refused because another runner took the run over: nothing is saved (or done) after it.
    private(set) var takenOver: PipelineError?
    private var savers: [CheckedContinuation<Void, Never>] = []

    /// Applies `change` to stage `index`, saves the run, and tells the observer when the status changed.
    /// - Throws: `StorageError.io` when the record cannot be saved; `PipelineError.runTakenOver` when another
    ///   runner took the run over.
    func update(stage index: Int, _ change: (inout StageRecord) -> Void) async throws {
        let before = run.stages[index].status
        change(&run.stages[index])
        run.updatedAt = clock.now
        let changed = run.stages[index]
        while isSaving { await withCheckedContinuation { savers.append($0) } }
        isSaving = true
        defer {
            isSaving = false
            if !savers.isEmpty { savers.removeFirst().resume() }
        }
        if let takenOver { throw takenOver }
        // The latest state: it includes every change made while an earlier save was in flight.
        do {
            try await records.write(run)
        } catch let error as PipelineError {
            if case .runTakenOver = error { takenOver = error }
            throw error
        }
        if changed.status != before { observe(.stage(changed)) }
    }

    /// Applies `change` to the record of one function of a deploy stage, and saves.
    func update(stage index: Int, function: String, alias: String, _ change: (inout FunctionDeploymentRecord) -> Void) async throws {
        try await update(stage: index) { stage in
            guard let position = stage.deployments.firstIndex(where: { $0.function == function && $0.alias == alias }) else { return }
            change(&stage.deployments[position])
        }
    }

    /// Appends `text` to the stage's log file (masked by the caller) and tells the observer.
    func log(stage index: Int, _ text: String) {
        let name = run.stages[index].name
        let url = files.logFile(run.id, stage: name)
        let line = "\(Timestamp.format(clock.now)) \(text)\n"
        RunLog.append(line, to: url)
        observe(.log(stage: name, text: text))
    }
}

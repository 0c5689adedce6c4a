import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftPlatforms
import ShiftTestSupport
import XCTest

/// The runner reads and saves run records and reads decisions only through `RunRecords` and `ApprovalRecords`,
/// so a shared store can take the state directory's place: here both live in memory, and no record or decision
/// file is ever written.
final class PipelineRunnerRecordsTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var clock: ManualClock!
    private var root: URL { directory.url.appendingPathComponent("state") }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory("shift-records")
        clock = ManualClock()
    }

    override func tearDown() {
        directory.remove()
    }

    /// A run of a pipeline whose only stage is an approval by alice, saved in `records` alone.
    private func start(in records: InMemoryRunRecords) throws -> PipelineRun {
        let text = """
            name: shop
            accounts: {dev: {platform: local}}
            source: {directory: \(directory.url.path)}
            stages:
              - {name: gate, type: approval, approvers: [alice], timeout: 60}
            """
        let outcome = PipelineParser.parse(text, file: "shop.yml")
        let pipeline = try XCTUnwrap(outcome.pipeline, outcome.issues.map(\.description).joined(separator: "\n"))
        let run = PipelineRun(id: "p-records", pipeline: pipeline, file: "shop.yml", source: SourceRecord(kind: "directory", location: directory.url.path, revision: "r1"), createdAt: clock.now)
        try records.write(run)
        return run
    }

    private func runner(_ records: InMemoryRunRecords) -> PipelineRunner {
        PipelineRunner(store: PipelineRunStore(stateRoot: root, clock: clock), records: records, approvals: records,
                       accounts: LocalPipelineAccounts(root: root, clock: clock), commands: LocalCommandRunner(), files: LocalFileTree(), clock: clock, waitsForApproval: false)
    }

    func testApprovalStage_waitsInTheRecords_thenResumesOnTheirDecision() async throws {
        let records = InMemoryRunRecords()
        let run = try start(in: records)
        let (waiting, outcome) = try await runner(records).run(run.id)
        guard case .waiting(stage: "gate", _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(waiting.stages[0].status, .waiting)
        XCTAssertEqual(try records.run(run.id).stages[0].status, .waiting, "saved through RunRecords")

        try records.record(ApprovalDecision(approved: true, by: "alice", comment: nil, decidedAt: clock.now), run: run.id, stage: "gate")
        let (finished, resumed) = try await runner(records).run(run.id)
        guard case .succeeded = resumed else { return XCTFail("\(resumed)") }
        XCTAssertEqual(finished.stages[0].status, .succeeded)
        XCTAssertEqual(try records.run(run.id).stages[0].status, .succeeded)
        let store = PipelineRunStore(stateRoot: root, clock: clock)
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.runFile(run.id).path), "no record file: the runner used RunRecords")
    }

    func testRejection_inTheApprovalRecords_failsTheRun() async throws {
        let records = InMemoryRunRecords()
        let run = try start(in: records)
        try records.record(ApprovalDecision(approved: false, by: "alice", comment: "not today", decidedAt: clock.now), run: run.id, stage: "gate")
        let (failed, outcome) = try await runner(records).run(run.id)
        guard case .failed(stage: "gate", _) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(try records.run(run.id).stages[0].status, failed.stages[0].status)
        XCTAssertNotEqual(failed.stages[0].status, .succeeded)
    }
}

/// Run records and decisions in memory: a stand-in for a shared store.
final class InMemoryRunRecords: RunRecords, ApprovalRecords, @unchecked Sendable {
    private let lock = NSLock()
    private var saved: [String: PipelineRun] = [:]
    private var decisions: [String: ApprovalDecision] = [:]

    func write(_ run: PipelineRun) throws {
        lock.withLock { saved[run.id] = run }
    }

    func run(_ id: String) throws -> PipelineRun {
        guard let run = lock.withLock({ saved[id] }) else { throw PipelineError.runNotFound(id: id) }
        return run
    }

    func runs(unreadable: (Error) -> Void) -> [PipelineRun] {
        lock.withLock { saved.values.sorted { $0.createdAt > $1.createdAt } }
    }

    func isLocked(_ id: String) -> Bool { false }

    func hold(_ id: String) async throws -> any RunHold { Unheld() }

    struct Unheld: RunHold {
        func release() async {}
    }

    func decision(_ id: String, stage: String) throws -> ApprovalDecision? {
        lock.withLock { decisions["\(id)/\(stage)"] }
    }

    func record(_ decision: ApprovalDecision, run id: String, stage: String) throws {
        try lock.withLock {
            if decisions["\(id)/\(stage)"] != nil {
                throw PipelineError.decisionRefused(run: id, stage: stage, reason: "it was already decided")
            }
            decisions["\(id)/\(stage)"] = decision
        }
    }
}

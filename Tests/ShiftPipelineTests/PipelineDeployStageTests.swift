import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftTestSupport
import XCTest

/// A deploy stage's own logic (bounded concurrency, sibling abort, the stage rollback) on the in-memory doubles,
/// with time on a manual clock: the pipeline knows the platform only through `DeployTarget` and `Deployer`.
final class PipelineDeployStageTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var clock: ManualClock!
    private var platform: InMemoryPlatform!
    private var alarms: InMemoryAlarmSource!
    private var journal: InMemoryJournal!
    private var root: URL { directory.url.appendingPathComponent("state") }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory("shift-deploy-stage")
        clock = ManualClock()
        platform = InMemoryPlatform(clock: clock)
        alarms = InMemoryAlarmSource(clock: clock)
        journal = InMemoryJournal()
        _ = try directory.writeScript("source/handler.sh", "cat >/dev/null; echo '{}'")
        for function in ["a", "b", "c"] {
            platform.publish(function, versions: [1])
            platform.setAlias("live", of: function, routing: .single(1))
        }
    }

    override func tearDown() {
        directory.remove()
    }

    /// Runs a pipeline that builds one artifact and deploys `entries` (flow-style YAML items) at `concurrency`.
    /// The clock moves only once `startedTogether` deployments exist, so that siblings start at the same time.
    /// - Parameter inStep: once they have started, the clock moves only when every running deployment sleeps, so
    ///   that they poll at the same clock times (as they would in real time).
    private func runStage(_ entries: [String], concurrency: Int, startedTogether: Int = 2, functions: [String] = ["a", "b", "c"], inStep: Bool = false) async throws -> (PipelineRun, RunOutcome) {
        let text = """
            name: shop
            accounts: {prod: {platform: local}}
            source: {directory: \(directory.url.appendingPathComponent("source").path)}
            functions: {\(functions.map { "\($0): {artifact: app, handler: ./handler.sh}" }.joined(separator: ", "))}
            stages:
              - {name: build, type: build, commands: ['mkdir -p out && cp handler.sh out/'], artifacts: {app: out}}
              - {name: prod, type: deploy, account: prod, concurrency: \(concurrency), functions: [\(entries.joined(separator: ", "))]}
            """
        let parsed = PipelineParser.parse(text, file: "shop.yml")
        let pipeline = try XCTUnwrap(parsed.pipeline, parsed.issues.map(\.description).joined(separator: "\n"))
        let target = InMemoryDeployTarget(deployer: Deployer(platform: platform, alarms: alarms, store: journal, leases: InMemoryLeaseStore(), clock: clock))
        let runner = PipelineRunner(store: PipelineRunStore(stateRoot: root, clock: clock), accounts: InMemoryAccounts(target: target), commands: LocalCommandRunner(), files: LocalFileTree(), clock: clock, waitsForApproval: false)
        var generator = SystemRandomNumberGenerator()
        let run = try await runner.create(pipeline, file: directory.url.appendingPathComponent("shop.yml"), id: PipelineRun.makeID(using: &generator))
        let id = run.id
        let journal = self.journal!
        let clock = self.clock!
        let driver = ClockDriver(clock: clock, isBusy: {
            let latest = Dictionary(journal.records.map { ($0.id, $0.status) }, uniquingKeysWith: { _, last in last })
            return latest.count < startedTogether || (inStep && clock.sleeperCount < latest.values.filter { !$0.isFinal }.count)
        }) { await Result(catching: { try await runner.run(id) }) }
        return try await driver.finish().get()
    }

    func testThirtyFunctionsWatching120Alarms_readThemInTwoCallsPerPollInterval() async throws {
        let functions = (0..<30).map { "f\($0)" }
        for function in functions {
            platform.publish(function, versions: [1])
            platform.setAlias("live", of: function, routing: .single(1))
            for alarm in 0..<4 { alarms.set("\(function)-alarm\(alarm)", .ok) }
        }
        let entries = functions.map { function in
            "{function: \(function), alias: live, preference: Canary10Percent5Minutes, pollInterval: 10, alarms: [\((0..<4).map { "\(function)-alarm\($0)" }.joined(separator: ", "))]}"
        }
        let (run, outcome) = try await runStage(entries, concurrency: 30, startedTogether: 30, functions: functions, inStep: true)
        XCTAssertEqual(outcome, .succeeded)
        let records = try await deployments()
        XCTAssertEqual(records.values.filter { $0.status == .succeeded }.count, 30)

        // Group the platform's reads by clock time: once every deployment is under way, one read of all 120 names
        // (two calls of at most 100) serves the 30 deployments' polls at that time.
        var callsAt: [Date: [[String]]] = [:]
        for (time, batch) in zip(alarms.reads, alarms.readBatches) { callsAt[time, default: []].append(batch) }
        let start = try XCTUnwrap(callsAt.keys.min())
        let later = callsAt.filter { $0.key > start }
        XCTAssertGreaterThanOrEqual(later.count, 29, "a read per 10 s poll over the 5-minute hold")
        for (time, batches) in later {
            XCTAssertEqual(batches.count, 2, "at \(time.timeIntervalSince(start)) s: \(batches.map(\.count))")
            XCTAssertEqual(Set(batches.joined()).count, 120)
        }
        XCTAssertTrue(alarms.readBatches.allSatisfy { $0.count <= 100 })
        // Alone, each deployment would have made a call per poll: 30 times as many.
        let log = try String(contentsOf: PipelineRunStore(stateRoot: root, clock: clock).logFile(run.id, stage: "prod"), encoding: .utf8)
        XCTAssertTrue(log.contains("alarms: 120 alarm names of 30 functions read in \(alarms.readBatches.count) platform calls"), log)
    }

    /// The last record of each deployment, by function.
    private func deployments() async throws -> [String: Deployment] {
        Dictionary(uniqueKeysWithValues: try await journal.deployments(function: nil, status: nil).map { ($0.request.functionName, $0) })
    }

    func testConcurrencyTwo_startsTheThirdFunctionOnlyWhenOneHasFinished() async throws {
        let canary = "Canary10Percent5Minutes"
        let (_, outcome) = try await runStage(["a", "b", "c"].map { "{function: \($0), alias: live, preference: \(canary)}" }, concurrency: 2)
        XCTAssertEqual(outcome, .succeeded)
        let records = try await deployments()
        XCTAssertEqual(records.count, 3)
        let intervals = records.values.map { ($0.createdAt, $0.updatedAt) }
        for (start, _) in intervals {
            let running = intervals.filter { $0.0 <= start && start < $0.1 }.count
            XCTAssertLessThanOrEqual(running, 2, "at most two deployments at once")
        }
        let firstEnd = try XCTUnwrap(intervals.map(\.1).min())
        XCTAssertEqual(intervals.filter { $0.0 >= firstEnd }.count, 1, "the third starts when one has finished")
        XCTAssertTrue(records.values.allSatisfy { $0.status == .succeeded })
    }

    func testOneFunctionFails_theSiblingStillShifting_isCancelledAndRolledBack() async throws {
        alarms.set("b-errors", .ok)  // b's alarm goes off once b routes some traffic to its new version
        let platform = self.platform!
        alarms.script { _ in ["b-errors": platform.currentAlias("live", of: "b")?.routing.additionalVersion != nil ? .alarm : .ok] }
        let (_, outcome) = try await runStage([
            "{function: a, alias: live, preference: Canary10Percent5Minutes}",
            "{function: b, alias: live, preference: Canary10Percent5Minutes, alarms: [b-errors]}",
        ], concurrency: 2)
        guard case let .failed(stage, reason) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(stage, "prod")
        XCTAssertTrue(reason.contains("b:"), reason)
        let records = try await deployments()
        guard case .alarm(name: "b-errors", _)? = records["b"]?.phase.reason else { return XCTFail("\(outcome) \(records)") }
        XCTAssertEqual(records["a"]?.rolledBack, true, "the sibling rolled back")
        XCTAssertEqual(platform.currentAlias("live", of: "a")?.routing, .single(1))
        XCTAssertEqual(platform.currentAlias("live", of: "b")?.routing, .single(1))
    }

    func testOneFunctionFails_aFinishedSibling_isRolledBackByTheEngine_journalledFirst() async throws {
        alarms.set("b-errors", .ok)  // b's alarm goes off once b routes some traffic to its new version
        let platform = self.platform!
        alarms.script { _ in ["b-errors": platform.currentAlias("live", of: "b")?.routing.additionalVersion != nil ? .alarm : .ok] }
        let (run, outcome) = try await runStage([
            "{function: a, alias: live, preference: AllAtOnce}",
            "{function: b, alias: live, preference: Canary10Percent5Minutes, alarms: [b-errors]}",
        ], concurrency: 2)
        guard case .failed = outcome else { return XCTFail("\(outcome)") }
        let records = try await deployments()
        let a = try XCTUnwrap(records["a"])
        XCTAssertEqual(a.status, .stopped)
        XCTAssertTrue(a.rolledBack)
        guard case .stageAborted? = a.phase.reason else { return XCTFail("\(a.phase)") }
        XCTAssertEqual(platform.currentAlias("live", of: "a")?.routing, .single(1))
        // The decision to roll back was journalled before the alias moved back.
        let rollbackMove = try XCTUnwrap(platform.appliedUpdates.last { $0.function == "a" })
        let decided = try XCTUnwrap(journal.records.first { $0.id == a.id && $0.phase == .rollingBack(reason: a.phase.reason!) })
        XCTAssertLessThanOrEqual(decided.updatedAt, rollbackMove.time)
        XCTAssertEqual(run.stages[1].deployments.first { $0.function == "a" }?.status, .rolledBack)
    }
}

/// A deploy target on the in-memory platform: the artifact's directory name stands for its bytes.
private struct InMemoryDeployTarget: DeployTarget {
    let deployer: Deployer

    func putAlarms(_ definitions: [AlarmDefinition], description: String) async throws {}
}

private struct InMemoryAccounts: PipelineAccounts {
    let target: InMemoryDeployTarget

    func target(for account: PipelineAccount, stage: String) throws -> any DeployTarget { target }

    func resolver(for account: PipelineAccount, stage: String) throws -> any ParameterResolver {
        throw ShiftCoreError.refused(reason: "no parameters in these tests")
    }
}

extension Result where Failure == Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftPlatforms
import ShiftStorage
import ShiftTestSupport
import XCTest

/// Two runners on two machines: two state directories that share nothing but one object store (S3's rules in
/// memory), each reaching it through its own link that a test can cut. Runs, approvals and artifacts live in the
/// store; a run started on one runner is approved from a third process and finished on the other.
final class SharedPipelineStateTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var clock: ManualClock!
    private var bucket: InMemoryObjectStore!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory("shift-shared")
        clock = ManualClock()
        bucket = InMemoryObjectStore()
        try directory.writeScript("source/handler.sh", "cat >/dev/null; echo '{\"ok\": true}'")
    }

    override func tearDown() {
        directory.remove()
    }

    /// One machine: its own state directory and its own link to the bucket.
    private struct Machine {
        let root: URL
        let link: ObjectStoreLink
        let records: ObjectStoreRunRecords
        let approvals: ObjectStoreApprovalRecords
        let runner: PipelineRunner
    }

    private func machine(_ name: String) -> Machine {
        let root = directory.url.appendingPathComponent(name)
        let link = ObjectStoreLink(bucket)
        let records = ObjectStoreRunRecords(store: link, clock: clock)
        let approvals = ObjectStoreApprovalRecords(store: link)
        let runner = PipelineRunner(store: PipelineRunStore(stateRoot: root, clock: clock), records: records, approvals: approvals,
                                    accounts: LocalPipelineAccounts(root: root, clock: clock), commands: LocalCommandRunner(), files: LocalFileTree(),
                                    clock: clock, waitsForApproval: false, sharedArtifacts: ObjectStoreArtifacts(store: link))
        return Machine(root: root, link: link, records: records, approvals: approvals, runner: runner)
    }

    private let build = "  - {name: build, type: build, commands: ['mkdir -p out && cp handler.sh out/ && echo $SHIFT_RUN_ID > out/RELEASE'], artifacts: {api: out}}"
    private let deploy = "  - {name: dev, type: deploy, account: dev, functions: [{function: api, alias: live, preference: AllAtOnce}]}"

    private func gate(_ approvers: String) -> String { "  - {name: gate, type: approval, approvers: \(approvers), timeout: 600}" }

    private func pipeline(_ stages: [String]) throws -> Pipeline {
        let text = """
            name: shop
            accounts: {dev: {platform: local}}
            source: {directory: \(directory.url.appendingPathComponent("source").path)}
            \(stages.contains(build) ? "functions: {api: {artifact: api, handler: ./handler.sh}}" : "")
            stages:
            \(stages.joined(separator: "\n"))
            """
        let outcome = PipelineParser.parse(text, file: "shop.yml")
        return try XCTUnwrap(outcome.pipeline, outcome.issues.map(\.description).joined(separator: "\n"))
    }

    private func create(on machine: Machine, _ stages: [String]) async throws -> PipelineRun {
        try await machine.runner.create(try pipeline(stages), file: directory.url.appendingPathComponent("shop.yml"), id: "p-shared0001")
    }

    private func functions(on machine: Machine) throws -> LocalFunctionStore {
        LocalFunctionStore(state: try StateDirectory(root: machine.root, account: "dev"), clock: clock)
    }

    // MARK: Runs started on A, approved elsewhere, finished on B

    func testRunStartedOnA_approvedFromALaptop_resumedOnB_deploysTheBytesBuiltOnA() async throws {
        let a = machine("runner-a"), b = machine("runner-b"), laptop = machine("laptop")
        let run = try await create(on: a, [build, gate("[alice]"), deploy])
        let (waiting, outcome) = try await a.runner.run(run.id)
        guard case .waiting(stage: "gate", _) = outcome else { return XCTFail("\(outcome)") }
        let artifact = try XCTUnwrap(waiting.stages[0].artifacts.first)
        XCTAssertTrue(bucket.keys.contains(ObjectStoreArtifacts.key(sha256: artifact.sha256)), "\(bucket.keys)")

        // Every machine sees the run, waiting, and nobody holding it.
        let observed1 = try await b.records.run(run.id).status(isLocked: await b.records.isLocked(run.id))
        XCTAssertEqual(observed1, .waiting)
        try await laptop.approvals.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: "ship it", runs: laptop.records, now: clock.now)

        let (finished, resumed) = try await b.runner.run(run.id)
        XCTAssertEqual(resumed, .succeeded)
        XCTAssertEqual(finished.stages[1].decision?.by, "alice")
        XCTAssertFalse(FileManager.default.fileExists(atPath: b.runner.store.sourceDirectory(run.id).path), "B never had the source")
        let version = try functions(on: b).version(1, of: "api")
        XCTAssertEqual(version.codeSHA256, artifact.sha256, "B published exactly the tree A built")
        let release = try String(contentsOf: try functions(on: b).codeDirectory(of: "api", version: 1).appendingPathComponent("RELEASE"), encoding: .utf8)
        XCTAssertEqual(release, "\(run.id)\n")
        let observed2 = try await a.records.run(run.id).stages.map(\.status)
        XCTAssertEqual(observed2, [.succeeded, .succeeded, .succeeded], "A sees B's result")
    }

    func testArtifactChangedInTheStore_isRefusedOnB_withNothingDeployedOrRecorded() async throws {
        let a = machine("runner-a"), b = machine("runner-b")
        let run = try await create(on: a, [build, gate("[alice]"), deploy])
        let (waiting, _) = try await a.runner.run(run.id)
        let artifact = try XCTUnwrap(waiting.stages[0].artifacts.first)
        try await b.approvals.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: nil, runs: b.records, now: clock.now)
        // Someone replaces the object with other bytes under the same key.
        let key = ObjectStoreArtifacts.key(sha256: artifact.sha256)
        let other = directory.url.appendingPathComponent("other")
        try directory.writeScript("other/handler.sh", "echo evil")
        _ = try await bucket.put(key, data: try JSONFile.encoder().encode(try ArtifactArchive.pack(other)), condition: .always)

        await XCTAssertThrowsAsync(try await b.runner.run(run.id)) { error in
            guard case let .artifactMismatch(name, location, expected, _)? = error as? PipelineError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "api")
            XCTAssertEqual(location, "s3://test-bucket/shift/\(key)")
            XCTAssertEqual(expected, artifact.sha256)
            XCTAssertEqual((error as? PipelineError)?.category, .badInput)
            XCTAssertFalse(error.localizedDescription.contains("\n"))
        }
        XCTAssertThrowsError(try functions(on: b).function("api"), "nothing deployed")
        let observed3 = try await b.records.run(run.id).stages[2].status
        XCTAssertEqual(observed3, .pending, "the deploy stage was not started")
        XCTAssertFalse(FileManager.default.fileExists(atPath: b.runner.store.runDirectory(run.id).appendingPathComponent(artifact.path).path), "no rejected tree left behind")
    }

    func testDeletedLocalCache_isDownloadedAgain_onTheSameRunner() async throws {
        let a = machine("runner-a")
        let run = try await create(on: a, [build, gate("[alice]"), deploy])
        _ = try await a.runner.run(run.id)
        try FileManager.default.removeItem(at: a.root)
        try await a.approvals.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: nil, runs: a.records, now: clock.now)
        let (_, outcome) = try await a.runner.run(run.id)
        XCTAssertEqual(outcome, .succeeded)
    }

    func testStaleLocalCache_isReplacedFromTheStore_andTheBytesBuiltAreDeployed() async throws {
        let a = machine("runner-a")
        let run = try await create(on: a, [build, gate("[alice]"), deploy])
        let (waiting, _) = try await a.runner.run(run.id)
        let artifact = try XCTUnwrap(waiting.stages[0].artifacts.first)
        // The cached tree no longer holds the bytes the run recorded (edited by hand, a stale copy).
        let cached = a.runner.store.runDirectory(run.id).appendingPathComponent(artifact.path)
        try Data("stale\n".utf8).write(to: cached.appendingPathComponent("RELEASE"))
        try await a.approvals.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: nil, runs: a.records, now: clock.now)
        let (_, outcome) = try await a.runner.run(run.id)
        XCTAssertEqual(outcome, .succeeded)
        let version = try functions(on: a).version(1, of: "api")
        XCTAssertEqual(version.codeSHA256, artifact.sha256, "the bytes built, from the store, not the stale cache")
    }

    // MARK: One runner at a time, fencing

    func testTwoRunners_onlyOneHoldsTheRun_theOtherIsRefusedNamingTheHolder() async throws {
        let a = machine("runner-a"), b = machine("runner-b")
        let run = try await create(on: a, [gate("[alice]")])
        let hold = try await a.records.hold(run.id)
        await XCTAssertThrowsAsync(try await b.runner.run(run.id)) { error in
            guard case let .runLocked(id, holder)? = error as? PipelineError else { return XCTFail("\(error)") }
            XCTAssertEqual(id, run.id)
            XCTAssertTrue(holder?.contains("pid \(ProcessInfo.processInfo.processIdentifier)") == true, holder ?? "")
            XCTAssertTrue(holder?.contains(Timestamp.format(self.clock.now.addingTimeInterval(60))) == true, holder ?? "")
            XCTAssertEqual((error as? PipelineError)?.category, .conflict)
        }
        let observed4 = try await b.records.run(run.id).stages[0].status
        XCTAssertEqual(observed4, .pending, "the refused runner changed nothing")
        let held = await b.records.isLocked(run.id)
        XCTAssertTrue(held)
        await hold.release()
        let released = await b.records.isLocked(run.id)
        XCTAssertFalse(released)
    }

    func testRunnerCutOffPastItsLease_isTakenOver_andItsNextWriteIsRefused() async throws {
        let a = machine("runner-a"), b = machine("runner-b")
        let run = try await create(on: a, [gate("[alice]")])
        _ = try await a.records.hold(run.id)
        var record = try await a.records.run(run.id)
        record.stages[0].reason = "A was here"
        try await a.records.write(record)

        // A is cut off (or paused) past its lease: its renewals fail, so B can take the run over after 60 s.
        a.link.isCut = true
        await XCTAssertThrowsAsync(try await b.records.hold(run.id), "the lease has not lapsed yet")
        clock.advance(by: 61)
        let hold = try await b.records.hold(run.id)
        var taken = try await b.records.run(run.id)
        taken.stages[0].reason = "B took over"
        try await b.records.write(taken)

        a.link.isCut = false
        record.stages[0].reason = "A woke up"
        await XCTAssertThrowsAsync(try await a.records.write(record)) { error in
            guard case let .runTakenOver(id, _)? = error as? PipelineError else { return XCTFail("\(error)") }
            XCTAssertEqual(id, run.id)
            XCTAssertEqual((error as? PipelineError)?.category, .conflict)
        }
        let observed5 = try await b.records.run(run.id).stages[0].reason
        XCTAssertEqual(observed5, "B took over", "the sleeper wrote nothing")
        await hold.release()
    }

    func testARecordChangedBehindTheRunnersBack_refusesItsNextWrite_evenWithoutALease() async throws {
        let a = machine("runner-a"), b = machine("runner-b")
        let run = try await create(on: a, [gate("[alice]")])
        var mine = try await a.records.run(run.id)
        var theirs = try await b.records.run(run.id)
        theirs.stages[0].reason = "B"
        try await b.records.write(theirs)
        mine.stages[0].reason = "A"
        await XCTAssertThrowsAsync(try await a.records.write(mine)) { error in
            guard case .runTakenOver? = error as? PipelineError else { return XCTFail("\(error)") }
        }
    }

    func testCreatingARunWhoseIdExists_isRefused() async throws {
        let a = machine("runner-a"), b = machine("runner-b")
        let run = try await create(on: a, [gate("[alice]")])
        await XCTAssertThrowsAsync(try await b.records.write(run)) { error in
            guard case .runTakenOver? = error as? PipelineError else { return XCTFail("\(error)") }
        }
    }

    func testAKilledRunner_leavesTheRunInterrupted_onceItsLeaseLapses() async throws {
        let a = machine("runner-a"), b = machine("runner-b")
        let run = try await create(on: a, [gate("[alice]")])
        _ = try await a.records.hold(run.id)
        var record = try await a.records.run(run.id)
        record.stages[0].status = .running
        try await a.records.write(record)
        a.link.isCut = true  // "kill -9": no more renewals
        let observed6 = try await b.records.run(run.id).stages[0].status
        XCTAssertEqual(observed6, .running, "held: still running")
        clock.advance(by: 61)
        let lapsed = try await b.records.run(run.id)
        XCTAssertEqual(lapsed.stages[0].status, .interrupted)
        let held7 = await b.records.isLocked(run.id)
        XCTAssertEqual(lapsed.status(isLocked: held7), .interrupted)
    }

    func testRunsOnTheStore_areListedNewestFirst_fromAnyMachine() async throws {
        let a = machine("runner-a"), b = machine("runner-b")
        let first = try await a.runner.create(try pipeline([gate("[alice]")]), file: directory.url.appendingPathComponent("shop.yml"), id: "p-first0001")
        clock.advance(by: 5)
        let second = try await a.runner.create(try pipeline([gate("[alice]")]), file: directory.url.appendingPathComponent("shop.yml"), id: "p-second001")
        _ = try await bucket.put("pipelines/runs/p-broken001/run.json", data: Data("{".utf8), condition: .always)
        var unreadable: [String] = []
        let runs = await b.records.runs { unreadable.append($0.localizedDescription) }
        XCTAssertEqual(runs.map(\.id), [second.id, first.id])
        XCTAssertEqual(unreadable.count, 1)
        XCTAssertTrue(unreadable[0].contains("s3://test-bucket/shift/pipelines/runs/p-broken001/run.json"), unreadable[0])
    }

    // MARK: Approvals

    func testTwoApproversDecidingAtTheSameMoment_exactlyOneIsRecorded_theOtherIsToldWho() async throws {
        let a = machine("runner-a")
        let run = try await create(on: a, [gate("[alice, bob]")])
        _ = try await a.runner.run(run.id)
        let laptops = (0..<20).map { _ in ObjectStoreApprovalRecords(store: ObjectStoreLink(bucket)) }
        let records = a.records, now = clock.now, id = run.id
        let results = await withTaskGroup(of: Result<ApprovalDecision, Error>.self) { group in
            for (index, laptop) in laptops.enumerated() {
                group.addTask {
                    do {
                        return .success(try await laptop.decide(run: id, stage: "gate", approve: index % 2 == 0, by: index % 2 == 0 ? "alice" : "bob",
                                                                comment: "decision \(index)", runs: records, now: now))
                    } catch { return .failure(error) }
                }
            }
            var all: [Result<ApprovalDecision, Error>] = []
            for await result in group { all.append(result) }
            return all
        }
        let winners = results.compactMap { try? $0.get() }
        XCTAssertEqual(winners.count, 1)
        let stored = try await a.approvals.decision(run.id, stage: "gate")
        XCTAssertEqual(stored, winners.first)
        for case let .failure(error) in results {
            guard case let .decisionRefused(_, _, reason)? = error as? PipelineError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("already") && reason.contains("by \(winners[0].by)"), reason)
        }
    }

    func testApproversAsARNs_admitOnlyAMatchingVerifiedIdentity_whateverNameIsTyped() async throws {
        let a = machine("runner-a")
        let releasers = "arn:aws:sts::123456789012:assumed-role/Releasers/*"
        let run = try await create(on: a, [build, gate("['\(releasers)']"), deploy])
        _ = try await a.runner.run(run.id)
        let records = a.records, now = clock.now
        func decide(by name: String, identity: String?) async throws -> ApprovalDecision {
            try await a.approvals.decide(run: run.id, stage: "gate", approve: true, by: name, identity: identity, comment: nil, runs: records, now: now)
        }
        await XCTAssertThrowsAsync(try await decide(by: "alice", identity: nil), "no identity") { error in
            XCTAssertTrue(error.localizedDescription.contains("nothing verifies who you are"), error.localizedDescription)
        }
        await XCTAssertThrowsAsync(try await decide(by: "alice", identity: "arn:aws:iam::123456789012:user/mallory"), "not a releaser") { error in
            XCTAssertEqual((error as? PipelineError)?.category, .badInput)
            XCTAssertTrue(error.localizedDescription.contains("identity arn:aws:iam::123456789012:user/mallory is not an approver"), error.localizedDescription)
            XCTAssertTrue(error.localizedDescription.contains(releasers), error.localizedDescription)
        }
        let recorded = try await a.approvals.decision(run.id, stage: "gate")
        XCTAssertNil(recorded, "refusals record nothing")
        let decision = try await decide(by: "mallory", identity: "arn:aws:sts::123456789012:assumed-role/Releasers/alice")
        XCTAssertEqual(decision.identity, "arn:aws:sts::123456789012:assumed-role/Releasers/alice")
        let storedValue = try await bucket.get("pipelines/runs/\(run.id)/approvals/gate.json")
        let stored = try XCTUnwrap(storedValue)
        XCTAssertTrue(String(decoding: stored.data, as: UTF8.self).contains("\"identity\" : \"arn:aws:sts::123456789012:assumed-role/Releasers/alice\""))
    }
}

/// One machine's link to the shared store: forwards every call, unless the test cut it.
final class ObjectStoreLink: ObjectStore, @unchecked Sendable {
    private let store: any ObjectStore
    private let lock = NSLock()
    private var cut = false

    init(_ store: any ObjectStore) { self.store = store }

    var isCut: Bool {
        get { lock.withLock { cut } }
        set { lock.withLock { cut = newValue } }
    }

    var location: String { store.location }

    private func check() throws {
        if isCut { throw ObjectStoreError.unavailable(location: location, detail: "the link is cut") }
    }

    func get(_ key: String) async throws -> StoredObject? { try check(); return try await store.get(key) }
    func put(_ key: String, data: Data, condition: WriteCondition) async throws -> String { try check(); return try await store.put(key, data: data, condition: condition) }
    func delete(_ key: String, ifMatching etag: String?) async throws { try check(); try await store.delete(key, ifMatching: etag) }
    func list(prefix: String, after: String?, limit: Int) async throws -> ObjectListing { try check(); return try await store.list(prefix: prefix, after: after, limit: limit) }
}

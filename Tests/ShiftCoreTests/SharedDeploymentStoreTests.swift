import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

/// Deployments in a shared object store (S3's rules, in memory): fenced journal writes, the engine stopping
/// without a platform call when fenced, the listing index, stop requests. "Two machines" are two store instances
/// over one object store.
final class SharedDeploymentStoreTests: XCTestCase {
    let objects = CountingObjectStore(InMemoryObjectStore(location: "s3://team-state/prod"))
    var memory: InMemoryObjectStore { objects.inner as! InMemoryObjectStore }
    let clock = ManualClock()

    func machine(_ host: String) -> SharedDeploymentStore {
        SharedDeploymentStore(store: objects, leases: SharedLeaseStore(store: objects, clock: clock, host: host, pid: 1), clock: clock)
    }

    func deployment(_ id: String, function: String = "orders", alias: String = "live", createdAt: Date? = nil) throws -> Deployment {
        let request = DeploymentRequest(functionName: function, alias: alias, targetVersion: 2, preference: try DeploymentPreference.named("Linear10PercentEvery1Minute"))
        return Deployment(id: id, request: request, originalVersion: 1, createdAt: createdAt ?? clock.now, aliasRevisionId: "r1")
    }

    // MARK: Fencing

    func testSave_afterAnotherMachineWroteTheRecord_isAConflict_andChangesNothing() async throws {
        let (a, b) = (machine("runner-a"), machine("runner-b"))
        var record = try deployment("d-1")
        try await a.save(record)
        record.updatedAt = clock.now.addingTimeInterval(1)
        try await a.save(record)

        var takenOver = try await b.deployment("d-1")
        takenOver.phase = .rollingBack(reason: .processDied)
        try await b.save(takenOver)

        record.phase = .shifting(step: 3)
        do {
            try await a.save(record)
            XCTFail("a fenced write succeeded")
        } catch let error as ShiftCoreError {
            XCTAssertEqual(error.category, .conflict)
            XCTAssertTrue(error.localizedDescription.contains("its lease was taken"), error.localizedDescription)
        }
        let stored = try await b.deployment("d-1")
        XCTAssertEqual(stored.phase, .rollingBack(reason: .processDied))
    }

    func testOfASleeperAndATaker_theSecondWriterLoses_whicheverItIs() async throws {
        let (sleeper, taker) = (machine("runner-a"), machine("runner-b"))
        var record = try deployment("d-1")
        try await sleeper.save(record)
        let read = try await taker.deployment("d-1")
        // The sleeper wakes first and writes: the taker, who read before that write, must lose.
        record.phase = .shifting(step: 2)
        try await sleeper.save(record)
        var decision = read
        decision.phase = .rollingBack(reason: .processDied)
        await XCTAssertConflict { try await taker.save(decision) }
    }

    func testEngine_whenFenced_makesNoFurtherPlatformCall_andEndsUnfinished() async throws {
        let platform = InMemoryPlatform(clock: clock)
        platform.publish("orders", versions: [1, 2])
        platform.setAlias("live", of: "orders", routing: .single(1))
        let journal = InMemoryJournal()
        let a = machine("runner-a"), b = machine("runner-b")
        let engine = DeploymentEngine(platform: platform, alarms: InMemoryAlarmSource(clock: clock), journal: a, clock: clock)
        guard case let .ready(record, _) = try await engine.prepare(try deployment("d-1").request, id: "d-1") else { return XCTFail("not ready") }
        try await a.save(record)
        // Right after step 2 lands, another machine takes the deployment over and journals its decision.
        platform.whenUpdatingAlias { update in
            guard update.routing.additionalVersion?.weight == (try? Weight(percent: 20)) else { return }
            let semaphore = DispatchSemaphore(value: 0)
            Task {
                var taken = try await b.deployment("d-1")
                taken.phase = .rollingBack(reason: .processDied)
                try await b.save(taken)
                semaphore.signal()
            }
            semaphore.wait()
        }
        let final = try await ClockDriver.engine(clock: clock, platform: platform, journal: journal) { await engine.run(record) }.finish()

        XCTAssertFalse(final.status.isFinal, "a fenced run ends unfinished: the other machine owns it")
        XCTAssertEqual(platform.appliedUpdates.map(\.routing.additionalVersion?.weight.percent), [10, 20], "no step 3 and no rollback by the fenced process")
        let stored = try await b.deployment("d-1")
        XCTAssertEqual(stored.phase, .rollingBack(reason: .processDied), "the taker's record stands")
    }

    // MARK: Listing

    func testSummaries_newestFiftyOfAFunction_readOneObject_whateverTheCount() async throws {
        let store = machine("runner-a")
        for number in 0..<320 {
            try await store.save(try deployment(String(format: "d-%05d", number), createdAt: clock.now.addingTimeInterval(Double(number))))
        }
        try await store.save(try deployment("d-other", function: "billing"))
        objects.resetCounts()
        let newest = try await store.summaries(function: "orders", status: nil, limit: 50, unreadable: { _ in })
        XCTAssertEqual(newest.summaries.map(\.deploymentId), (270..<320).reversed().map { String(format: "d-%05d", $0) })
        XCTAssertEqual(newest.omitted, 270)
        XCTAssertEqual(objects.requests, 1)

        let all = try await store.allSummaries(function: "orders", status: nil, unreadable: { _ in })
        XCTAssertEqual(all.map(\.deploymentId), (0..<320).reversed().map { String(format: "d-%05d", $0) })
        let everyFunction = try await store.summaries(function: nil, status: nil, limit: 3, unreadable: { _ in })
        XCTAssertEqual(everyFunction.summaries.map(\.deploymentId), ["d-00319", "d-00318", "d-00317"])
        XCTAssertEqual(everyFunction.omitted, 318)
    }

    /// Records deployments `numbers` in the index, one a minute, deployment `n` of function `function(n)`, through the
    /// index's own writes (the records themselves are not what a listing reads).
    func index(_ numbers: Range<Int>, in store: SharedDeploymentStore, function: (Int) -> String) async throws {
        for number in numbers {
            let record = try deployment(String(format: "d-%05d", number), function: function(number), createdAt: clock.now.addingTimeInterval(Double(number) * 60))
            try await store.index.record(DeploymentSummary(record))
        }
    }

    /// The newest 50 of `function` (nil: of every function), and the requests that listing made.
    func newestFifty(of function: String?, in store: SharedDeploymentStore) async throws -> (listing: DeploymentListing, requests: Int) {
        objects.resetCounts()
        let listing = try await store.summaries(function: function, status: nil, limit: 50, unreadable: { XCTFail("\($0)") })
        return (listing, objects.requests)
    }

    func ids(_ numbers: some Sequence<Int>) -> [String] { numbers.map { String(format: "d-%05d", $0) } }

    func testSummaries_newestFiftyOfAFewDeployedFunction_andOfEveryFunction_costTheSame_from500To2000DeploymentsOf250Functions() async throws {
        // orders is deployed every 250th time; 249 other functions take the rest. Scanning every function's index
        // would cost a listing and 250 reads.
        let store = machine("runner-a")
        let function = { (number: Int) in number % 250 == 0 ? "orders" : "function-\(number % 250)" }
        for total in [500, 2_000] {
            try await index((total == 500 ? 0 : 500)..<total, in: store, function: function)
            let orders = try await newestFifty(of: "orders", in: store)
            XCTAssertEqual(orders.requests, 1, "\(total) deployments")
            XCTAssertEqual(orders.listing.summaries.map(\.deploymentId), ids(stride(from: total - 250, through: 0, by: -250)))
            XCTAssertEqual(orders.listing.omitted, 0)
            let everyFunction = try await newestFifty(of: nil, in: store)
            XCTAssertEqual(everyFunction.requests, SharedDeploymentIndex.shards, "\(total) deployments: one head per shard, not one per function")
            XCTAssertEqual(everyFunction.listing.summaries.map(\.deploymentId), ids((total - 50..<total).reversed()))
            XCTAssertEqual(everyFunction.listing.omitted, total - 50)
        }
    }

    func testSummaries_newestFiftyOfAFunctionHoldingEveryDeployment_andOfEveryFunction_costTheSame_from500To2000Deployments() async throws {
        let store = machine("runner-a")
        for total in [500, 2_000] {
            try await index((total == 500 ? 0 : 500)..<total, in: store) { _ in "orders" }
            let orders = try await newestFifty(of: "orders", in: store)
            XCTAssertEqual(orders.requests, 1, "\(total) deployments: the head, none of its pages")
            XCTAssertEqual(orders.listing.summaries.map(\.deploymentId), ids((total - 50..<total).reversed()))
            XCTAssertEqual(orders.listing.omitted, total - 50)
            let everyFunction = try await newestFifty(of: nil, in: store)
            XCTAssertEqual(everyFunction.requests, SharedDeploymentIndex.shards, "\(total) deployments")
            XCTAssertEqual(everyFunction.listing, orders.listing)
        }
    }

    func testSave_whenTheProcessDiesBetweenTheTwoIndexWrites_leavesTheSummaryWhereRecoverLooks() async throws {
        // The function's list cannot be written (the process "dies" there); recover lists every function's.
        let dying = SharedDeploymentStore(store: RefusingObjectStore(inner: objects, refusedPrefix: "index/"),
                                          leases: SharedLeaseStore(store: objects, clock: clock, host: "runner-a", pid: 1), clock: clock)
        try await dying.save(try deployment("d-1"))
        let seen = try await machine("runner-b").allSummaries(function: nil, status: nil, unreadable: { XCTFail("\($0)") })
        XCTAssertEqual(seen.map(\.deploymentId), ["d-1"])
        XCTAssertEqual(memory.keys.filter { $0.hasPrefix("index/") }, [])
    }

    func testIndexShard_isTheSameInEveryProcess() async throws {
        // FNV-1a of the id, mod 8: a per-process seeded hash would put one deployment in different shards on two machines.
        let store = machine("runner-a")
        try await store.save(try deployment("d-1"))
        try await store.save(try deployment("d-3", function: "billing"))
        XCTAssertEqual(memory.keys.filter { $0.hasPrefix("index-all/") }, ["index-all/01/head.json", "index-all/03/head.json"])
    }

    func testSummaries_followStatusChanges_evenOfSpilledDeployments() async throws {
        let store = machine("runner-a")
        var old = try deployment("d-00000")
        try await store.save(old)
        for number in 1..<160 {
            try await store.save(try deployment(String(format: "d-%05d", number), createdAt: clock.now.addingTimeInterval(Double(number))))
        }
        old.phase = .succeeded
        try await store.save(old)
        let succeeded = try await store.allSummaries(function: "orders", status: .succeeded, unreadable: { _ in })
        XCTAssertEqual(succeeded.map(\.deploymentId), ["d-00000"])
    }

    func testTwoMachinesDeployingTwoAliasesOfOneFunction_bothLandInTheIndex() async throws {
        let (a, b) = (machine("runner-a"), machine("runner-b"))
        let live = try (0..<30).map { try deployment("d-a\($0)", alias: "live") }
        let beta = try (0..<30).map { try deployment("d-b\($0)", alias: "beta") }
        async let first: Void = { for record in live { try await a.save(record) } }()
        async let second: Void = { for record in beta { try await b.save(record) } }()
        _ = try await (first, second)
        let all = try await a.allSummaries(function: "orders", status: nil, unreadable: { _ in })
        XCTAssertEqual(all.count, 60)
        let everyFunction = try await b.allSummaries(function: nil, status: nil, unreadable: { _ in })
        XCTAssertEqual(everyFunction.count, 60)
    }

    func testUnfinishedDeployment_isTheAliasNewest_whenItHasNotEnded() async throws {
        let store = machine("runner-a")
        var record = try deployment("d-1")
        try await store.save(record)
        let unfinished = try await machine("runner-b").unfinishedDeployment(of: "live", function: "orders")
        XCTAssertEqual(unfinished?.id, "d-1")
        record.phase = .succeeded
        try await store.save(record)
        let none = try await machine("runner-b").unfinishedDeployment(of: "live", function: "orders")
        XCTAssertNil(none)
    }

    // MARK: Control requests

    func testRequestControl_whileTheLeaseIsLive_isSeenByTheDeployerInOrder_andRefusedOnceItLapsed() async throws {
        let a = machine("runner-a")
        try await a.save(try deployment("d-1"))
        let lease = try await a.leases.tryAcquire(.alias(function: "orders", alias: "live"), deployment: "d-1")
        let laptop = machine("laptop")
        let desk = machine("desk")
        try await laptop.requestControl("d-1", .pause, by: "alice")
        try await desk.requestControl("d-1", .stop(rollback: true), by: "bob")
        let seen = try await a.controls(for: "d-1", after: 0)
        XCTAssertEqual(seen.map(\.sequence), [1, 2])
        XCTAssertEqual(seen.map(\.requestedBy), ["alice", "bob"])
        XCTAssertEqual(seen.map(\.action), [.pause, .stop(rollback: true)])
        let later = try await a.controls(for: "d-1", after: 1)
        XCTAssertEqual(later.map(\.sequence), [2])

        try await a.save(try deployment("d-2", alias: "beta"))
        await XCTAssertRefused { try await laptop.requestControl("d-2", .stop(rollback: true), by: "alice") }
        await lease?.release()
    }

    func testRequestControl_fromManyMachinesAtOnce_numbersEachOnceWithoutGaps() async throws {
        let a = machine("runner-a")
        try await a.save(try deployment("d-1"))
        let lease = try await a.leases.tryAcquire(.alias(function: "orders", alias: "live"), deployment: "d-1")
        let laptops = (0..<20).map { machine("laptop-\($0)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (n, laptop) in laptops.enumerated() {
                group.addTask { try await laptop.requestControl("d-1", .pause, by: "user-\(n)") }
            }
            try await group.waitForAll()
        }
        let seen = try await a.controls(for: "d-1", after: 0)
        XCTAssertEqual(seen.map(\.sequence), Array(1...20))
        XCTAssertEqual(Set(seen.map(\.requestedBy)).count, 20)
        await lease?.release()
    }

    func XCTAssertConflict(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await body()
            XCTFail("no conflict", file: file, line: line)
        } catch let error as CategorizedError {
            XCTAssertEqual(error.category, .conflict, "\(error)", file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    func XCTAssertRefused(_ body: () async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            try await body()
            XCTFail("not refused", file: file, line: line)
        } catch let error as ShiftCoreError {
            guard case .refused = error else { return XCTFail("\(error)", file: file, line: line) }
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }
}

/// An object store whose writes under one prefix fail as unreachable, as a process dying before them would leave it.
final class RefusingObjectStore: ObjectStore, @unchecked Sendable {
    let inner: any ObjectStore
    let refusedPrefix: String

    init(inner: any ObjectStore, refusedPrefix: String) {
        self.inner = inner
        self.refusedPrefix = refusedPrefix
    }

    var location: String { inner.location }
    func get(_ key: String) async throws -> StoredObject? { try await inner.get(key) }
    func put(_ key: String, data: Data, condition: WriteCondition) async throws -> String {
        guard !key.hasPrefix(refusedPrefix) else { throw ObjectStoreError.unavailable(location: location, detail: "refused \(key)") }
        return try await inner.put(key, data: data, condition: condition)
    }
    func delete(_ key: String, ifMatching etag: String?) async throws { try await inner.delete(key, ifMatching: etag) }
    func list(prefix: String, after: String?, limit: Int) async throws -> ObjectListing { try await inner.list(prefix: prefix, after: after, limit: limit) }
}

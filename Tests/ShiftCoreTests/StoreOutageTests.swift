import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

/// A deployment whose shared store (S3's rules, in memory) goes away mid-hold: no step is taken without its journal
/// write, a lapsed lease rolls the alias back, the end is recorded once the store is back (or `recover` finishes it),
/// nothing journalled before is lost, and a conflict while retrying fences at once.
final class StoreOutageTests: XCTestCase {
    let memory = InMemoryObjectStore(location: "s3://team-state/prod")
    lazy var objects = CountingObjectStore(memory)
    let clock = ManualClock()
    var platform: InMemoryPlatform!
    let updates = Collected<DeploymentUpdate>()

    override func setUp() {
        platform = InMemoryPlatform(clock: clock)
        platform.publish("orders", versions: [1, 2])
        platform.setAlias("live", of: "orders", routing: .single(1))
    }

    /// One machine: its deployment store and its leases, over the one bucket.
    func machine(_ host: String, leaseSeconds: TimeInterval = 60) -> (store: SharedDeploymentStore, leases: CountedLeases, deployer: Deployer) {
        let sharedLeases = SharedLeaseStore(store: objects, clock: clock, host: host, pid: 1, duration: leaseSeconds)
        let store = SharedDeploymentStore(store: objects, leases: sharedLeases, clock: clock)
        let leases = CountedLeases(sharedLeases, clock: clock)
        let deployer = Deployer(platform: platform, alarms: InMemoryAlarmSource(clock: clock), store: store, leases: leases, clock: clock)
        return (store, leases, deployer)
    }

    func request(_ preference: String) throws -> DeploymentRequest {
        DeploymentRequest(functionName: "orders", alias: "live", targetVersion: 2, preference: try DeploymentPreference.named(preference), pollInterval: 10)
    }

    /// Drives `deploy` on the manual clock: the clock moves only when the engine and every live lease's heartbeat sleep.
    func deploying(_ request: DeploymentRequest, on runner: (store: SharedDeploymentStore, leases: CountedLeases, deployer: Deployer)) -> ClockDriver<Result<Deployer.Outcome, any Error>> {
        let updates = updates, clock = clock, leases = runner.leases, deployer = runner.deployer
        return ClockDriver(clock: clock, isBusy: { clock.sleeperCount < 1 + leases.live }) {
            do {
                return .success(try await deployer.deploy(request, id: "d-1", observe: { updates.append($0) }))
            } catch {
                return .failure(error)
            }
        }
    }

    /// Starts `preference` on runner-a, lets step 1 land, then cuts the store: the driver, the record as another
    /// machine read it just before the outage, and when the outage began.
    func deployThenCutTheStore(_ preference: String, leaseSeconds: TimeInterval) async throws -> (driver: ClockDriver<Result<Deployer.Outcome, any Error>>, before: Deployment, outage: Date) {
        let driver = deploying(try request(preference), on: machine("runner-a", leaseSeconds: leaseSeconds))
        try await driver.advance(until: updatesApplied(1))
        let before = try await machine("runner-b").store.deployment("d-1")
        memory.setOutage("connection refused")
        return (driver, before, clock.now)
    }

    var warnings: [String] {
        updates.values.compactMap { if case let .event(event) = $0, event.kind == .warning { return event.message } else { return nil } }
    }

    func finished(_ result: Result<Deployer.Outcome, any Error>) throws -> Deployment {
        guard case let .finished(final) = try result.get() else { throw NotFinished(outcome: "\(result)") }
        return final
    }

    // MARK: Tests

    func testStoreDownAtAStep_holdsWhereItIs_thenTakesTheStep_whenTheStoreReturnsWithinThePatience() async throws {
        let (driver, _, outage) = try await deployThenCutTheStore("Linear10PercentEvery1Minute", leaseSeconds: 600)
        // Step 2 is due a minute after step 1; the store stays away 40 s beyond that.
        try await driver.advance(until: clockReached(outage.addingTimeInterval(100)))
        XCTAssertEqual(platform.appliedUpdates.map(\.routing), [try routing(percent: 10)], "no step 2 while its journal write fails, and no rollback yet")
        XCTAssertTrue(warnings.contains { $0.contains("step 2 waits for its journal write") }, "\(warnings)")
        memory.setOutage(nil)
        try await driver.advance(until: updatesApplied(2))
        XCTAssertEqual(platform.appliedUpdates.map(\.routing), [try routing(percent: 10), try routing(percent: 20)], "step 2 taken once journalled")
        XCTAssertTrue(warnings.contains { $0.contains("the journal could be written again: taking step 2") }, "\(warnings)")
        let stored = try await machine("runner-b").store.deployment("d-1")
        XCTAssertEqual(stored.events.filter { $0.kind == .shiftStarted && $0.step == 2 }.count, 1, "the step's start is recorded once, however many tries it took")
    }

    func testStoreDownAtAStep_pastThePatience_rollsBack_andRecordsItOnceTheStoreIsBack() async throws {
        let (driver, before, outage) = try await deployThenCutTheStore("Linear10PercentEvery1Minute", leaseSeconds: 600)
        try await driver.advance(until: clockReached(outage.addingTimeInterval(60 + 60 + 30)))
        XCTAssertEqual(platform.appliedUpdates.map(\.routing), [try routing(percent: 10), .single(1)], "no step 2: its journal write failed for the whole patience; then the rollback")
        XCTAssertTrue(warnings.contains { $0.contains("trying again to record that deployment d-1 ended Failed until") && $0.contains("step 1, unfinished") }, "\(warnings)")
        memory.setOutage(nil)
        let final = try finished(try await driver.finish())

        XCTAssertEqual(final.status, .failed)
        XCTAssertTrue(warnings.contains { $0.contains("could be written again: deployment d-1 is recorded as Failed") }, "\(warnings)")
        let stored = try await machine("runner-b").store.deployment("d-1")
        guard case .rolledBack(.journalUnwritable) = stored.phase else { return XCTFail("\(stored.phase)") }
        XCTAssertEqual(Array(stored.events.prefix(before.events.count)), before.events, "what was journalled before the outage is kept")
        let listed = try await machine("runner-b").store.summaries(function: "orders", status: nil, limit: 50, unreadable: { _ in })
        XCTAssertEqual(listed.summaries.map(\.status), [.failed])
    }

    func testStoreDownPastTheLease_rollsTheAliasBack_andRecordsTheEndOnceTheStoreIsBack() async throws {
        let (driver, before, outage) = try await deployThenCutTheStore("Canary10Percent30Minutes", leaseSeconds: 60)
        try await driver.advance(until: updatesApplied(2))
        let rollback = try XCTUnwrap(platform.appliedUpdates.last)
        XCTAssertEqual(rollback.routing, .single(1))
        XCTAssertLessThanOrEqual(rollback.time.timeIntervalSince(outage), 60 + 20, "rolled back once the lease lapsed, well inside the 30-minute hold")
        try await driver.advance(until: clockReached(outage.addingTimeInterval(150)))
        memory.setOutage(nil)
        let final = try finished(try await driver.finish())

        XCTAssertEqual(platform.appliedUpdates.count, 2, "nothing moved after the rollback")
        XCTAssertEqual(final.status, .stopped)
        let stored = try await machine("runner-b").store.deployment("d-1")
        XCTAssertEqual(stored.status, .stopped)
        XCTAssertTrue(stored.rolledBack)
        guard case let .rolledBack(.interrupted(signal)) = stored.phase else { return XCTFail("\(stored.phase)") }
        XCTAssertTrue(signal.contains("the loss of its lease"), signal)
        XCTAssertEqual(Array(stored.events.prefix(before.events.count)), before.events, "what was journalled before the outage is kept")
        let unfinished = try await machine("runner-b").store.unfinishedDeployment(of: "live", function: "orders")
        XCTAssertNil(unfinished, "the bucket no longer says the deployment is mid-shift")
    }

    func testConflictWhileRetryingTheEnd_triesNoMore_andEndsFenced() async throws {
        let driver = try await deployThenCutTheStore("Canary10Percent30Minutes", leaseSeconds: 60).driver
        try await driver.advance(until: updatesApplied(2))
        // The store comes back, and another machine takes the lapsed deployment over before the next retry.
        memory.setOutage(nil)
        let taker = machine("runner-b")
        var taken = try await taker.store.deployment("d-1")
        taken.phase = .rollingBack(reason: .processDied)
        try await taker.store.save(taken)
        objects.resetCounts()
        let result = try await driver.finish()

        guard case let .failure(error as CategorizedError) = result, error.category == .conflict else { return XCTFail("\(result)") }
        XCTAssertTrue(error.localizedDescription.contains("its lease was taken"), error.localizedDescription)
        XCTAssertEqual(objects.requests, 1, "one refused write, no retry, no lease delete")
        XCTAssertEqual(platform.appliedUpdates.count, 2)
        let stored = try await taker.store.deployment("d-1")
        XCTAssertEqual(stored.phase, .rollingBack(reason: .processDied), "the taker's record stands")
    }

    func testStoreDownPastThePatience_givesUpSayingSo_andRecoverRecordsTheRollbackWithoutMovingTraffic() async throws {
        let driver = try await deployThenCutTheStore("Canary10Percent30Minutes", leaseSeconds: 60).driver
        _ = try finished(try await driver.finish())
        XCTAssertTrue(warnings.contains {
            $0.contains("gave up recording that deployment d-1 ended Stopped") && $0.contains("its record still says it is in step 1, unfinished")
                && $0.contains("orders:live is already back at version 1 (100%), so 'shift recover' on any machine records the rollback without moving traffic")
        }, "\(warnings)")
        XCTAssertEqual(platform.appliedUpdates.map(\.routing), [try routing(percent: 10), .single(1)])

        memory.setOutage(nil)
        clock.advance(by: 60)
        let other = machine("runner-b")
        let clock = clock
        let recoveries = try await ClockDriver(clock: clock, isBusy: { clock.sleeperCount < 1 + other.leases.live }) {
            (try? await other.deployer.recover(resume: false)) ?? []
        }.finish()
        XCTAssertEqual(recoveries.map(\.final.status), [.stopped])
        XCTAssertEqual(platform.appliedUpdates.count, 2, "recover found the alias at version 1 and moved nothing")
        let stored = try await other.store.deployment("d-1")
        XCTAssertTrue(stored.rolledBack)
        XCTAssertEqual(stored.status, .stopped)
    }

    struct NotFinished: Error {
        var outcome: String
    }

    func updatesApplied(_ count: Int) -> @Sendable () -> Bool {
        let platform = platform!
        return { platform.appliedUpdates.count == count }
    }

    func clockReached(_ date: Date) -> @Sendable () -> Bool {
        let clock = clock
        return { clock.now >= date }
    }

    func routing(percent: Double) throws -> AliasRouting {
        try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 2, weight: Weight(percent: percent)))
    }
}

/// Leases of a shared lease store, counted while live (neither lost nor released): each live lease's heartbeat
/// sleeps on the clock, so a driver knows everyone sleeps when the sleepers are the engine plus the live leases.
final class CountedLeases: LeaseStore, @unchecked Sendable {
    let inner: SharedLeaseStore
    let clock: any Clock
    private let lock = NSLock()
    private var taken: [CountedLease] = []

    init(_ inner: SharedLeaseStore, clock: any Clock) {
        self.inner = inner
        self.clock = clock
    }

    var live: Int { lock.withLock { taken }.filter(\.isLive).count }

    func tryAcquire(_ key: LeaseKey) async throws -> (any Lease)? { try await tryAcquire(key, deployment: nil) }

    func tryAcquire(_ key: LeaseKey, deployment: String?) async throws -> (any Lease)? {
        guard let lease = try await inner.tryAcquire(key, deployment: deployment) as? SharedLease else { return nil }
        let counted = CountedLease(lease)
        lock.withLock { taken.append(counted) }
        return counted
    }

    func holder(of key: LeaseKey) async throws -> LeaseHolder? { try await inner.holder(of: key) }

    func acquire(_ key: LeaseKey) async throws -> any Lease {
        while true {
            if let lease = try await tryAcquire(key) { return lease }
            try await clock.sleep(for: inner.retryInterval)
        }
    }
}

final class CountedLease: Lease, @unchecked Sendable {
    let lease: SharedLease
    private let lock = NSLock()
    private var released = false

    init(_ lease: SharedLease) { self.lease = lease }

    var key: LeaseKey { lease.key }
    var isLive: Bool { !lock.withLock { released } && lease.lost == nil }

    func release() async {
        lock.withLock { released = true }
        await lease.release()
    }

    func onLost(_ handler: @escaping @Sendable (String) -> Void) { lease.onLost(handler) }
}

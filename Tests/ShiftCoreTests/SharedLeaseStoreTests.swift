import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

/// Leases in a shared object store, against `InMemoryObjectStore` (S3's conditional-write rules) and a manual
/// clock: taking, refusing with the holder named, the heartbeat, lapse and takeover, confirming before acting,
/// release, outage, breaking; for alias and pipeline-run keys alike.
final class SharedLeaseStoreTests: XCTestCase {
    let objects = InMemoryObjectStore(location: "s3://team-state/prod")
    let clock = ManualClock()
    let key = LeaseKey.alias(function: "orders", alias: "live")

    func leases(host: String = "runner-a", pid: Int32 = 100) -> SharedLeaseStore {
        SharedLeaseStore(store: objects, clock: clock, host: host, pid: pid, duration: 60, renewInterval: 20)
    }

    func testTryAcquire_whenFree_writesTheHolder_readableAsJSON() async throws {
        let lease = try await leases().tryAcquire(key, deployment: "d-1")
        XCTAssertNotNil(lease)
        let object = try await objects.get("leases/alias/orders/live.json")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(object).data) as? [String: Any])
        XCTAssertEqual(json["host"] as? String, "runner-a")
        XCTAssertEqual(json["pid"] as? Int, 100)
        XCTAssertEqual(json["deploymentId"] as? String, "d-1")
        XCTAssertEqual(json["expiresAt"] as? String, Timestamp.format(clock.now.addingTimeInterval(60)))
        await lease?.release()
    }

    func testTryAcquire_whenHeldAndNotLapsed_isRefused_andTheHolderIsNamed() async throws {
        let held = try await leases().tryAcquire(key, deployment: "d-1")
        clock.advance(by: 59)
        let refused = try await leases(host: "runner-b", pid: 200).tryAcquire(key, deployment: "d-2")
        XCTAssertNil(refused)
        let holder = try await leases(host: "runner-b").holder(of: key)
        XCTAssertEqual(holder?.host, "runner-a")
        XCTAssertEqual(holder?.deploymentId, "d-1")
        XCTAssertTrue(holder?.summary.contains("host runner-a, pid 100, deployment d-1, since") ?? false, holder?.summary ?? "")
        await held?.release()
    }

    func testHeartbeat_renewsEveryInterval_soTheLeaseNeverLapses() async throws {
        let leaseTaken = try await leases().tryAcquire(key)
        let lease = try XCTUnwrap(leaseTaken as? SharedLease)
        for _ in 0..<6 {
            await clock.waitForSleepers(1)
            clock.advance(by: 20)
        }
        await clock.waitForSleepers(1)
        XCTAssertEqual(lease.current.expiresAt, clock.now.addingTimeInterval(60))
        let stored = try await leases().holder(of: key)
        XCTAssertEqual(stored?.expiresAt, clock.now.addingTimeInterval(60), "each renewal is written to the store")
        let other = try await leases(host: "runner-b").tryAcquire(key)
        XCTAssertNil(other, "a renewed lease is not taken over")
        XCTAssertNil(lease.lost)
        await lease.release()
        let released = try await objects.get("leases/alias/orders/live.json")
        XCTAssertNil(released, "released: the object is gone")
    }

    func testTakeover_isRefusedUntilTheExactMomentTheLeaseLapses() async throws {
        let frozen = SharedLeaseStore(store: objects, clock: ManualClock(now: clock.now), host: "runner-a", pid: 100, duration: 60, renewInterval: 20)
        _ = try await frozen.tryAcquire(key)
        clock.advance(by: 59.9)
        let early = try await leases(host: "runner-b").tryAcquire(key)
        XCTAssertNil(early, "taken over before it lapsed")
        clock.advance(by: 0.1)
        let taken = try await leases(host: "runner-b").tryHold(key)
        XCTAssertEqual(taken?.current.host, "runner-b", "a lapsed lease is taken over")
        let holder = try await leases().holder(of: key)
        XCTAssertEqual(holder?.host, "runner-b")
        await taken?.release()
    }

    func testLapsedLease_isTakenOver_andTheOldHolderLosesItAtItsNextRenewal() async throws {
        // The holder's heartbeat is frozen (SIGSTOP): its object lapses and another process takes it.
        let frozenClock = ManualClock(now: clock.now)
        let sleeper = SharedLeaseStore(store: objects, clock: frozenClock, host: "runner-a", pid: 100, duration: 60, renewInterval: 20)
        let oldTaken = try await sleeper.tryAcquire(key)
        let old = try XCTUnwrap(oldTaken as? SharedLease)
        let lostReason = Collected<String>()
        old.onLost { lostReason.append($0) }
        clock.advance(by: 60)
        let taken = try await leases(host: "runner-b", pid: 200).tryAcquire(key)
        XCTAssertNotNil(taken, "a lapsed lease is taken over")

        await frozenClock.waitForSleepers(1)
        frozenClock.advance(by: 20)
        try await waitUntil { old.lost != nil }
        XCTAssertEqual(lostReason.values.count, 1)
        XCTAssertTrue(old.lost?.contains("taken by another process") ?? false)

        await old.release()
        let holder = try await leases().holder(of: key)
        XCTAssertEqual(holder?.host, "runner-b", "the old holder's release must not delete its successor's lease")
        await taken?.release()
        let afterRelease = try await leases().holder(of: key)
        XCTAssertNil(afterRelease)
    }

    func testManyTakersOfALapsedLease_exactlyOneWins() async throws {
        let key = LeaseKey.run(id: "p-race0001")
        try await objects.put(SharedLeaseStore.objectKey(key), data: try JSONEncoder.leaseEncoder.encode(
            LeaseHolder(host: "dead", pid: 1, deploymentId: nil, acquiredAt: clock.now.addingTimeInterval(-120), expiresAt: clock.now.addingTimeInterval(-60), token: "t")), condition: .always)
        let takers = (0..<40).map { leases(host: "runner-\($0)", pid: Int32($0)) }
        let winners = await withTaskGroup(of: SharedLease?.self) { group in
            for taker in takers { group.addTask { try? await taker.tryHold(key) } }
            var winners: [SharedLease] = []
            for await lease in group { if let lease { winners.append(lease) } }
            return winners
        }
        XCTAssertEqual(winners.count, 1)
        let holder = try await leases().holder(of: key)
        XCTAssertEqual(holder?.token, winners.first?.current.token, "the one winner is the one the store names")
        for winner in winners { await winner.release() }
    }

    func testTwoTakersOfALapsedLease_exactlyOneWins() async throws {
        for round in 0..<20 {
            let key = LeaseKey.alias(function: "orders", alias: "a\(round)")
            try await objects.put(SharedLeaseStore.objectKey(key), data: try JSONEncoder.leaseEncoder.encode(
                LeaseHolder(host: "dead", pid: 1, deploymentId: nil, acquiredAt: clock.now.addingTimeInterval(-120), expiresAt: clock.now.addingTimeInterval(-60), token: "t")), condition: .always)
            let (a, b) = (leases(host: "runner-a"), leases(host: "runner-b"))
            async let first = a.tryAcquire(key)
            async let second = b.tryAcquire(key)
            let winners = [try await first, try await second].compactMap { $0 }
            XCTAssertEqual(winners.count, 1, "round \(round)")
            for winner in winners { await winner.release() }
        }
    }

    func testStoreOutage_pastTheLease_losesIt_andShorterOutagesDoNot() async throws {
        let leaseTaken = try await leases().tryAcquire(key)
        let lease = try XCTUnwrap(leaseTaken as? SharedLease)
        objects.setOutage("connection refused")
        await clock.waitForSleepers(1)
        clock.advance(by: 20)
        await clock.waitForSleepers(1)
        XCTAssertNil(lease.lost, "one failed renewal is not a lost lease")
        clock.advance(by: 20)
        await clock.waitForSleepers(1)
        clock.advance(by: 20)
        try await waitUntil { lease.lost != nil }
        XCTAssertTrue(lease.lost?.contains("lapsed") ?? false, lease.lost ?? "")
        objects.setOutage(nil)
        await lease.release()
    }

    func testBreakLease_removesAnyHolder_andReturnsWhoItWas() async throws {
        let heldTaken = try await leases().tryAcquire(key, deployment: "d-1")
        let held = try XCTUnwrap(heldTaken as? SharedLease)
        let broken = try await leases(host: "laptop").breakLease(key)
        XCTAssertEqual(broken?.deploymentId, "d-1")
        let taken = try await leases(host: "runner-b").tryAcquire(key)
        XCTAssertNotNil(taken)
        await clock.waitForSleepers(2)
        clock.advance(by: 20)
        try await waitUntil { held.lost != nil }
        await held.release()
        await taken?.release()
    }

    // MARK: Confirming before acting (a pipeline run confirms before each write of its record)

    func testRunLease_isStoredBesideTheRunsRecord_andNamesItsHolderAsEveryLeaseDoes() async throws {
        let run = LeaseKey.run(id: "p-abc0001")
        let lease = try await leases().tryHold(run)
        let object = try await objects.get("pipelines/runs/p-abc0001/lease.json")
        XCTAssertNotNil(object)
        let refused = try await leases(host: "runner-b").tryHold(run)
        XCTAssertNil(refused)
        let holder = try await leases(host: "runner-b").holder(of: run)
        XCTAssertEqual(holder?.summary, "host runner-a, pid 100, since \(Timestamp.format(clock.now)), lease until \(Timestamp.format(clock.now.addingTimeInterval(60)))")
        await lease?.release()
    }

    func testConfirm_whenARenewalIsDue_returnsOnlyOnceItIsWritten() async throws {
        let leaseTaken = try await leases().tryHold(.run(id: "p-1"))
        let lease = try XCTUnwrap(leaseTaken)
        await clock.waitForSleepers(1)
        clock.advance(by: 10)
        try await lease.confirm()
        let unchanged = try await leases().holder(of: .run(id: "p-1"))
        XCTAssertEqual(unchanged?.expiresAt, lease.current.acquiredAt.addingTimeInterval(60), "not due yet: nothing written")
        clock.advance(by: 10)
        // The heartbeat wakes now too: confirm() renews itself or waits for the heartbeat's renewal.
        try await lease.confirm()
        let renewed = try await leases().holder(of: .run(id: "p-1"))
        XCTAssertEqual(renewed?.expiresAt, clock.now.addingTimeInterval(60))
        await lease.release()
    }

    func testConfirm_afterAnotherHolderTookTheLapsedLease_throwsAConflict_andTheTakersLeaseIsUntouched() async throws {
        let frozenClock = ManualClock(now: clock.now)
        let sleeper = SharedLeaseStore(store: objects, clock: frozenClock, host: "runner-a", pid: 100, duration: 60, renewInterval: 20)
        let oldTaken = try await sleeper.tryHold(.run(id: "p-1"))
        let old = try XCTUnwrap(oldTaken)
        clock.advance(by: 61)
        let takerTaken = try await leases(host: "runner-b", pid: 200).tryHold(.run(id: "p-1"))
        let taker = try XCTUnwrap(takerTaken)
        frozenClock.advance(to: clock.now)  // the sleeper wakes up
        await XCTAssertThrowsAsync(try await old.confirm()) { error in
            XCTAssertEqual((error as? ShiftCoreError)?.category, .conflict)
            XCTAssertTrue(error.localizedDescription.contains("the lease on pipeline run p-1 was taken by another process"), error.localizedDescription)
        }
        await XCTAssertThrowsAsync(try await old.confirm(), "a lost lease stays lost")
        await old.release()
        let holder = try await leases().holder(of: .run(id: "p-1"))
        XCTAssertEqual(holder?.token, taker.current.token, "the sleeper neither renewed nor deleted its successor's lease")
        await taker.release()
    }

    func testConfirm_afterTheLeaseLapsedWhileTheStoreWasUnreachable_throws() async throws {
        let leaseTaken = try await leases().tryHold(.run(id: "p-1"))
        let lease = try XCTUnwrap(leaseTaken)
        objects.setOutage("connection refused")
        clock.advance(by: 61)
        await XCTAssertThrowsAsync(try await lease.confirm()) { error in
            XCTAssertEqual((error as? ShiftCoreError)?.category, .conflict)
            XCTAssertTrue(error.localizedDescription.contains("lapsed"), error.localizedDescription)
        }
        objects.setOutage(nil)
        await XCTAssertThrowsAsync(try await lease.confirm(), "a lease lost while unreachable is not renewed once the store returns")
        await lease.release()
    }

    func testConfirm_whileTheHeartbeatsRenewalIsInFlight_waitsForIt_andTheLeaseIsNotLost() async throws {
        // Were renewals not one at a time, confirm() would write If-Match the ETag the heartbeat's renewal is about
        // to replace, and the heartbeat's write, refused, would take the holder's own renewal for a takeover.
        let gated = GatedObjectStore(objects)
        let leases = SharedLeaseStore(store: gated, clock: clock, host: "runner-a", pid: 100, duration: 60, renewInterval: 20)
        let leaseTaken = try await leases.tryHold(key)
        let lease = try XCTUnwrap(leaseTaken)
        gated.holdNextPut()
        await clock.waitForSleepers(1)
        clock.advance(by: 20)
        try await waitUntil { gated.isHoldingAPut }  // the heartbeat's renewal waits in its write
        let confirming = Task { try await lease.confirm() }
        for _ in 0..<100 { try await Task.sleep(nanoseconds: 1_000_000) }
        gated.releaseHeldPut()
        try await confirming.value
        try await waitUntil { !gated.isHoldingAPut }
        XCTAssertNil(lease.lost)
        let stored = try await leases.holder(of: key)
        XCTAssertEqual(stored?.expiresAt, clock.now.addingTimeInterval(60))
        await lease.release()
        let released = try await objects.get(SharedLeaseStore.objectKey(key))
        XCTAssertNil(released, "the release deleted the object the last renewal wrote")
    }

    func testAnObjectThatIsNotALease_isAnErrorNamingIt() async throws {
        try await objects.put("leases/alias/orders/live.json", data: Data("terraform state".utf8), condition: .always)
        do {
            _ = try await leases().tryAcquire(key)
            XCTFail("took a lease over a foreign object")
        } catch let error as ShiftCoreError {
            XCTAssertEqual(error.category, .badInput)
            XCTAssertTrue(error.localizedDescription.contains("s3://team-state/prod/leases/alias/orders/live.json"), error.localizedDescription)
        }
    }

    func waitUntil(_ condition: @Sendable () -> Bool, file: StaticString = #filePath, line: UInt = #line) async throws {
        for _ in 0..<2000 where !condition() { try await Task.sleep(nanoseconds: 1_000_000) }
        XCTAssertTrue(condition(), "timed out", file: file, line: line)
    }
}

extension JSONEncoder {
    static var leaseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

/// An object store whose next write, once asked, waits until released: a write in flight, held still.
private final class GatedObjectStore: ObjectStore, @unchecked Sendable {
    let inner: InMemoryObjectStore
    private let lock = NSLock()
    private var armed = false
    private var held: CheckedContinuation<Void, Never>?

    init(_ inner: InMemoryObjectStore) { self.inner = inner }

    var location: String { inner.location }
    var isHoldingAPut: Bool { lock.withLock { held != nil } }
    func holdNextPut() { lock.withLock { armed = true } }
    func releaseHeldPut() { lock.withLock { () -> CheckedContinuation<Void, Never>? in defer { held = nil }; return held }?.resume() }

    func get(_ key: String) async throws -> StoredObject? { try await inner.get(key) }
    func put(_ key: String, data: Data, condition: WriteCondition) async throws -> String {
        if lock.withLock({ () -> Bool in defer { armed = false }; return armed }) {
            await withCheckedContinuation { continuation in lock.withLock { held = continuation } }
        }
        return try await inner.put(key, data: data, condition: condition)
    }
    func delete(_ key: String, ifMatching etag: String?) async throws { try await inner.delete(key, ifMatching: etag) }
    func list(prefix: String, after: String?, limit: Int) async throws -> ObjectListing { try await inner.list(prefix: prefix, after: after, limit: limit) }
}

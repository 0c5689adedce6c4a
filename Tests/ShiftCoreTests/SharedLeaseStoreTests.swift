import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

/// Leases in a shared object store, against `InMemoryObjectStore` (S3's conditional-write rules) and a manual
/// clock: taking, refusing with the holder named, the heartbeat, lapse and takeover, release, outage, breaking.
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
        let other = try await leases(host: "runner-b").tryAcquire(key)
        XCTAssertNil(other, "a renewed lease is not taken over")
        XCTAssertNil(lease.lost)
        await lease.release()
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

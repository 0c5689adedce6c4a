import Foundation
import ShiftCore
import ShiftStorage
import ShiftTestSupport
import XCTest

/// Leases over an object store, on a manual clock: taken once, refused while live naming the holder, taken over only
/// after they lapse, and never renewed or released by a holder that lost them.
final class ObjectStoreLeasesTests: XCTestCase {
    private let key = "pipelines/runs/p-1/lease.json"
    private var clock: ManualClock!
    private var store: InMemoryObjectStore!
    private var leases: ObjectStoreLeases { ObjectStoreLeases(store: store, clock: clock, duration: 60, renewalInterval: 20) }
    private let alice = ShiftStorage.LeaseHolder(host: "runner-a", process: 11, purpose: "pipeline run p-1")
    private let bob = ShiftStorage.LeaseHolder(host: "runner-b", process: 22, purpose: "pipeline run p-1")

    override func setUp() {
        clock = ManualClock()
        store = InMemoryObjectStore()
    }

    private func acquire(_ holder: ShiftStorage.LeaseHolder) async throws -> ObjectLease {
        switch try await leases.tryAcquire(key, holder: holder) {
        case let .acquired(lease): return lease
        case let .held(record): throw XCTSkip("held by \(record.holder)")
        }
    }

    func testTryAcquire_whenFree_writesAReadableLease_andASecondHolderIsRefusedNamingTheFirst() async throws {
        let lease = try await acquire(alice)
        XCTAssertTrue(lease.isHeld)
        let storedValue = try await store.get(key)
        let stored = try XCTUnwrap(storedValue)
        let text = String(decoding: stored.data, as: UTF8.self)
        XCTAssertTrue(text.contains("\"host\" : \"runner-a\""), text)
        XCTAssertTrue(text.contains("\"expiresAt\" : \"\(Timestamp.format(clock.now.addingTimeInterval(60)))\""), text)

        guard case let .held(holder) = try await leases.tryAcquire(key, holder: bob) else { return XCTFail("two holders") }
        XCTAssertEqual(holder.holder, alice)
        XCTAssertEqual(holder.expiresAt, clock.now.addingTimeInterval(60))
    }

    func testTakeover_isRefusedUntilTheLeaseLapses_thenSucceeds() async throws {
        _ = try await acquire(alice)
        clock.advance(by: 59.9)
        guard case .held = try await leases.tryAcquire(key, holder: bob) else { return XCTFail("taken over before it lapsed") }
        clock.advance(by: 0.1)
        guard case let .acquired(taken) = try await leases.tryAcquire(key, holder: bob) else { return XCTFail("a lapsed lease was not taken over") }
        XCTAssertEqual(taken.record?.holder, bob)
        let observed2 = try await leases.record(key)?.holder
        XCTAssertEqual(observed2, bob)
    }

    func testRenewal_extendsTheLease_soItIsNotTakenOver() async throws {
        let lease = try await acquire(alice)
        clock.advance(by: 50)
        try await lease.renew()
        clock.advance(by: 50)
        guard case .held = try await leases.tryAcquire(key, holder: bob) else { return XCTFail("a renewed lease was taken over") }
        let observed3 = try await leases.record(key)?.expiresAt
        XCTAssertEqual(observed3, clock.now.addingTimeInterval(10))
    }

    func testAHolderWhoseLeaseWasTakenOver_cannotRenewOrReleaseIt() async throws {
        let sleeper = try await acquire(alice)
        clock.advance(by: 61)
        let taker = try await acquire(bob)
        await XCTAssertThrowsAsync(try await sleeper.renew()) { error in
            guard case let StorageError.leaseLost(location, holder)? = error as? StorageError else { return XCTFail("\(error)") }
            XCTAssertEqual(location, "s3://test-bucket/shift/\(self.key)")
            XCTAssertTrue(holder?.contains("runner-b pid 22") == true, holder ?? "")
            XCTAssertEqual((error as? StorageError)?.category, .conflict)
        }
        XCTAssertFalse(sleeper.isHeld)
        await sleeper.release()
        let observed4 = try await leases.record(key)?.holder
        XCTAssertEqual(observed4, bob, "the sleeper's release left the new holder's lease alone")
        XCTAssertTrue(taker.isHeld)
    }

    func testManyHoldersTakingOverOneLapsedLeaseAtOnce_exactlyOneWins() async throws {
        _ = try await acquire(alice)
        clock.advance(by: 61)
        let leases = self.leases, key = self.key
        let winners = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let holder = ShiftStorage.LeaseHolder(host: "runner-\(index)", process: Int32(index), purpose: "race")
                    if case .acquired = try? await leases.tryAcquire(key, holder: holder) { return true }
                    return false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        XCTAssertEqual(winners, 1)
    }

    func testKeepRenewing_renewsEveryInterval_untilReleased() async throws {
        let lease = try await acquire(alice)
        let renewal = lease.keepRenewing()
        for round in 1...3 {
            let sleeping = await clock.waitForSleepers(1); XCTAssertTrue(sleeping)
            clock.advance(by: 20)
            // The renewal writes after it wakes: wait until the stored expiry moved.
            let expected = clock.now.addingTimeInterval(60)
            for _ in 0..<200 {
                if try await leases.record(key)?.expiresAt == expected { break }
                try await Task.sleep(nanoseconds: 1_000_000)
            }
            let observed5 = try await leases.record(key)?.expiresAt
            XCTAssertEqual(observed5, expected, "round \(round)")
        }
        await lease.release()
        renewal.cancel()
        let observed6 = try await leases.record(key)
        XCTAssertNil(observed6, "released: the object is gone")
    }

    func testALeaseThatIsNotALease_isACorruptStateErrorNamingTheKey() async throws {
        _ = try await store.put(key, data: Data("hello".utf8), condition: .always)
        await XCTAssertThrowsAsync(try await leases.tryAcquire(key, holder: alice)) { error in
            guard case let StorageError.corruptState(file, _)? = error as? StorageError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "s3://test-bucket/shift/\(self.key)")
        }
    }
}

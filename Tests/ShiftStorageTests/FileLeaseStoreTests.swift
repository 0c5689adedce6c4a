import Foundation
import ShiftCore
import ShiftStorage
import ShiftTestSupport
import XCTest

final class FileLeaseStoreTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var leases: FileLeaseStore!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        leases = FileLeaseStore(state: try StateDirectory(root: directory.url, account: "default"), clock: SystemClock())
    }

    override func tearDown() {
        directory.remove()
    }

    func testTryAcquire_whileHeld_returnsNil_andAfterRelease_succeeds() async throws {
        let key = LeaseKey.alias(function: "orders", alias: "live")
        let acquired = try await leases.tryAcquire(key)
        let held = try XCTUnwrap(acquired)
        let second = try await leases.tryAcquire(key)
        XCTAssertNil(second)
        let isHeld = try await leases.isHeld(key)
        XCTAssertTrue(isHeld)
        await held.release()
        let third = try await leases.tryAcquire(key)
        XCTAssertNotNil(third)
    }

    func testPublishLease_whileAnAliasNamedPublishIsHeld_isFree() async throws {
        let alias = try await leases.tryAcquire(.alias(function: "orders", alias: "publish"))
        XCTAssertNotNil(alias)
        let publish = try await leases.tryAcquire(.publish(function: "orders"))
        XCTAssertNotNil(publish, "the publish lease has a lock file of its own")
        XCTAssertNotEqual(leases.url(of: .publish(function: "orders")), leases.url(of: .alias(function: "orders", alias: "publish")))
    }

    func testAcquire_waitsWithoutBlocking_untilTheHolderReleases() async throws {
        let key = LeaseKey.publish(function: "orders")
        let acquired = try await leases.tryAcquire(key)
        let held = try XCTUnwrap(acquired)
        let leases = self.leases!
        let waiter = Task { try await leases.acquire(key) }
        try await Task.sleep(nanoseconds: 200_000_000)
        await held.release()
        let taken = try await waiter.value
        XCTAssertEqual(taken.key, key)
    }
}

import ShiftCore
import ShiftLocal
import ShiftStorage
import ShiftTestSupport
import XCTest

final class LocalDeploymentStoreTests: XCTestCase {
    var directory: TemporaryDirectory!
    var store: LocalDeploymentStore!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        store = LocalDeploymentStore(state: try StateDirectory(root: directory.url, account: "default"), clock: ManualClock())
    }

    override func tearDown() { directory.remove() }

    private func deployment(_ id: String, alias: String = "live") throws -> Deployment {
        let request = DeploymentRequest(functionName: "orders", alias: alias, targetVersion: 2, preference: try DeploymentPreference.named("AllAtOnce"))
        return Deployment(id: id, request: request, originalVersion: 1, createdAt: Date(timeIntervalSince1970: 1_800_000_000), aliasRevisionId: "r1")
    }

    func testAliasLock_isExclusiveUntilReleased() throws {
        let first = try XCTUnwrap(try store.lockAlias("live", of: "orders"))
        XCTAssertNil(try store.lockAlias("live", of: "orders"))
        XCTAssertTrue(try store.isAliasLocked("live", of: "orders"))
        XCTAssertNotNil(try store.lockAlias("beta", of: "orders"), "another alias is independent")
        first.unlock()
        XCTAssertFalse(try store.isAliasLocked("live", of: "orders"))
    }

    func testRecordInProgressWithFreeLock_isAnOrphan() throws {
        var running = try deployment("d-RUNNING01")
        running.phase = .shifting(step: 0)
        try store.write(running)
        XCTAssertEqual(try store.orphans().map(\.id), ["d-RUNNING01"])
        let lock = try XCTUnwrap(try store.lockAlias("live", of: "orders"))
        XCTAssertEqual(try store.orphans(), [], "a held lock means a live deployer")
        lock.unlock()
    }

    func testFinishedDeployments_areNeverOrphans() throws {
        var done = try deployment("d-FINISHED1")
        done.phase = .succeeded
        try store.write(done)
        XCTAssertEqual(try store.orphans(), [])
    }

    func testStopRequest_reachesTheJournalReader() async throws {
        var running = try deployment("d-RUNNING02")
        running.phase = .shifting(step: 0)
        try store.write(running)
        let lock = try XCTUnwrap(try store.lockAlias("live", of: "orders"))
        defer { lock.unlock() }
        let nothing = try await store.stopRequest(for: "d-RUNNING02")
        XCTAssertNil(nothing)
        try store.requestStop("d-RUNNING02", rollback: false, by: "tester")
        let request = try await store.stopRequest(for: "d-RUNNING02")
        XCTAssertEqual(request?.rollback, false)
        XCTAssertEqual(request?.requestedBy, "tester")
    }

    func testStopOfFinishedOrDeadDeployment_isRefused() throws {
        var done = try deployment("d-FINISHED2")
        done.phase = .succeeded
        try store.write(done)
        XCTAssertThrowsError(try store.requestStop("d-FINISHED2", rollback: true, by: "t"))
        var dead = try deployment("d-DEADPROC1", alias: "beta")
        dead.phase = .shifting(step: 0)
        try store.write(dead)
        XCTAssertThrowsError(try store.requestStop("d-DEADPROC1", rollback: true, by: "t")) { error in
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("shift recover") == true)
        }
    }

    func testUnknownDeployment_isNotFound() throws {
        XCTAssertThrowsError(try store.deployment("d-NOPE")) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
        }
        XCTAssertThrowsError(try store.deployment("../../etc/passwd"))
    }

    func testListing_filtersByFunctionAndStatus() throws {
        var first = try deployment("d-AAAAAAAA1")
        first.phase = .succeeded
        var second = try deployment("d-BBBBBBBB2")
        second.phase = .rolledBack(reason: .alarm(name: "x", reason: "y"))
        try store.write(first)
        try store.write(second)
        XCTAssertEqual(try store.deployments(status: .failed).map(\.id), ["d-BBBBBBBB2"])
        XCTAssertEqual(try store.deployments(function: "other"), [])
        XCTAssertEqual(try store.deployments().count, 2)
    }
}

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

    func testControlRequests_reachTheJournalReader_numberedInOrder() async throws {
        var running = try deployment("d-RUNNING02")
        running.phase = .shifting(step: 0)
        try store.write(running)
        let lock = try XCTUnwrap(try store.lockAlias("live", of: "orders"))
        defer { lock.unlock() }
        let nothing = try await store.controls(for: "d-RUNNING02", after: 0)
        XCTAssertEqual(nothing, [])
        try store.requestControl("d-RUNNING02", .pause, by: "tester")
        try store.requestControl("d-RUNNING02", .resume, by: "tester")
        try store.requestControl("d-RUNNING02", .pause, by: "tester")
        try store.requestControl("d-RUNNING02", .stop(rollback: false), by: "tester")
        let all = try await store.controls(for: "d-RUNNING02", after: 0)
        XCTAssertEqual(all.map(\.sequence), [1, 2, 3, 4])
        XCTAssertEqual(all.map(\.action), [.pause, .resume, .pause, .stop(rollback: false)])
        XCTAssertEqual(all.first?.requestedBy, "tester")
        let unacknowledged = try await store.controls(for: "d-RUNNING02", after: 2)
        XCTAssertEqual(unacknowledged.map(\.sequence), [3, 4])
    }

    func testControlRequests_fromConcurrentRequesters_areNeitherLostNorShareANumber() async throws {
        var running = try deployment("d-RUNNING03")
        running.phase = .shifting(step: 0)
        try store.write(running)
        let lock = try XCTUnwrap(try store.lockAlias("live", of: "orders"))
        defer { lock.unlock() }
        let store = self.store!
        let failures = Collected<String>()
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            do {
                try store.requestControl("d-RUNNING03", index.isMultiple(of: 2) ? .pause : .resume, by: "t\(index)")
            } catch {
                failures.append("\(error)")
            }
        }
        XCTAssertEqual(failures.values, [])
        let all = try await store.controls(for: "d-RUNNING03", after: 0)
        XCTAssertEqual(all.map(\.sequence), Array(1...40))
        XCTAssertEqual(Set(all.map(\.requestedBy)).count, 40)
    }

    func testControlOfFinishedOrDeadDeployment_isRefusedAsBadInput() throws {
        var done = try deployment("d-FINISHED2")
        done.phase = .succeeded
        try store.write(done)
        for action: DeploymentControl.Action in [.stop(rollback: true), .pause, .resume, .promote(full: true)] {
            XCTAssertThrowsError(try store.requestControl("d-FINISHED2", action, by: "t")) { error in
                XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
            }
        }
        var dead = try deployment("d-DEADPROC1", alias: "beta")
        dead.phase = .shifting(step: 0)
        try store.write(dead)
        XCTAssertThrowsError(try store.requestControl("d-DEADPROC1", .pause, by: "t")) { error in
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("shift recover") == true)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.state.controlsFile("d-DEADPROC1").path), "nothing written")
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

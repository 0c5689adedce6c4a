import ShiftCore
import ShiftLocal
import ShiftStorage
import ShiftTestSupport
import XCTest

final class DeployerTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    /// A process holding the alias before it has recorded a deployment (starting, publishing, a dry run, a
    /// recover) has no id: the refusal used to advise `shift deployment stop ID`, with a literal ID.
    func testAliasHeldBeforeAnyRecord_isAConflict_thatNamesNoMadeUpID() async throws {
        let state = try StateDirectory(root: directory.url, account: "default")
        let platform = LocalPlatform(state: state, clock: ManualClock())
        let deployer = Deployer(platform: platform, alarms: platform.alarms, state: state, clock: ManualClock())
        let holder = try XCTUnwrap(try LocalDeploymentStore(state: state, clock: ManualClock()).lockAlias("live", of: "orders"))
        defer { holder.unlock() }
        let request = DeploymentRequest(functionName: "orders", alias: "live", targetVersion: 2, preference: try DeploymentPreference.named("AllAtOnce"))
        do {
            _ = try await deployer.deploy(request, id: "d-SECOND001")
            XCTFail("started while the alias was held")
        } catch let error as ShiftCoreError {
            XCTAssertEqual(error.category, .conflict)
            let message = error.errorDescription ?? ""
            XCTAssertFalse(message.contains("ID'"), message)
            XCTAssertFalse(message.contains("(starting)"), message)
            XCTAssertTrue(message.contains("alias orders:live is held by another process that has not recorded a deployment yet"), message)
        }
    }
}

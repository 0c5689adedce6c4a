import Foundation
import ShiftTestSupport
import XCTest

/// Commands that refuse while a deployment is in progress see one that another machine runs: they read the
/// account's shared state, not their own state directory.
extension SharedStateTests {
    func testAliasAndFunctionDelete_whileAnotherMachineDeploys_areRefusedWithExit2_namingTheDeployment() throws {
        try makeTwoVersions()
        let deploy = try shift.start(["--account", "moto", "deploy", function!, "--alias", "live", "--version", "2", "--preference", "Canary50Percent60Seconds",
                                      "--poll-interval", "0.2"], environment: environment)
        try waitForCanary(on: machineB)
        let listed = try run(on: machineB, "deployment", "list", "--function", function, "--output", "json").jsonObject()
        let id = try XCTUnwrap((listed["deployments"] as? [[String: Any]])?.first?["deploymentId"] as? String, "\(listed)")

        let aliasDelete = run(on: machineB, "alias", "delete", function, "live", expecting: 2)
        XCTAssertTrue(aliasDelete.stderr.contains("deployment \(id) is InProgress"), aliasDelete.stderr)
        let functionDelete = run(on: machineB, "function", "delete", function, expecting: 2)
        XCTAssertTrue(functionDelete.stderr.contains("deployment \(id) is InProgress"), functionDelete.stderr)
        XCTAssertNotNil(try alias(on: machineB)["AliasArn"], "nothing was deleted")

        run(on: machineB, "deployment", "stop", id)
        let stopped = deploy.wait(timeout: 60)
        XCTAssertEqual(stopped.exitCode, 1, "\(stopped)")
        // The report reads the record from the bucket too.
        let svg = directory.url.appendingPathComponent("report-\(id).svg")
        run(on: machineB, "deployment", "report", id, "--svg", svg.path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: svg.path))
        // Once it ended, the alias may go.
        run(on: machineB, "alias", "delete", function, "live")
    }
}

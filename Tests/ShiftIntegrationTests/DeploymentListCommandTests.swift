import Foundation
import ShiftCore
import ShiftLocal
import ShiftStorage
import ShiftTestSupport
import XCTest

/// `shift deployment list`: the newest 50 unless `--limit N` or `--all`, filters before the limit, and how many
/// were left out.
final class DeploymentListCommandTests: ShiftIntegrationTestCase {
    /// Writes `count` deployment records through the store, one a minute, alternating between two functions.
    private func writeDeployments(_ count: Int) throws -> [String] {
        let store = LocalDeploymentStore(state: try StateDirectory(root: stateDirectory, account: "default"), clock: ManualClock())
        return try (0..<count).map { number in
            let request = DeploymentRequest(functionName: number % 2 == 0 ? "orders" : "web", alias: "live", targetVersion: 2,
                                            preference: try DeploymentPreference.named("AllAtOnce"))
            let id = String(format: "d-LIST%05d", number)
            try store.write(Deployment(id: id, request: request, originalVersion: 1,
                                       createdAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(number) * 60), aliasRevisionId: "r1"))
            return id
        }
    }

    private func listed(_ arguments: String...) throws -> (ids: [String], omitted: Int?) {
        let object = try listJSON(["deployment", "list"] + arguments)
        let ids = try XCTUnwrap(object["deployments"] as? [[String: Any]]).compactMap { $0["deploymentId"] as? String }
        return (ids, object["omitted"] as? Int)
    }

    private func listJSON(_ arguments: [String]) throws -> [String: Any] {
        let result = shift.run(arguments + ["--output", "json"])
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: result.standardOutput) as? [String: Any], "\(result)")
    }

    func testList_showsTheNewest50_andSaysHowManyMoreThereAre() throws {
        let ids = try writeDeployments(53)
        let newest = Array(ids.reversed())
        let byDefault = try listed()
        XCTAssertEqual(byDefault.ids, Array(newest.prefix(50)))
        XCTAssertEqual(byDefault.omitted, 3)
        XCTAssertEqual(try listed("--all").ids, newest)
        XCTAssertEqual(try listed("--all").omitted, 0)

        let table = succeed("deployment", "list", "--limit", "2")
        XCTAssertEqual(table.stdout.split(separator: "\n").count, 3, "a header and two rows: \(table)")
        XCTAssertTrue(table.stdout.contains(newest[0]) && table.stdout.contains(newest[1]) && !table.stdout.contains(newest[2]), table.stdout)
        XCTAssertEqual(table.stderrLines, ["51 older deployments not shown; --limit N shows the newest N, --all every one"])
        XCTAssertEqual(succeed("deployment", "list", "--all").stderr, "")
    }

    func testList_filtersBeforeTheLimit() throws {
        let ids = try writeDeployments(6)
        let web = try listed("--function", "web", "--limit", "2")
        XCTAssertEqual(web.ids, [ids[5], ids[3]])
        XCTAssertEqual(web.omitted, 1)
        XCTAssertEqual(try listed("--status", "Succeeded").ids, [])
    }

    func testList_whenTheLimitIsNotAPositiveNumber_orComesWithAll_isBadInput() throws {
        _ = try writeDeployments(1)
        assertBadInput(run("deployment", "list", "--limit", "0"), mentions: ["--limit", "0"])
        assertBadInput(run("deployment", "list", "--limit", "5", "--all"), mentions: ["--limit", "--all"])
    }
}

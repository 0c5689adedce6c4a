import Foundation
import XCTest

/// What a damaged state file does to each command: it blocks what it concerns (exit 2, naming the file) and is a
/// warning everywhere else.
final class DamagedStateTests: ShiftIntegrationTestCase {
    private var deploymentsDirectory: URL { stateDirectory.appendingPathComponent("accounts/default/deployments") }

    private func truncate(_ file: URL) throws {
        let data = try Data(contentsOf: file)
        try data.prefix(data.count / 3).write(to: file)
    }

    private func newestDeployment(of function: String) throws -> String {
        let list = try json("deployment", "list", "--function", function)
        return try XCTUnwrap((list["deployments"] as? [[String: Any]])?.first?["deploymentId"] as? String)
    }

    private func prepare(_ functions: String...) {
        for function in functions {
            createFunctionWithTwoVersions(function)
            succeed("alias", "create", function, "live", "--version", "1")
        }
    }

    // MARK: Function files (issue 11, item 7)

    func testDirectoryInPlaceOfAStateFile_exits2NamingIt() throws {
        prepare("api")
        let alias = stateDirectory.appendingPathComponent("accounts/default/functions/api/aliases/live.json")
        try FileManager.default.removeItem(at: alias)
        try FileManager.default.createDirectory(at: alias, withIntermediateDirectories: true)
        assertBadInput(run("alias", "get", "api", "live"), mentions: ["\(alias.path) is unreadable (a directory"])
    }

    func testDamagedVersionFile_refusesPublish_insteadOfADuplicateVersion() throws {
        prepare("api")
        let version = stateDirectory.appendingPathComponent("accounts/default/functions/api/versions/2/version.json")
        try truncate(version)
        let refused = try assertStateUnchanged { run("function", "publish", "api") }
        assertBadInput(refused, mentions: [version.path])
    }

    func testDamagedMetricsLog_failsMetrics_ratherThanShowingNoData() throws {
        prepare("api")
        succeed("invoke", "api:live")
        let log = stateDirectory.appendingPathComponent("accounts/default/functions/api/metrics.tsv")
        try Data(repeating: 0, count: 512).write(to: log)
        assertBadInput(run("metrics", "api"), mentions: [log.path])
        try FileManager.default.removeItem(at: log)
        try FileManager.default.createDirectory(at: log, withIntermediateDirectories: true)
        assertBadInput(run("metrics", "api"), mentions: [log.path, "a directory"])
    }

    // MARK: Deployment records (issue 11, item 6)

    func testDamagedRecordOfAnotherFunction_warnsInRecover_andRecoverStillReconcilesAKilledDeploy() throws {
        prepare("api", "web")
        succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        let damaged = deploymentsDirectory.appendingPathComponent("\(try newestDeployment(of: "api")).json")
        try truncate(damaged)

        try killDeployMidShift("web", ["--version", "2", "--preference", "Canary10Percent60Seconds"])
        let killed = try newestDeployment(of: "web")

        for arguments in [["recover", "--deployment", killed], ["recover"]] {
            let recover = shift.run(arguments)
            XCTAssertEqual(recover.exitCode, 0, "\(recover)")
            XCTAssertTrue(recover.stderr.contains("warning: state file \(damaged.path) is unreadable"), recover.stderr)
        }
        XCTAssertEqual(try aliasRouting("web").version, "1")
        XCTAssertEqual(try aliasRouting("web").weights, [:], "the killed deployment was left split")
        XCTAssertEqual(try json("deployment", "get", killed)["status"] as? String, "Stopped")

        let list = run("deployment", "list")
        XCTAssertEqual(list.exitCode, 0, "\(list)")
        XCTAssertTrue(list.stdout.contains(killed), list.stdout)
        XCTAssertTrue(list.stderr.contains(damaged.path), list.stderr)
        succeed("deploy", "web", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
    }

    func testDamagedNewestRecordOfAnAlias_blocksThatAliasOnly() throws {
        prepare("api", "web")
        succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        let id = try newestDeployment(of: "api")
        let damaged = deploymentsDirectory.appendingPathComponent("\(id).json")
        try truncate(damaged)

        // Its own alias: whether that deployment ended cannot be told, so nothing starts there.
        let refused = try assertStateUnchanged {
            run("deploy", "api", "--alias", "live", "--version", "1", "--preference", "AllAtOnce")
        }
        assertBadInput(refused, mentions: [damaged.path, "restore it from a backup or remove it"])
        assertBadInput(run("recover", "--deployment", id), mentions: [damaged.path])
        // Any other alias deploys.
        succeed("deploy", "web", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        // Removed, as the message advises: the alias is free again.
        try FileManager.default.removeItem(at: damaged)
        succeed("deploy", "api", "--alias", "live", "--version", "1", "--preference", "AllAtOnce")
    }

    func testDamagedOlderRecordOfAnAlias_blocksNothing() throws {
        prepare("api")
        succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        let older = try newestDeployment(of: "api")
        succeed("deploy", "api", "--alias", "live", "--version", "1", "--preference", "AllAtOnce")
        try truncate(deploymentsDirectory.appendingPathComponent("\(older).json"))

        succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        XCTAssertEqual(try aliasRouting("api").version, "2")
        XCTAssertEqual(run("recover").exitCode, 0)
    }
}

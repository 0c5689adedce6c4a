import Foundation
import XCTest

/// `shift alias ...` run as a process: Lambda's GetAlias fields, revisions, and the stale-revision guard.
final class AliasCommandTests: ShiftIntegrationTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        createFunctionWithTwoVersions("echo")
    }

    func testAliasGetJSON_hasLambdasGetAliasFields() throws {
        let created = run("alias", "create", "echo", "live", "--version", "1", "--additional-version", "2", "--weight", "0.25", "--description", "canary")
        XCTAssertEqual(created.exitCode, 0, "\(created)")
        XCTAssertTrue(created.stderr.contains("created alias echo:live"), "\(created)")

        let alias = try json("alias", "get", "echo", "live")
        XCTAssertEqual(alias["Name"] as? String, "live")
        XCTAssertEqual((alias["Shift"] as? [String: Any])?["FunctionName"] as? String, "echo", "not a field of Lambda's AliasConfiguration")
        XCTAssertEqual(alias["FunctionVersion"] as? String, "1")
        XCTAssertEqual((alias["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double], ["2": 0.25])
        XCTAssertFalse((alias["RevisionId"] as? String ?? "").isEmpty, "\(alias)")
        XCTAssertEqual(alias["Description"] as? String, "canary")
    }

    func testAliasWithoutAdditionalVersion_hasEmptyWeights() throws {
        succeed("alias", "create", "echo", "live", "--version", "2")
        let alias = try json("alias", "get", "echo", "live")
        XCTAssertEqual(alias["FunctionVersion"] as? String, "2")
        XCTAssertEqual((alias["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double], [:])
        XCTAssertEqual(alias["Description"] as? String, "")
    }

    func testAliasGetText_showsRoutingInPercent() {
        succeed("alias", "create", "echo", "live", "--version", "1", "--additional-version", "2", "--weight", "0.1")
        let text = succeed("alias", "get", "echo", "live").stdout
        XCTAssertTrue(text.contains("alias:       echo:live\n"), text)
        XCTAssertTrue(text.contains("version:     1 (90%)\n"), text)
        XCTAssertTrue(text.contains("additional:  2 (10%)\n"), text)
        XCTAssertTrue(text.contains("revision:    "), text)
    }

    func testEveryUpdate_changesTheRevisionId() throws {
        succeed("alias", "create", "echo", "live", "--version", "1")
        var revisions = [try revision()]
        let updates: [[String]] = [
            ["--version", "2"],
            ["--additional-version", "1", "--weight", "0.5"],
            ["--description", "halfway"],
            ["--no-additional-version"],
            ["--version", "2"],  // the same routing again still counts as an update
        ]
        for update in updates {
            let result = shift.run(["alias", "update", "echo", "live"] + update + ["--output", "json"])
            XCTAssertEqual(result.exitCode, 0, "\(result)")
            let printed = try result.jsonObject()["RevisionId"] as? String
            XCTAssertEqual(printed, try revision(), "update prints the revision it wrote")
            revisions.append(try revision())
        }
        XCTAssertEqual(Set(revisions).count, revisions.count, "a revision repeated: \(revisions)")

        let alias = try json("alias", "get", "echo", "live")
        XCTAssertEqual(alias["FunctionVersion"] as? String, "2")
        XCTAssertEqual((alias["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double], [:])
        XCTAssertEqual(alias["Description"] as? String, "halfway")
    }

    func testUpdate_keepsTheAdditionalVersion_unlessToldOtherwise() throws {
        succeed("alias", "create", "echo", "live", "--version", "1", "--additional-version", "2", "--weight", "0.1")
        succeed("alias", "update", "echo", "live", "--description", "only words")
        XCTAssertEqual((try json("alias", "get", "echo", "live")["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double], ["2": 0.1])
        succeed("alias", "update", "echo", "live", "--no-additional-version")
        XCTAssertEqual((try json("alias", "get", "echo", "live")["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double], [:])
    }

    func testUpdateWithAStaleRevisionId_exits5_andChangesNothing() throws {
        succeed("alias", "create", "echo", "live", "--version", "1")
        let original = try revision()
        succeed("alias", "update", "echo", "live", "--version", "2")
        let current = try revision()

        for stale in [original, "STALE"] {
            let result = try assertStateUnchanged {
                run("alias", "update", "echo", "live", "--version", "1", "--revision-id", stale)
            }
            XCTAssertEqual(result.exitCode, 5, "a stale revision is a conflict: \(result)")
            XCTAssertEqual(result.stdout, "")
            XCTAssertEqual(result.stderrLines.count, 1, "\(result)")
            XCTAssertTrue(result.stderr.contains("changed since revision \(stale) (now \(current))"), "\(result)")
            XCTAssertTrue(result.stderr.contains("shift alias get echo live"), "says how to recover: \(result)")
        }
        let alias = try json("alias", "get", "echo", "live")
        XCTAssertEqual(alias["FunctionVersion"] as? String, "2")
        XCTAssertEqual(alias["RevisionId"] as? String, current)
    }

    func testUpdateWithTheCurrentRevisionId_succeeds() throws {
        succeed("alias", "create", "echo", "live", "--version", "1")
        succeed("alias", "update", "echo", "live", "--version", "2", "--revision-id", try revision())
        XCTAssertEqual(try json("alias", "get", "echo", "live")["FunctionVersion"] as? String, "2")
    }

    func testList_showsEveryAlias() throws {
        succeed("alias", "create", "echo", "live", "--version", "1")
        succeed("alias", "create", "echo", "beta", "--version", "2", "--additional-version", "1", "--weight", "0.5")

        let rows = succeed("alias", "list", "echo").stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.count, 3, "\(rows)")
        XCTAssertTrue(rows[0].hasPrefix("ALIAS"), "\(rows)")
        XCTAssertTrue(rows[1].hasPrefix("beta ") && rows[1].contains("2 (50%) + 1 (50%)"), "\(rows)")
        XCTAssertTrue(rows[2].hasPrefix("live ") && rows[2].contains(" 1 "), "\(rows)")

        let aliases = try XCTUnwrap(try json("alias", "list", "echo")["Aliases"] as? [[String: Any]])
        XCTAssertEqual(aliases.map { $0["Name"] as? String }, ["beta", "live"])
    }

    func testCreateOfAnExistingAlias_exits2_andChangesNothing() throws {
        succeed("alias", "create", "echo", "live", "--version", "1")
        let result = try assertStateUnchanged { run("alias", "create", "echo", "live", "--version", "2") }
        assertBadInput(result, mentions: ["alias 'echo:live' already exists", "shift alias update echo live"])
    }

    func testDelete_removesTheAlias() throws {
        succeed("alias", "create", "echo", "live", "--version", "1")
        XCTAssertEqual(succeed("alias", "delete", "echo", "live").stdout, "deleted alias echo:live\n")
        assertBadInput(run("alias", "get", "echo", "live"), mentions: ["alias 'echo:live' not found", "shift alias create echo live"])
        XCTAssertEqual(try XCTUnwrap(try json("alias", "list", "echo")["Aliases"] as? [Any]).count, 0)
    }

    /// The alias's current `RevisionId`.
    private func revision(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try XCTUnwrap(try json("alias", "get", "echo", "live", file: file, line: line)["RevisionId"] as? String, file: file, line: line)
    }
}

import Foundation
import XCTest

/// `shift function ...` run as a process: create, update, publish, versions, get, list, delete.
final class FunctionCommandTests: ShiftIntegrationTestCase {
    func testPublish_numbersVersions_skipsUnchanged_andPublishesAConfigurationOnlyChange() throws {
        let created = run("function", "create", "echo", "--code", example("echo").path, "--handler", "./handler.sh")
        XCTAssertEqual(created.exitCode, 0, "\(created)")
        XCTAssertTrue(created.stderr.contains("created function echo"), "\(created)")
        XCTAssertTrue(created.stdout.contains("handler:     ./handler.sh"), "\(created)")

        let first = run("function", "publish", "echo")
        XCTAssertEqual(first.exitCode, 0, "\(first)")
        XCTAssertEqual(first.stdout, "1\n")
        XCTAssertTrue(first.stderr.contains("published echo:1"), "\(first)")

        let unchanged = run("function", "publish", "echo")
        XCTAssertEqual(unchanged.exitCode, 0, "\(unchanged)")
        XCTAssertEqual(unchanged.stdout, "1\n")
        XCTAssertTrue(unchanged.stderr.contains("no new version"), "\(unchanged)")

        // Only the configuration changes: that alone makes a new version (unlike SAM #413).
        succeed("function", "update", "echo", "--env", "GREETING=hello")
        let second = run("function", "publish", "echo")
        XCTAssertEqual(second.exitCode, 0, "\(second)")
        XCTAssertEqual(second.stdout, "2\n")
        XCTAssertTrue(second.stderr.contains("published echo:2"), "\(second)")

        let versions = try XCTUnwrap(try json("function", "versions", "echo")["Versions"] as? [[String: Any]])
        XCTAssertEqual(versions.map { $0["Version"] as? String }, ["1", "2"])
        let hash = try XCTUnwrap(try json("function", "get", "echo")["CodeSha256"] as? String)
        XCTAssertEqual(versions.map { $0["CodeSha256"] as? String }, [hash, hash], "the code did not change, so neither did its hash")
        XCTAssertEqual((versions[1]["Environment"] as? [String: Any])?["Variables"] as? [String: String], ["GREETING": "hello"])
        XCTAssertNil(versions[0]["Environment"], "Lambda leaves out an empty environment")

        let table = succeed("function", "versions", "echo").stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(table.count, 3, "a header and one row per version: \(table)")
        XCTAssertTrue(table[0].hasPrefix("VERSION"), "\(table)")
        XCTAssertTrue(table[1].hasPrefix("1 ") && table[1].contains(hash), "\(table)")
        XCTAssertTrue(table[2].hasPrefix("2 ") && table[2].contains(hash), "\(table)")
    }

    func testFunctionGetJSON_hasLambdaFieldNames() throws {
        createFunction("echo", "--timeout", "5", "--env", "A=1", "--description", "says it back")
        let function = try json("function", "get", "echo")
        XCTAssertEqual(function["FunctionName"] as? String, "echo")
        XCTAssertEqual(function["Version"] as? String, "$LATEST")
        XCTAssertEqual(function["Handler"] as? String, "./handler.sh")
        XCTAssertEqual(function["Timeout"] as? Int, 5)
        XCTAssertEqual((function["Environment"] as? [String: Any])?["Variables"] as? [String: String], ["A": "1"])
        XCTAssertEqual(function["Description"] as? String, "says it back")
        let hash = try XCTUnwrap(function["CodeSha256"] as? String)
        XCTAssertEqual(Data(base64Encoded: hash)?.count, 32, "CodeSha256 is a base64 SHA-256, as Lambda's: \(hash)")
        XCTAssertNotNil((function["LastModified"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000/), "Lambda's format: \(function)")
    }

    func testEditingTheSourceAfterPublish_neverChangesThePublishedVersion() throws {
        let code = try copyOfExample("echo")
        createFunction("echo", code: code)
        XCTAssertEqual(publish("echo"), 1)
        let publishedHash = try XCTUnwrap((try json("function", "versions", "echo")["Versions"] as? [[String: Any]])?.first?["CodeSha256"] as? String)

        try Data("#!/bin/sh\ncat > /dev/null\necho '{\"edited\": true}'\n".utf8).write(to: code.appendingPathComponent("handler.sh"))

        let versions = try XCTUnwrap(try json("function", "versions", "echo")["Versions"] as? [[String: Any]])
        XCTAssertEqual(versions.map { $0["CodeSha256"] as? String }, [publishedHash])
        XCTAssertTrue(succeed("invoke", "echo:1").stdout.contains("\"ok\": true"), "version 1 still runs the code it was published with")
        XCTAssertEqual(succeed("invoke", "echo").stdout, "{\"edited\": true}\n", "$LATEST runs the edited source")
        XCTAssertEqual(publish("echo"), 2, "a code change publishes")
        let hashes = try XCTUnwrap(try json("function", "versions", "echo")["Versions"] as? [[String: Any]]).map { $0["CodeSha256"] as? String }
        XCTAssertEqual(hashes.count, 2)
        XCTAssertNotEqual(hashes[0], hashes[1])
    }

    func testUpdate_changesOnlyWhatItIsGiven() throws {
        createFunction("echo", "--timeout", "7", "--env", "A=1")
        let updated = run("function", "update", "echo", "--description", "new words")
        XCTAssertEqual(updated.exitCode, 0, "\(updated)")
        XCTAssertTrue(updated.stderr.contains("updated function echo"), "\(updated)")
        let function = try json("function", "get", "echo")
        XCTAssertEqual(function["Description"] as? String, "new words")
        XCTAssertEqual(function["Timeout"] as? Int, 7)
        XCTAssertEqual((function["Environment"] as? [String: Any])?["Variables"] as? [String: String], ["A": "1"])
    }

    func testList_showsEveryFunction() throws {
        createFunction("alpha")
        createFunction("beta", example: "flaky")
        XCTAssertEqual(publish("beta"), 1)

        let rows = succeed("function", "list").stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(rows.count, 3, "\(rows)")
        XCTAssertTrue(rows[0].hasPrefix("NAME"), "\(rows)")
        XCTAssertTrue(rows[1].hasPrefix("alpha ") && rows[1].contains(example("echo").path), "\(rows)")
        XCTAssertTrue(rows[2].hasPrefix("beta ") && rows[2].contains(" 1 "), "beta has one version: \(rows)")

        let functions = try XCTUnwrap(try json("function", "list")["Functions"] as? [[String: Any]])
        XCTAssertEqual(functions.map { $0["FunctionName"] as? String }, ["alpha", "beta"])
    }

    func testListOfAnEmptyAccount_saysHowToCreateOne() {
        let result = succeed("function", "list")
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("shift function create"), "\(result)")
    }

    func testCreateOfAnExistingName_exits2_andChangesNothing() throws {
        createFunction("echo")
        let result = try assertStateUnchanged {
            run("function", "create", "echo", "--code", example("flaky").path, "--handler", "./other.sh")
        }
        assertBadInput(result, mentions: ["function 'echo' already exists", "shift function update echo"])
    }

    func testDelete_isRefusedWhileAnAliasUsesIt_thenRemovesTheFunction() throws {
        createFunction("echo")
        XCTAssertEqual(publish("echo"), 1)
        succeed("alias", "create", "echo", "live", "--version", "1")

        let refused = try assertStateUnchanged { run("function", "delete", "echo") }
        assertBadInput(refused, mentions: ["still has aliases", "live", "shift alias delete echo"])

        succeed("alias", "delete", "echo", "live")
        let deleted = succeed("function", "delete", "echo")
        XCTAssertEqual(deleted.stdout, "deleted function echo\n")
        assertBadInput(run("function", "get", "echo"), mentions: ["function 'echo' not found"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: stateDirectory.appendingPathComponent("accounts/default/functions/echo").path))
    }

    func testAccounts_areSeparate() throws {
        createFunction("echo")
        let other = run("function", "get", "echo", "--account", "staging")
        assertBadInput(other, mentions: ["function 'echo' not found", "account 'staging'"])
        succeed("function", "create", "echo", "--code", example("flaky").path, "--handler", "./handler.sh", "--account", "staging")
        XCTAssertEqual((try json("function", "get", "echo", "--account", "staging")["Shift"] as? [String: Any])?["CodePath"] as? String, example("flaky").path)
        XCTAssertEqual((try json("function", "get", "echo")["Shift"] as? [String: Any])?["CodePath"] as? String, example("echo").path)
    }

    func testSymlinkToAFileOutsideTheCode_isPublishedAsItsContent_soTheVersionDoesNotChangeWithThatFile() throws {
        let outside = directory.url.appendingPathComponent("shared/greeting.txt")
        try FileManager.default.createDirectory(at: outside.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("hello-v1".utf8).write(to: outside)
        let code = try directory.writeScript("linked/handler.sh", #"cat > /dev/null; printf '{"greeting": "%s"}\n' "$(cat greeting.txt)""#).deletingLastPathComponent()
        try FileManager.default.createSymbolicLink(atPath: code.appendingPathComponent("greeting.txt").path, withDestinationPath: outside.path)
        createFunction("linked", code: code)
        XCTAssertEqual(publish("linked"), 1)

        try Data("hello-v2".utf8).write(to: outside)

        XCTAssertEqual(succeed("invoke", "linked:1").stdout, "{\"greeting\": \"hello-v1\"}\n", "version 1 holds the bytes the link pointed to")
        XCTAssertEqual(succeed("invoke", "linked").stdout, "{\"greeting\": \"hello-v2\"}\n", "$LATEST runs the code directory as it is")
        XCTAssertEqual(publish("linked"), 2, "a changed link target is changed code")

        try FileManager.default.removeItem(at: outside)
        assertBadInput(run("function", "publish", "linked"), mentions: [code.appendingPathComponent("greeting.txt").path, "symbolic link"])
    }
}

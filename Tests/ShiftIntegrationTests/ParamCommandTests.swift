import Foundation
import ShiftTestSupport
import XCTest

/// `shift key` and `shift param` with the real binary.
final class ParamCommandTests: ShiftIntegrationTestCase {
    private let marker = "marker-7f3a91-secret"

    private func initializeKey() {
        succeed("key", "init")
    }

    func testWithoutKey_putIsBadInputNamingKeyInit() throws {
        let result = try assertStateUnchanged { run("param", "put", "/orders/url", "x") }
        assertBadInput(result, mentions: ["shift key init"])
    }

    func testSecureString_isMaskedUnlessDecrypt_andUsesSSMFieldNames() throws {
        initializeKey()
        let put = run("param", "put", "/orders/prod/db-password", "--type", "SecureString", "--value-stdin", standardInput: Data("\(marker)\n".utf8))
        XCTAssertEqual(put.exitCode, 0, "\(put)")
        XCTAssertFalse(put.stdout.contains(marker) || put.stderr.contains(marker))
        let masked = run("param", "get", "/orders/prod/db-password")
        XCTAssertEqual(masked.stdout, "****\n")
        let json = try self.json("param", "get", "/orders/prod/db-password", "--decrypt")
        let parameter = try XCTUnwrap(json["Parameter"] as? [String: Any])
        XCTAssertEqual(parameter["Value"] as? String, marker)
        XCTAssertEqual(parameter["Type"] as? String, "SecureString")
        XCTAssertEqual(parameter["Version"] as? Int, 1)
        XCTAssertEqual(parameter["Name"] as? String, "/orders/prod/db-password")
        XCTAssertNotNil(parameter["LastModifiedDate"])
        XCTAssertFalse(run("param", "list", "--output", "json").stdout.contains(marker))
        XCTAssertFalse(run("param", "history", "/orders/prod/db-password").stdout.contains(marker))
    }

    func testGetListHistoryJSON_haveSSMShapes_withLocalARNs_andNoSecret() throws {
        initializeKey()
        succeed("param", "put", "/orders/prod/db-url", "postgres://one", "--description", "the orders database")
        succeed("param", "put", "/orders/prod/db-url", "postgres://two", "--overwrite")
        succeed("param", "label", "/orders/prod/db-url", "--version", "1", "stable")
        succeed("param", "put", "/orders/prod/db-password", marker, "--type", "SecureString")
        succeed("param", "put", "flat-name", "a,b", "--type", "StringList")

        let get = run("param", "get", "/orders/prod/db-url:stable", "--output", "json")
        XCTAssertEqual(try ServiceModelShape.ssm("GetParameterResult").violations(in: get.standardOutput), [], get.stdout)
        let parameter = try XCTUnwrap(try get.jsonObject()["Parameter"] as? [String: Any])
        XCTAssertEqual(parameter["ARN"] as? String, "arn:aws:ssm:local:000000000000:parameter/orders/prod/db-url")
        XCTAssertEqual(parameter["Selector"] as? String, ":stable")
        XCTAssertEqual((parameter["Shift"] as? [String: Any])?["Labels"] as? [String], ["stable"])
        // SSM's JSON protocol sends timestamps as seconds since 1970.
        XCTAssertEqual(try XCTUnwrap(parameter["LastModifiedDate"] as? Double), Date().timeIntervalSince1970, accuracy: 600)
        let secure = run("param", "get", "/orders/prod/db-password", "--output", "json")
        XCTAssertEqual(try ServiceModelShape.ssm("GetParameterResult").violations(in: secure.standardOutput), [], secure.stdout)

        let list = run("param", "list", "--output", "json")
        XCTAssertEqual(try ServiceModelShape.ssm("DescribeParametersResult").violations(in: list.standardOutput), [], list.stdout)
        let listed = try XCTUnwrap(try list.jsonObject()["Parameters"] as? [[String: Any]])
        XCTAssertEqual(listed.compactMap { $0["ARN"] as? String }, [
            "arn:aws:ssm:local:000000000000:parameter/orders/prod/db-password",
            "arn:aws:ssm:local:000000000000:parameter/orders/prod/db-url",
            "arn:aws:ssm:local:000000000000:parameter/flat-name",
        ], "by name")
        XCTAssertEqual(listed[1]["Description"] as? String, nil, "version 2 has no description")

        let history = run("param", "history", "/orders/prod/db-url", "--output", "json")
        XCTAssertEqual(try ServiceModelShape.ssm("GetParameterHistoryResult").violations(in: history.standardOutput), [], history.stdout)
        let versions = try XCTUnwrap(try history.jsonObject()["Parameters"] as? [[String: Any]])
        XCTAssertEqual(versions.map { $0["Labels"] as? [String] }, [["stable"], []])
        XCTAssertEqual(versions.first?["Description"] as? String, "the orders database")
        let secureHistory = run("param", "history", "/orders/prod/db-password", "--output", "json")
        XCTAssertEqual(try ServiceModelShape.ssm("GetParameterHistoryResult").violations(in: secureHistory.standardOutput), [], secureHistory.stdout)

        for output in [get, secure, list, history, secureHistory] {
            XCTAssertEqual(output.exitCode, 0, "\(output)")
            XCTAssertFalse(output.stdout.contains(marker) || output.stderr.contains(marker), "\(output)")
        }
    }

    func testNoPlaintextSecretAnywhereInStateDirectory() throws {
        initializeKey()
        succeed("param", "put", "/orders/token", marker, "--type", "SecureString")
        let walker = FileManager.default.enumerator(at: stateDirectory, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard let data = try? Data(contentsOf: url) else { continue }
            XCTAssertNil(data.range(of: Data(marker.utf8)), "\(url.path) holds the secret in plain text")
            XCTAssertNil(data.range(of: Data(Data(marker.utf8).base64EncodedString().utf8)), "\(url.path) holds the secret in base64")
        }
    }

    func testOverwriteRule_versionsAndLabels() throws {
        initializeKey()
        succeed("param", "put", "/orders/url", "one")
        XCTAssertEqual(run("param", "put", "/orders/url", "two").exitCode, 2)
        succeed("param", "put", "/orders/url", "two", "--overwrite")
        succeed("param", "label", "/orders/url", "--version", "1", "stable")
        XCTAssertEqual(run("param", "get", "/orders/url").stdout, "two\n")
        XCTAssertEqual(run("param", "get", "/orders/url:stable").stdout, "one\n")
        XCTAssertEqual(run("param", "get", "/orders/url:1").stdout, "one\n")
        XCTAssertEqual(run("param", "get", "/orders/url", "--version", "2").stdout, "two\n")
    }

    func testRotate_keepsValuesAndRetiresOldKey() throws {
        initializeKey()
        succeed("param", "put", "/orders/token", marker, "--type", "SecureString")
        let keyFile = stateDirectory.appendingPathComponent("keys/default.key")
        let oldKey = try Data(contentsOf: keyFile)
        succeed("key", "rotate")
        XCTAssertEqual(run("param", "get", "/orders/token", "--decrypt").stdout, "\(marker)\n")
        let oldKeyFile = directory.url.appendingPathComponent("old.key")
        FileManager.default.createFile(atPath: oldKeyFile.path, contents: oldKey, attributes: [.posixPermissions: 0o600])
        let withOld = run("param", "get", "/orders/token", "--decrypt", "--key-file", oldKeyFile.path)
        XCTAssertNotEqual(withOld.exitCode, 0)
        XCTAssertFalse(withOld.stdout.contains(marker) || withOld.stderr.contains(marker))
    }

    func testRotateAKeyFileSharedByTwoAccounts_rewrapsBoth_andSaysSo() throws {
        let shared = ["SHIFT_KEY_FILE": directory.url.appendingPathComponent("keys/shared.key").path]
        succeed("key", "init", environment: shared)
        succeed("param", "put", "/orders/token", "alpha", "--type", "SecureString", "--account", "a", environment: shared)
        succeed("param", "put", "/orders/token", "beta", "--type", "SecureString", "--account", "b", environment: shared)
        succeed("key", "init", "--account", "c")
        succeed("param", "put", "/orders/token", "gamma", "--type", "SecureString", "--account", "c")

        let rotate = succeed("key", "rotate", "--account", "a", environment: shared)
        XCTAssertTrue(rotate.stdout.contains("re-wrapped the data key of account(s) a, b"), rotate.stdout)
        XCTAssertTrue(rotate.stderr.contains("left account c untouched"), rotate.stderr)
        for (account, value) in [("a", "alpha"), ("b", "beta")] {
            XCTAssertEqual(run("param", "get", "/orders/token", "--decrypt", "--account", account, environment: shared).stdout, "\(value)\n", account)
        }
        XCTAssertEqual(run("param", "get", "/orders/token", "--decrypt", "--account", "c").stdout, "gamma\n")
    }

    func testKeyFileReadableByGroup_isRefusedWithFix() throws {
        initializeKey()
        let keyFile = stateDirectory.appendingPathComponent("keys/default.key")
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: keyFile.path)[.posixPermissions] as? Int, 0o600)
        chmod(keyFile.path, 0o640)
        assertBadInput(run("param", "list"), mentions: ["chmod 600"])
    }

    func testConcurrentPutsFromSeparateProcesses_loseNoVersion() throws {
        initializeKey()
        succeed("param", "put", "/orders/counter", "0")
        let writers = try (0..<6).map { writer in
            try shift.startShell("""
                for i in 1 2 3 4 5; do "$SHIFT" param put /orders/counter "w\(writer)-$i" --overwrite --state-dir "$SHIFT_STATE" > /dev/null || exit 1; done
                """)
        }
        for result in ChildProcess.waitForAll(writers) {
            XCTAssertEqual(result.exitCode, 0, "\(result)")
        }
        let history = try XCTUnwrap(try json("param", "history", "/orders/counter")["Parameters"] as? [[String: Any]])
        XCTAssertEqual(history.compactMap { $0["Version"] as? Int }, Array(1...31))
    }

    /// A function whose handler prints the referenced value, its SHA-256, and logs the value.
    private func createFunctionUsingSecret() throws {
        initializeKey()
        let put = run("param", "put", "/orders/prod/db-password", "--type", "SecureString", "--value-stdin", standardInput: Data(marker.utf8))
        XCTAssertEqual(put.exitCode, 0, "\(put)")
        try directory.writeScript("code/handler.sh", #"""
            cat > /dev/null
            echo "connecting with $DB_PASSWORD" >&2
            printf '{"echo": "%s", "sha256": "%s"}\n' "$DB_PASSWORD" "$(printf %s "$DB_PASSWORD" | sha256sum | cut -d' ' -f1)"
            """#)
        succeed("function", "create", "orders", "--code", directory.url.appendingPathComponent("code").path, "--handler", "./handler.sh",
                "--env", "DB_PASSWORD={{param:/orders/prod/db-password}}")
    }

    func testFunctionEnvironmentReference_isInjectedMaskedAndNeverStored() throws {
        try createFunctionUsingSecret()
        let expectedHash = try shift.startShell("printf %s '\(marker)' | sha256sum | cut -d' ' -f1").wait().stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(expectedHash.count, 64)

        let text = run("invoke", "orders", "--log")
        XCTAssertEqual(text.exitCode, 0, "\(text)")
        XCTAssertTrue(text.stdout.contains("\"sha256\": \"\(expectedHash)\""), "the handler saw the real value: \(text.stdout)")
        XCTAssertTrue(text.stdout.contains("\"echo\": \"****\""), text.stdout)
        XCTAssertTrue(text.stderr.contains("connecting with ****"), text.stderr)
        let json = run("invoke", "orders", "--output", "json")
        XCTAssertEqual(json.exitCode, 0)
        let get = run("function", "get", "orders", "--output", "json")
        XCTAssertTrue(get.stdout.contains("{{param:/orders/prod/db-password}}"), get.stdout)
        for result in [text, json, get] {
            XCTAssertFalse(result.stdout.contains(marker) || result.stderr.contains(marker), "the secret leaked: \(result)")
        }
        succeed("function", "publish", "orders")
        XCTAssertFalse(run("invoke", "orders:1").stdout.contains(marker))
        let walker = FileManager.default.enumerator(at: stateDirectory, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard let data = try? Data(contentsOf: url) else { continue }
            XCTAssertNil(data.range(of: Data(marker.utf8)), "\(url.path) holds the secret")
        }
    }

    func testMissingParameter_isNamedAtCreateAndAtInvocation() throws {
        try createFunctionUsingSecret()
        let create = try assertStateUnchanged {
            run("function", "create", "other", "--code", directory.url.appendingPathComponent("code").path, "--handler", "./handler.sh",
                "--env", "URL={{param:/orders/prod/nope}}")
        }
        assertBadInput(create, mentions: ["/orders/prod/nope"])
        succeed("param", "delete", "/orders/prod/db-password")
        let invoke = run("invoke", "orders")
        XCTAssertEqual(invoke.exitCode, 2, "\(invoke)")
        XCTAssertTrue(invoke.stderr.contains("/orders/prod/db-password"), invoke.stderr)
    }

    func testTrafficWhoseEveryInvocationCannotBeAttempted_doesNotExit0() throws {
        try createFunctionUsingSecret()
        succeed("param", "delete", "/orders/prod/db-password")
        let traffic = run("traffic", "orders", "--rate", "5", "--duration", "1")
        XCTAssertEqual(traffic.exitCode, 1, "\(traffic)")
        XCTAssertTrue(traffic.stdout.contains("5 not invoked"), traffic.stdout)
        XCTAssertTrue(traffic.stderr.contains("no invocation of orders could be attempted"), traffic.stderr)
        XCTAssertTrue(traffic.stderr.contains("/orders/prod/db-password"), traffic.stderr)
    }

    func testFailingHookThatLogsSecret_showsItMaskedInDeployOutput() throws {
        try createFunctionUsingSecret()
        succeed("function", "publish", "orders")
        succeed("function", "update", "orders", "--description", "v2")
        succeed("function", "publish", "orders")
        succeed("alias", "create", "orders", "live", "--version", "1")
        try directory.writeScript("gate/handler.sh", #"cat > /dev/null; echo "rejected password $DB_PASSWORD" >&2; exit 1"#)
        succeed("function", "create", "gate", "--code", directory.url.appendingPathComponent("gate").path, "--handler", "./handler.sh",
                "--env", "DB_PASSWORD={{param:/orders/prod/db-password}}")
        for output in ["text", "json"] {
            let deploy = run("deploy", "orders", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--pre-traffic", "gate", "--output", output)
            XCTAssertEqual(deploy.exitCode, 1, "\(deploy)")
            XCTAssertTrue(deploy.stdout.contains("rejected password ****"), deploy.stdout)
            XCTAssertFalse(deploy.stdout.contains(marker) || deploy.stderr.contains(marker), "the secret leaked: \(deploy)")
        }
        let walker = FileManager.default.enumerator(at: stateDirectory, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard let data = try? Data(contentsOf: url) else { continue }
            XCTAssertNil(data.range(of: Data(marker.utf8)), "\(url.path) holds the secret")
        }
    }
}

import Foundation
import ShiftLocal
import XCTest

/// A secret that straddles the 64 KiB cut of a handler's stderr is masked whole, at every offset, in everything
/// shift prints or stores of that stderr: `invoke --log`, `LogResult`, a hook failure of `deploy`, the journal.
final class SecretAtCutTests: ShiftIntegrationTestCase {
    private let secret = "q7Zxk9Pw3mRvJ2yT"
    private var offsetFile: URL { directory.url.appendingPathComponent("offset") }

    /// Every 4-byte piece of the secret: none may appear anywhere.
    private var fragments: [String] {
        let bytes = Array(secret.utf8)
        return (0...bytes.count - 4).map { String(decoding: bytes[$0..<$0 + 4], as: UTF8.self) }
    }

    private func assertNoFragment(in text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        for fragment in fragments where text.contains(fragment) {
            XCTFail("\(what): '\(fragment)' of the secret went out", file: file, line: line)
        }
    }

    /// A function whose handler logs 100 KB, then the secret, then (logLimit - offset) bytes with no newline, so that
    /// the secret ends `offset` bytes after the cut, on the last line; it exits 1 when `fail` is set.
    private func createFunction(_ name: String, fail: Bool) throws {
        try directory.writeScript("\(name)/handler.sh", """
            cat > /dev/null
            offset=$(cat '\(offsetFile.path)')
            head -c 100000 /dev/zero | tr '\\0' y >&2; echo >&2
            printf '%s' "$DB_PASSWORD" >&2
            head -c $((\(HandlerProcess.logLimit) - offset)) /dev/zero | tr '\\0' z >&2
            echo '{}'
            \(fail ? "exit 1" : "")
            """)
        succeed("function", "create", name, "--code", directory.url.appendingPathComponent(name).path, "--handler", "./handler.sh",
                "--env", "DB_PASSWORD={{param:/orders/prod/db-password}}")
    }

    private func setOffset(_ offset: Int) throws {
        try Data("\(offset)\n".utf8).write(to: offsetFile)
    }

    override func setUpWithError() throws {
        try super.setUpWithError()
        succeed("key", "init")
        let put = run("param", "put", "/orders/prod/db-password", "--type", "SecureString", "--value-stdin", standardInput: Data(secret.utf8))
        XCTAssertEqual(put.exitCode, 0, "\(put)")
    }

    func testInvokeLogAndLogResult_whenTheSecretStraddlesTheStderrCut_neverShowAPiece() throws {
        try createFunction("orders", fail: false)
        for offset in 1..<secret.utf8.count {
            try setOffset(offset)
            let text = run("invoke", "orders", "--log")
            XCTAssertEqual(text.exitCode, 0, "offset \(offset): \(text.stderr.suffix(300))")
            XCTAssertTrue(text.stderr.hasPrefix("****zzz"), "offset \(offset): the log tail begins with the masked secret: \(text.stderr.prefix(40))")
            assertNoFragment(in: text.stderr + text.stdout, "invoke --log, offset \(offset)")

            let json = run("invoke", "orders", "--output", "json")
            XCTAssertEqual(json.exitCode, 0, "offset \(offset)")
            // LogResult is Lambda's: base64 of the log's last 4 KB, cut from the log already masked.
            let logResult = try XCTUnwrap(try json.jsonObject()["LogResult"] as? String, "offset \(offset)")
            let decoded = String(decoding: try XCTUnwrap(Data(base64Encoded: logResult), "offset \(offset): LogResult is not base64"), as: UTF8.self)
            XCTAssertEqual(decoded.utf8.count, 4096, "offset \(offset)")
            assertNoFragment(in: json.stdout + json.stderr + decoded, "invoke --output json, offset \(offset)")
        }
    }

    func testHookFailureAndJournal_whenTheSecretStraddlesTheStderrCut_neverShowAPiece() throws {
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")
        try createFunction("gate", fail: true)
        for offset in 1..<secret.utf8.count {
            try setOffset(offset)
            let deploy = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--pre-traffic", "gate")
            XCTAssertEqual(deploy.exitCode, 1, "offset \(offset): \(deploy.stdout.suffix(300)) \(deploy.stderr.suffix(300))")
            XCTAssertTrue(deploy.stdout.contains("(****zzz") || deploy.stderr.contains("(****zzz"),
                          "offset \(offset): the hook failure shows the last log line, its secret masked whole")
            assertNoFragment(in: deploy.stdout + deploy.stderr, "deploy, offset \(offset)")
        }
        let walker = FileManager.default.enumerator(at: stateDirectory, includingPropertiesForKeys: nil)
        var journals = 0
        while let url = walker?.nextObject() as? URL {
            // The parameter store holds the secret sealed; its base64 may hold any four letters.
            guard !url.path.contains("/parameters/"), let data = try? Data(contentsOf: url) else { continue }
            if url.deletingLastPathComponent().lastPathComponent == "deployments", data.range(of: Data("****zzz".utf8)) != nil { journals += 1 }
            assertNoFragment(in: String(decoding: data, as: UTF8.self), url.path)
        }
        XCTAssertGreaterThanOrEqual(journals, secret.utf8.count - 1, "every deployment's journal records the hook's last log line, its secret masked whole")
    }
}

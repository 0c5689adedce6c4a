import Foundation
import XCTest

/// `shift key rotate` killed at each `rename` and each `fsync` it makes (deterministically, with strace's fault
/// injection), then run again: every SecureString of every account sharing the key file reads back its value.
final class KeyRotationFaultTests: ShiftIntegrationTestCase {
    private var keyFile: URL { directory.url.appendingPathComponent("keys/shared.key") }
    private var stagedKeyFile: URL { keyFile.appendingPathExtension("new") }
    private var shared: [String: String] { ["SHIFT_KEY_FILE": keyFile.path] }
    /// The calls a rotation makes durable or atomic with; strace names them as the binary actually makes them.
    private let candidateCalls = ["rename", "renameat", "renameat2", "fsync", "fdatasync", "link", "linkat"]

    private static let strace: String? = ["/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Accounts `names` sharing the key file, each with two SecureStrings and a String.
    private func prepare(_ names: [String], environment: [String: String]? = nil) -> [String: [String: String]] {
        let environment = environment ?? shared
        if environment == shared { succeed("key", "init", environment: shared) }
        var values: [String: [String: String]] = [:]
        for account in names {
            values[account] = ["/app/db-password": "db-\(account)-\(UUID().uuidString)", "/app/token": "tok-\(account)-\(UUID().uuidString)"]
            for (name, value) in values[account]! {
                let put = run("param", "put", name, "--type", "SecureString", "--value-stdin", "--account", account, standardInput: Data(value.utf8), environment: environment)
                XCTAssertEqual(put.exitCode, 0, "\(put)")
            }
            succeed("param", "put", "/app/url", "https://\(account)", "--account", account, environment: environment)
        }
        return values
    }

    private func assertEveryValueReadsBack(_ values: [String: [String: String]], _ context: String, environment: [String: String]? = nil,
                                           file: StaticString = #filePath, line: UInt = #line) {
        for (account, parameters) in values {
            for (name, value) in parameters {
                let get = run("param", "get", name, "--decrypt", "--account", account, environment: environment ?? shared)
                XCTAssertEqual(get.stdout, "\(value)\n", "\(context): account \(account) \(name): \(get.stderr)", file: file, line: line)
            }
        }
    }

    /// How many times one `shift key rotate` makes each of `candidateCalls` (only those it makes).
    private func countCalls(strace: String, environment: [String: String]? = nil) throws -> [String: Int] {
        let summary = directory.url.appendingPathComponent("strace-count.txt")
        let result = try shift.startShell(
            #"exec "$STRACE" -f -c -o "$SUMMARY" -e trace="$CALLS" "$SHIFT" key rotate --account a --state-dir "$SHIFT_STATE""#,
            environment: (environment ?? shared).merging(["STRACE": strace, "SUMMARY": summary.path, "CALLS": candidateCalls.joined(separator: ",")]) { $1 }).wait(timeout: 120)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        var counts: [String: Int] = [:]
        for line in try String(contentsOf: summary, encoding: .utf8).split(separator: "\n") {
            let columns = line.split(separator: " ")
            guard let name = columns.last.map(String.init), candidateCalls.contains(name), columns.count >= 5, let calls = Int(columns[3]) else { continue }
            counts[name] = calls
        }
        return counts
    }

    private func killAtEveryCall(accounts: [String]) throws {
        guard let strace = Self.strace else {
            throw XCTSkip("strace is not installed (apt-get install strace; .ci/run installs it): the kill points of key rotate cannot be injected")
        }
        let values = prepare(accounts)
        let counts = try countCalls(strace: strace)
        XCTAssertGreaterThan(counts.values.reduce(0, +), 2 * accounts.count, "strace saw too few calls to have traced the rotation: \(counts)")
        assertEveryValueReadsBack(values, "after the counting rotation")
        var killed = 0, leftStaged = 0
        for (call, count) in counts.sorted(by: { $0.key < $1.key }) {
            for number in 1...count + 1 {
                let context = "\(accounts.count) accounts, killed at \(call) #\(number) of \(count)"
                let rotate = try shift.startShell(
                    #"exec "$STRACE" -f -o /dev/null -e trace="$CALL" -e inject="$CALL":signal=KILL:when="$WHEN" "$SHIFT" key rotate --account a --state-dir "$SHIFT_STATE""#,
                    environment: shared.merging(["STRACE": strace, "CALL": call, "WHEN": String(number)]) { $1 }).wait(timeout: 120)
                if number <= count {
                    XCTAssertNotEqual(rotate.exitCode, 0, "\(context): the injection did not kill it: \(rotate)")
                    killed += 1
                } else {
                    XCTAssertEqual(rotate.exitCode, 0, "\(context): past the last call it completes: \(rotate)")
                }
                if FileManager.default.fileExists(atPath: stagedKeyFile.path) { leftStaged += 1 }
                let again = run("key", "rotate", "--account", "a", environment: shared)
                XCTAssertEqual(again.exitCode, 0, "\(context): the second rotation: \(again)")
                let keyDirectory = try FileManager.default.contentsOfDirectory(atPath: keyFile.deletingLastPathComponent().path).sorted()
                XCTAssertEqual(keyDirectory, ["shared.key", "shared.key.lock"], "\(context): a staged key or a temporary key file was left behind")
                assertEveryValueReadsBack(values, context)
            }
        }
        XCTAssertGreaterThan(leftStaged, 0, "no kill left an unfinished rotation; the test proved nothing")
        XCTAssertGreaterThanOrEqual(killed, 2 * accounts.count)
    }

    func testKeyRotateKilledAtEveryRenameAndFsync_twoAccounts_aSecondRotateRecoversEveryValue() throws {
        try killAtEveryCall(accounts: ["a", "b"])
    }

    func testKeyRotateKilledAtEveryRenameAndFsync_threeAccounts_aSecondRotateRecoversEveryValue() throws {
        try killAtEveryCall(accounts: ["a", "b", "c"])
    }

    /// The key comes from the environment (SHIFT_MASTER_KEY to SHIFT_NEW_MASTER_KEY, then back): there is no file to
    /// stage, and running the same command again finishes what the kill interrupted. (A passphrase works the same
    /// way, MasterKeyLocationTests shows; here its 600,000 PBKDF2 rounds per call would only slow the test.)
    func testEnvironmentKeyRotateKilledAtEveryRenameAndFsync_runningItAgainWithTheSameVariablesRecoversEveryValue() throws {
        guard let strace = Self.strace else { throw XCTSkip("strace is not installed (apt-get install strace; .ci/run installs it)") }
        let first = Data((0..<32).map { UInt8($0 * 7 % 256) }).base64EncodedString()
        let second = Data((0..<32).map { UInt8(255 - $0) }).base64EncodedString()
        var current = first, next = second
        let values = prepare(["a", "b"], environment: ["SHIFT_MASTER_KEY": current])
        let counts = try countCalls(strace: strace, environment: ["SHIFT_MASTER_KEY": current, "SHIFT_NEW_MASTER_KEY": next])
        swap(&current, &next)
        XCTAssertGreaterThanOrEqual(counts.filter { $0.key.hasPrefix("rename") }.values.reduce(0, +), 2, "one rename per account: \(counts)")
        assertEveryValueReadsBack(values, "after the counting rotation", environment: ["SHIFT_MASTER_KEY": current])
        for (call, count) in counts.sorted(by: { $0.key < $1.key }) {
            for number in 1...count + 1 {
                let context = "environment key, killed at \(call) #\(number) of \(count)"
                let variables = ["SHIFT_MASTER_KEY": current, "SHIFT_NEW_MASTER_KEY": next]
                let rotate = try shift.startShell(
                    #"exec "$STRACE" -f -o /dev/null -e trace="$CALL" -e inject="$CALL":signal=KILL:when="$WHEN" "$SHIFT" key rotate --account a --state-dir "$SHIFT_STATE""#,
                    environment: variables.merging(["STRACE": strace, "CALL": call, "WHEN": String(number)]) { $1 }).wait(timeout: 120)
                XCTAssertEqual(rotate.exitCode == 0, number > count, "\(context): \(rotate)")
                let again = run("key", "rotate", "--account", "a", environment: variables)
                XCTAssertEqual(again.exitCode, 0, "\(context): the second rotation: \(again)")
                swap(&current, &next)
                assertEveryValueReadsBack(values, context, environment: ["SHIFT_MASTER_KEY": current])
            }
        }
    }

    /// With one account, a kill between the keyring's rename and the key file's: readers are told what to run.
    func testUnfinishedRotation_paramGetAndInvokeNameTheStagedKeyAndTheCommand() throws {
        guard let strace = Self.strace else { throw XCTSkip("strace is not installed (apt-get install strace; .ci/run installs it)") }
        let values = prepare(["a"])
        try directory.writeScript("code/handler.sh", "cat > /dev/null; echo '{}'")
        succeed("function", "create", "orders", "--code", directory.url.appendingPathComponent("code").path, "--handler", "./handler.sh",
                "--env", "DB_PASSWORD={{param:/app/db-password}}", "--account", "a", environment: shared)
        // The last rename of a rotation is the key file's: kill there, after every keyring was re-wrapped.
        let counts = try countCalls(strace: strace)
        let renames = try XCTUnwrap(counts.first { $0.key.hasPrefix("rename") })
        let killed = try shift.startShell(
            #"exec "$STRACE" -f -o /dev/null -e trace="$CALL" -e inject="$CALL":signal=KILL:when="$WHEN" "$SHIFT" key rotate --account a --state-dir "$SHIFT_STATE""#,
            environment: shared.merging(["STRACE": strace, "CALL": renames.key, "WHEN": String(renames.value)]) { $1 }).wait(timeout: 120)
        XCTAssertNotEqual(killed.exitCode, 0, "\(killed)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: stagedKeyFile.path))

        for result in [run("param", "get", "/app/db-password", "--decrypt", "--account", "a", environment: shared),
                       run("invoke", "orders", "--account", "a", environment: shared)] {
            assertBadInput(result, mentions: [stagedKeyFile.path, "shift key rotate"])
        }
        let finish = run("key", "rotate", "--account", "a", environment: shared)
        XCTAssertEqual(finish.exitCode, 0, "\(finish)")
        XCTAssertTrue(finish.stdout.contains("finished the interrupted rotation"), finish.stdout)
        assertEveryValueReadsBack(values, "after finishing")
        succeed("invoke", "orders", "--account", "a", environment: shared)
    }
}

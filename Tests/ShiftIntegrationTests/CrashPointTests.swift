import Foundation
import XCTest

/// Deterministic crash points: `strace -e inject=SYSCALL:signal=KILL:when=N` kills `shift` as it enters its Nth
/// `rename` or `fsync` (strace counts per thread), for every N up to what the whole command makes. After each kill,
/// `shift recover` must leave a consistent state: the alias on one version with no split, every deployment
/// finished, no alias lock held, every state file parsing. `.ci/run` installs strace where it is missing.
final class CrashPointTests: ShiftIntegrationTestCase {
    /// The syscalls shift's atomic writes make, as `strace -f -c` shows them on Linux x86_64 and arm64.
    private static let syscalls = ["rename", "fsync"]

    private var strace: String!
    private var pristine: URL!

    override func setUpWithError() throws {
        try super.setUpWithError()
        let candidates = ["/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace"]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("strace is not installed (.ci/run installs it)")
        }
        let probe = try shift.startShell("exec \(path) -f -qq -o /dev/null true").wait(timeout: 20)
        guard probe.exitCode == 0 else { throw XCTSkip("strace cannot trace here (ptrace refused): \(probe.stderr)") }
        strace = path
    }

    // MARK: Scenarios

    func testDeploy_killedAtEveryRenameAndFsync_isRecoveredConsistently() throws {
        try prepare()
        try assertEveryCrashPoint(of: ["deploy", "api", "--alias", "live", "--version", "2", "--preference-file", steps.path, "--poll-interval", "0.1"])
    }

    func testRollback_killedAtEveryRenameAndFsync_isRecoveredConsistently() throws {
        try prepare()
        // The PostTraffic hook fails once traffic is at 100 %: the deployment rolls back to version 1.
        try assertEveryCrashPoint(of: ["deploy", "api", "--alias", "live", "--version", "2", "--preference-file", steps.path, "--poll-interval", "0.1",
                                       "--post-traffic", "broken"], expectedExit: 1)
    }

    func testRecover_killedAtEveryRenameAndFsync_isRecoveredConsistently() throws {
        try prepare()
        try killDeployMidShift("api", ["--version", "2", "--preference", "Canary50Percent60Seconds", "--poll-interval", "0.1"])
        try snapshot()
        try assertEveryCrashPoint(of: ["recover"])
    }

    // MARK: Support

    /// Two steps without holds: every write of a deployment, in a fraction of a second.
    private var steps: URL { directory.url.appendingPathComponent("steps.txt") }

    /// `api` with versions 1 and 2, `live` on 1, a hook function `broken` that always fails, and `steps`.
    private func prepare() throws {
        try Data("50% 0s\n100%\n".utf8).write(to: steps)
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")
        try directory.writeScript("hooks/handler.sh", "cat >/dev/null; echo '{\"status\": \"Failed\"}'")
        createFunction("broken", code: directory.url.appendingPathComponent("hooks"))
        try snapshot()
    }

    private func snapshot() throws {
        pristine = directory.url.appendingPathComponent("pristine-\(UUID().uuidString.prefix(6))")
        try FileManager.default.copyItem(at: stateDirectory, to: pristine)
    }

    private func restore() throws {
        try FileManager.default.removeItem(at: stateDirectory)
        try FileManager.default.copyItem(at: pristine, to: stateDirectory)
    }

    /// Runs `arguments` under strace, killed as it enters its `killAt`th `syscall` (nil: not killed); the trace
    /// goes to `trace`.
    private func traced(_ arguments: [String], syscall: String, killAt: Int?, trace: URL) throws -> ProcessResult {
        let inject = killAt.map { " -e inject=\(syscall):signal=KILL:when=\($0)" } ?? ""
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        let script = "exec \(strace!) -f -qq -o '\(trace.path)' -e trace=\(syscall)\(inject) \"$SHIFT\" \(quoted) --state-dir \"$SHIFT_STATE\""
        return try shift.startShell(script).wait(timeout: 60)
    }

    /// Kills the command at each of its renames and fsyncs in turn, recovers, and checks the state each time.
    private func assertEveryCrashPoint(of arguments: [String], expectedExit: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws {
        let trace = directory.url.appendingPathComponent("trace")
        var killed = 0, points = 0
        for syscall in Self.syscalls {
            try restore()
            let complete = try traced(arguments, syscall: syscall, killAt: nil, trace: trace)
            XCTAssertEqual(complete.exitCode, expectedExit, "untouched run: \(complete)", file: file, line: line)
            let calls = try String(contentsOf: trace, encoding: .utf8).components(separatedBy: "\n").filter { $0.contains(" \(syscall)(") }.count
            XCTAssertGreaterThan(calls, 2, "\(arguments.joined(separator: " ")) made no \(syscall); does shift use another syscall now?", file: file, line: line)
            for point in 1...calls {
                points += 1
                try restore()
                let result = try traced(arguments, syscall: syscall, killAt: point, trace: trace)
                if result.exitCode != expectedExit { killed += 1 }
                let recover = run("recover")
                XCTAssertEqual(recover.exitCode, 0, "\(syscall) #\(point): \(recover)", file: file, line: line)
                try assertConsistent("\(syscall) #\(point) of \(arguments.joined(separator: " "))", file: file, line: line)
            }
        }
        XCTAssertGreaterThan(killed, 0, "no crash point was reached; the test proved nothing", file: file, line: line)
        print("\(arguments.joined(separator: " ")): killed at \(killed) of \(points) crash points, each recovered consistently")
    }

    /// The alias on one version, every deployment finished, the alias lock free, every JSON state file parsing.
    private func assertConsistent(_ label: String, file: StaticString, line: UInt) throws {
        let routing = try aliasRouting("api")
        XCTAssertEqual(routing.weights, [:], "\(label): the alias is left split", file: file, line: line)
        XCTAssertTrue(["1", "2"].contains(routing.version), "\(label): alias on \(routing.version)", file: file, line: line)
        let deployments = try XCTUnwrap(try json("deployment", "list")["deployments"] as? [[String: Any]], file: file, line: line)
        for deployment in deployments {
            let status = deployment["status"] as? String ?? ""
            XCTAssertTrue(["Succeeded", "Failed", "Stopped"].contains(status), "\(label): \(deployment)", file: file, line: line)
        }
        let lockPath = stateDirectory.appendingPathComponent("accounts/default/locks/api.live.lock").path
        if FileManager.default.fileExists(atPath: lockPath) {
            let descriptor = open(lockPath, O_RDWR)
            defer { close(descriptor) }
            XCTAssertEqual(flock(descriptor, LOCK_EX | LOCK_NB), 0, "\(label): the alias lock is still held", file: file, line: line)
        }
        let walker = FileManager.default.enumerator(at: stateDirectory, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "json" else { continue }
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(contentsOf: url)), "\(label): \(url.path) does not parse", file: file, line: line)
        }
    }
}

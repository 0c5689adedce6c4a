import Foundation
import XCTest

/// What one `shift invoke` reads, as strace sees it: each state file once. `.ci/run` installs strace where it is
/// missing.
final class InvokeFileReadsTests: ShiftIntegrationTestCase {
    func testInvokeThroughAnAlias_opensFunctionAccountAndAliasFilesOnce() throws {
        let strace = try XCTUnwrap(["/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                   "strace is not installed (.ci/run installs it)")
        guard try shift.startShell("exec \(strace) -f -qq -o /dev/null true").wait(timeout: 20).exitCode == 0 else {
            throw XCTSkip("strace cannot trace here (ptrace refused)")
        }
        createFunction("echo")
        XCTAssertEqual(publish("echo"), 1)
        succeed("alias", "create", "echo", "live", "--version", "1")

        let trace = directory.url.appendingPathComponent("invoke-trace")
        let invoke = try shift.startShell("exec \(strace) -f -qq -o '\(trace.path)' -e trace=open,openat,stat,newfstatat,statx \"$SHIFT\" invoke echo:live --payload '{}' --state-dir \"$SHIFT_STATE\"").wait(timeout: 60)
        XCTAssertEqual(invoke.exitCode, 0, "\(invoke)")
        let calls = try String(contentsOf: trace, encoding: .utf8).components(separatedBy: "\n")
        func opens(_ suffix: String) -> Int { calls.filter { $0.contains("open") && $0.contains(suffix + "\"") }.count }
        XCTAssertEqual(opens("/functions/echo/function.json"), 1, calls.filter { $0.contains("function.json") }.joined(separator: "\n"))
        XCTAssertEqual(opens("/functions/echo/aliases/live.json"), 1)
        XCTAssertEqual(opens("/functions/echo/versions/1/version.json"), 1)
        // No account.json for the default account: one lookup (an lstat, then the stat it leads to) finds none.
        XCTAssertLessThanOrEqual(calls.filter { $0.contains("/accounts/default/account.json\"") && $0.contains("AT_SYMLINK_NOFOLLOW") }.count, 1,
                                 calls.filter { $0.contains("account.json") }.joined(separator: "\n"))
    }
}

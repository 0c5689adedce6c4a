import Foundation
import XCTest

/// The deployment index after a `kill -9` between a record's write and its index line: `strace` kills `shift` as it
/// enters the `fsync` of the deployments directory that follows the record's rename, so the record is in place and
/// its summary line never came. `.ci/run` installs strace where it is missing.
final class DeploymentIndexCrashTests: ShiftIntegrationTestCase {
    private var indexFile: URL { stateDirectory.appendingPathComponent("accounts/default/deployments/index.jsonl") }

    private func straceOrSkip() throws -> String {
        let candidates = ["/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace"]
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("strace is not installed (.ci/run installs it)")
        }
        let probe = try shift.startShell("exec \(path) -f -qq -o /dev/null true").wait(timeout: 20)
        guard probe.exitCode == 0 else { throw XCTSkip("strace cannot trace here (ptrace refused): \(probe.stderr)") }
        return path
    }

    /// The deployment records `deployment list` opens, as strace sees them.
    private func recordsOpened(byListingWith strace: String) throws -> [String] {
        let trace = directory.url.appendingPathComponent("list-trace-\(UUID().uuidString.prefix(8))")
        let listing = try shift.startShell("exec \(strace) -f -qq -o '\(trace.path)' -e trace=open,openat \"$SHIFT\" deployment list --state-dir \"$SHIFT_STATE\"").wait(timeout: 60)
        XCTAssertEqual(listing.exitCode, 0, "\(listing)")
        return try String(contentsOf: trace, encoding: .utf8).components(separatedBy: "\n")
            .compactMap { line in line.range(of: #"/deployments/d-[^"/]*\.json"#, options: .regularExpression).map { String(line[$0].dropFirst("/deployments/".count)) } }
    }

    func testKillBetweenRecordAndIndexLine_listAndGetShowTheDeployment_andOnlyTheFirstListingRereadsIt() throws {
        let strace = try straceOrSkip()
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")
        // An earlier, finished deployment: listing after the crash must not read its record.
        succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        let earlier = try XCTUnwrap((try json("deployment", "list")["deployments"] as? [[String: Any]])?.first?["deploymentId"] as? String)

        let deploy = "deploy api --alias live --version 1 --preference AllAtOnce"
        let trace = directory.url.appendingPathComponent("trace")
        let script = "exec \(strace) -f -qq -y -o '\(trace.path)' -e trace=rename,fsync INJECT \"$SHIFT\" \(deploy) --state-dir \"$SHIFT_STATE\""

        // A dry run of the same command on a copy of the state finds which fsync follows the first record's rename.
        let pristine = directory.url.appendingPathComponent("pristine")
        try FileManager.default.copyItem(at: stateDirectory, to: pristine)
        XCTAssertEqual(try shift.startShell(script.replacingOccurrences(of: "INJECT", with: "")).wait(timeout: 60).exitCode, 0)
        let calls = try String(contentsOf: trace, encoding: .utf8).components(separatedBy: "\n")
            .filter { $0.contains("rename(") || $0.contains("fsync(") }
        let recordRename = try XCTUnwrap(calls.firstIndex { $0.contains("rename(") && $0.contains("/deployments/d-") }, calls.joined(separator: "\n"))
        let killAt = calls[...recordRename].filter { $0.contains("fsync(") }.count + 1
        XCTAssertTrue(calls[recordRename + 1].contains("fsync(") && calls[recordRename + 1].hasSuffix("/deployments>) = 0"), calls[recordRename + 1])

        try FileManager.default.removeItem(at: stateDirectory)
        try FileManager.default.copyItem(at: pristine, to: stateDirectory)
        let killed = try shift.startShell(script.replacingOccurrences(of: "INJECT", with: "-e inject=fsync:signal=KILL:when=\(killAt)")).wait(timeout: 60)
        XCTAssertNotEqual(killed.exitCode, 0, "\(killed)")
        // The kill came after the record and before its summary: the index's last line announces the write only.
        let lastLine = try XCTUnwrap(try String(contentsOf: indexFile, encoding: .utf8).split(separator: "\n").last)
        let announced = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(lastLine.utf8)) as? [String: Any])
        let id = try XCTUnwrap(announced["writing"] as? String, "the kill came before the summary line: \(lastLine)")
        XCTAssertNotEqual(id, earlier)
        XCTAssertTrue(FileManager.default.fileExists(atPath: stateDirectory.appendingPathComponent("accounts/default/deployments/\(id).json").path))

        // The first listing settles the unsettled write from its record, and only that record.
        XCTAssertEqual(try recordsOpened(byListingWith: strace), ["\(id).json"])
        let listed = try XCTUnwrap(try json("deployment", "list")["deployments"] as? [[String: Any]])
        XCTAssertEqual(listed.map { $0["deploymentId"] as? String }, [id, earlier], "newest first: \(listed)")
        XCTAssertEqual(listed.first?["status"] as? String, "Created")
        let got = try json("deployment", "get", id)
        XCTAssertEqual(got["deploymentId"] as? String, id)
        XCTAssertEqual(got["status"] as? String, "Created")
        // What it learnt stayed in the index: a later listing reads no record.
        XCTAssertEqual(try recordsOpened(byListingWith: strace), [])
    }
}

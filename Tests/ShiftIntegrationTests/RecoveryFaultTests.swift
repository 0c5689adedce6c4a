import Foundation
import XCTest

/// kill -9 of the deploying process at random points, then `shift recover`.
final class RecoveryFaultTests: ShiftIntegrationTestCase {
    private func aliasRouting() throws -> (version: String, weights: [String: Double]) {
        try aliasRouting("api")
    }

    private func deployments() throws -> [[String: Any]] {
        try XCTUnwrap(try json("deployment", "list")["deployments"] as? [[String: Any]])
    }

    /// Every JSON file of the state directory parses.
    private func assertEveryStateFileParses(file: StaticString = #filePath, line: UInt = #line) throws {
        let walker = FileManager.default.enumerator(at: stateDirectory, includingPropertiesForKeys: nil)
        var count = 0
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension == "json" || url.pathExtension == "controls" else { continue }
            XCTAssertNoThrow(try JSONSerialization.jsonObject(with: Data(contentsOf: url)), "\(url.path) does not parse", file: file, line: line)
            count += 1
        }
        XCTAssertGreaterThan(count, 0, file: file, line: line)
    }

    /// A slow PreTraffic hook (so that some kills land before the first shift), then four quick steps.
    private func prepare() throws {
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")
        try directory.writeScript("hooks/handler.sh", "cat >/dev/null; sleep 0.3; echo '{}'")
        createFunction("warmup", code: directory.url.appendingPathComponent("hooks"))
    }

    private func startDeployment(to version: Int) throws -> ChildProcess {
        try shift.start(["deploy", "api", "--alias", "live", "--version", String(version), "--preference", "Linear25PercentEvery1Second",
                         "--pre-traffic", "warmup", "--poll-interval", "0.1"])
    }

    func testKill9AtRandomPoints_thenRecover_restoresOriginalVersion() throws {
        try prepare()
        var generator = SystemRandomNumberGenerator()
        var original = 1
        var killedMidway = 0
        for round in 0..<8 {
            let target = original == 1 ? 2 : 1
            let recordsBefore = try deployments().count
            let deploy = try startDeployment(to: target)
            // Anywhere from before the hook ends to past the last step (the schedule takes about 3.3 s).
            usleep(UInt32.random(in: 0..<3_600_000, using: &generator))
            kill(deploy.processIdentifier, SIGKILL)
            _ = deploy.wait(timeout: 10)

            let recover = run("recover")
            XCTAssertEqual(recover.exitCode, 0, "round \(round): \(recover)")
            try assertEveryStateFileParses()
            if try deployments().count == recordsBefore {
                // Killed before the record was written: nothing had changed.
                XCTAssertEqual(try aliasRouting().version, String(original), "round \(round)")
                continue
            }
            let latest = try XCTUnwrap(try deployments().first)
            let routing = try aliasRouting()
            XCTAssertEqual(routing.weights, [:], "round \(round): the alias must not be left split")
            switch latest["status"] as? String {
            case "Succeeded":
                XCTAssertEqual(routing.version, String(target), "round \(round)")
                original = target
            case "Stopped":
                killedMidway += 1
                XCTAssertEqual(latest["rolledBack"] as? Bool, true, "round \(round): \(latest)")
                XCTAssertEqual(routing.version, String(original), "round \(round)")
            case let other:
                XCTFail("round \(round): unexpected status \(other ?? "nil"): \(latest)")
            }
            XCTAssertEqual(run("recover").stdout, "nothing to recover: no interrupted deployments\n", "round \(round): recovery is idempotent")
        }
        XCTAssertGreaterThan(killedMidway, 0, "no kill landed mid-deployment; the test proved nothing")
    }

    func testKill9MidShift_thenRecoverResume_finishesDeployment() throws {
        try prepare()
        try killDeployMidShift("api", ["--version", "2", "--preference", "Linear25PercentEvery10Seconds", "--poll-interval", "0.1"])
        let id = try XCTUnwrap(try deployments().first?["deploymentId"] as? String)
        XCTAssertEqual(try json("deployment", "get", id)["status"] as? String, "InProgress")

        let resumed = run("recover", "--resume", timeout: 120)
        XCTAssertEqual(resumed.exitCode, 0, "\(resumed)")
        let record = try json("deployment", "get", id)
        XCTAssertEqual(record["status"] as? String, "Succeeded")
        XCTAssertEqual(try aliasRouting().version, "2")
        let kinds = (record["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        XCTAssertTrue(kinds.contains("Recovered"), "\(kinds)")
    }

    func testDeployAfterDeadDeployer_withAnotherRequest_rollsTheDeadOneBackFirst() throws {
        try prepare()
        let deploy = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Canary10Percent60Seconds"])
        let limit = Date().addingTimeInterval(20)
        while try aliasRouting().weights.isEmpty, Date() < limit { usleep(50_000) }
        kill(deploy.processIdentifier, SIGKILL)
        _ = deploy.wait(timeout: 10)
        let dead = try XCTUnwrap(try deployments().first?["deploymentId"] as? String)
        let again = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        XCTAssertEqual(again.exitCode, 0, "\(again)")
        XCTAssertTrue(again.stderr.contains("deployment \(dead) was interrupted; rolling it back") || again.stdout.contains("rolling it back"), "\(again)")
        XCTAssertEqual(try json("deployment", "get", dead)["status"] as? String, "Stopped", "the dead deployment is rolled back and journalled")
        XCTAssertEqual(try aliasRouting().version, "2")
        XCTAssertEqual(run("recover").stdout, "nothing to recover: no interrupted deployments\n")
    }

    func testDeployAfterDeadDeployer_withTheSameRequest_resumesIt() throws {
        try prepare()
        let arguments = ["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Linear50PercentEvery2Seconds", "--poll-interval", "0.1"]
        let deploy = try shift.start(arguments)
        let limit = Date().addingTimeInterval(20)
        while try aliasRouting().weights.isEmpty, Date() < limit { usleep(50_000) }
        kill(deploy.processIdentifier, SIGKILL)
        _ = deploy.wait(timeout: 10)
        let dead = try XCTUnwrap(try deployments().first?["deploymentId"] as? String)
        let again = shift.run(arguments, timeout: 60)
        XCTAssertEqual(again.exitCode, 0, "\(again)")
        let record = try json("deployment", "get", dead)
        XCTAssertEqual(record["status"] as? String, "Succeeded", "the same deployment finished")
        XCTAssertEqual(try deployments().count, 1, "no second deployment")
        XCTAssertEqual(try aliasRouting().version, "2")
    }

    func testTruncatedDeploymentRecord_isReportedWithItsPath() throws {
        try prepare()
        succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        let id = try XCTUnwrap(try deployments().first?["deploymentId"] as? String)
        let file = stateDirectory.appendingPathComponent("accounts/default/deployments/\(id).json")
        let data = try Data(contentsOf: file)
        try data.prefix(data.count / 3).write(to: file)
        let result = run("deployment", "get", id)
        assertBadInput(result, mentions: [file.lastPathComponent])
    }
}

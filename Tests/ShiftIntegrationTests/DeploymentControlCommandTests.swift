import Foundation
import XCTest

/// `shift deployment pause|resume|promote` from one process reaching `shift deploy` in another, end to end with the
/// real binary on the local platform, intervals in seconds (issue 14).
final class DeploymentControlCommandTests: ShiftIntegrationTestCase {
    /// `api` with versions 1 and 2 and alias `live` on version 1.
    private func prepareAPI() {
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")
    }

    private func onlyDeploymentID() throws -> String {
        let deployments = try XCTUnwrap(try json("deployment", "list")["deployments"] as? [[String: Any]])
        return try XCTUnwrap(deployments.first?["deploymentId"] as? String)
    }

    /// Waits (polling the real state) until `condition` holds of the alias's routing.
    private func waitForRouting(timeout: TimeInterval = 20, _ what: String, _ condition: ((version: String, weights: [String: Double])) -> Bool,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let limit = Date().addingTimeInterval(timeout)
        while Date() < limit {
            if condition(try aliasRouting("api")) { return }
            usleep(20_000)
        }
        XCTFail("the alias never \(what): \(try aliasRouting("api"))", file: file, line: line)
    }

    /// Waits until the deployment's record has an event of `kind`.
    private func waitForEvent(_ kind: String, of id: String, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) throws {
        let limit = Date().addingTimeInterval(timeout)
        while Date() < limit {
            let events = try json("deployment", "get", id)["events"] as? [[String: Any]] ?? []
            if events.contains(where: { $0["kind"] as? String == kind }) { return }
            usleep(20_000)
        }
        XCTFail("no \(kind) event", file: file, line: line)
    }

    private func eventKinds(_ output: String) -> [String] {
        output.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["kind"] as? String
        }
    }

    func testPauseThenResume_fromAnotherProcess_holdsPastTheStepThenFinishes() throws {
        prepareAPI()
        let deploy = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Canary50Percent10Seconds",
                                      "--poll-interval", "0.05", "--output", "json"])
        try waitForRouting("split", { !$0.weights.isEmpty })
        let id = try onlyDeploymentID()
        succeed("deployment", "pause", id)
        try waitForEvent("Paused", of: id)
        XCTAssertTrue(try json("deployment", "get", id)["paused"] as? String != nil)
        sleep(11)
        XCTAssertEqual(try aliasRouting("api").weights, ["2": 0.5], "held past the 10-second step")
        succeed("deployment", "resume", id)
        let ended = deploy.wait(timeout: 30)

        XCTAssertEqual(ended.exitCode, 0, "\(ended)")
        XCTAssertEqual(try aliasRouting("api").version, "2")
        let kinds = eventKinds(ended.stdout)
        XCTAssertEqual(kinds.filter { ["Paused", "Resumed"].contains($0) }, ["Paused", "Resumed"], "\(kinds)")
    }

    func testPromote_endsAMinuteLongStepNow_andFullSkipsTheRest() throws {
        prepareAPI()
        let deploy = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Linear20PercentEvery60Seconds",
                                      "--poll-interval", "0.05"])
        try waitForRouting("split", { $0.weights == ["2": 0.2] })
        let id = try onlyDeploymentID()
        succeed("deployment", "promote", id)
        try waitForRouting(timeout: 10, "reached 40%", { $0.weights == ["2": 0.4] })
        succeed("deployment", "promote", id, "--full")
        let ended = deploy.wait(timeout: 15)

        XCTAssertEqual(ended.exitCode, 0, "\(ended)")
        XCTAssertLessThan(ended.seconds, 30, "promoted instead of waiting 4 minutes")
        XCTAssertEqual(try aliasRouting("api").version, "2")
        XCTAssertEqual(try aliasRouting("api").weights, [:])
        XCTAssertTrue(ended.stdout.contains("promoted by"), ended.stdout)
    }

    func testPauseLine_inAStepList_waitsForPromote_andDryRunShowsIt() throws {
        prepareAPI()
        let steps = try directory.writeScript("plan.steps", "30% 1s\npause\n60% 1s\n100%\n")
        let plan = succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference-file", steps.path, "--dry-run")
        XCTAssertTrue(plan.stdout.contains("THEN"), plan.stdout)
        XCTAssertTrue(plan.stdout.split(separator: "\n").contains { $0.hasPrefix("+0s") && $0.hasSuffix("pause") }, plan.stdout)
        let json = try XCTUnwrap(try self.json("deploy", "api", "--alias", "live", "--version", "2", "--preference-file", steps.path, "--dry-run")["timeline"] as? [[String: Any]])
        XCTAssertEqual(json.first?["then"] as? [String], ["pause"])

        let deploy = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference-file", steps.path, "--poll-interval", "0.05"])
        try waitForRouting("split", { !$0.weights.isEmpty })
        let id = try onlyDeploymentID()
        try waitForEvent("Paused", of: id)
        sleep(2)
        XCTAssertEqual(try aliasRouting("api").weights, ["2": 0.3], "held at the pause line")
        succeed("deployment", "promote", id)
        XCTAssertEqual(deploy.wait(timeout: 20).exitCode, 0)
        XCTAssertEqual(try aliasRouting("api").version, "2")
    }

    func testPause_survivesKill9_andRecoverResume_thenResumeFinishes() throws {
        prepareAPI()
        let deploy = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Canary50Percent10Seconds", "--poll-interval", "0.05"])
        try waitForRouting("split", { !$0.weights.isEmpty })
        let id = try onlyDeploymentID()
        succeed("deployment", "pause", id)
        try waitForEvent("Paused", of: id)
        kill(deploy.processIdentifier, SIGKILL)
        _ = deploy.wait(timeout: 10)

        let recover = try shift.start(["recover", "--resume"])
        try waitForEvent("Recovered", of: id)
        sleep(11)
        XCTAssertEqual(try aliasRouting("api").weights, ["2": 0.5], "still paused after recovery, past the 10-second step")
        XCTAssertNotNil(try json("deployment", "get", id)["paused"] as? String)
        succeed("deployment", "resume", id)
        let ended = recover.wait(timeout: 30)

        XCTAssertEqual(ended.exitCode, 0, "\(ended)")
        XCTAssertEqual(try aliasRouting("api").version, "2")
    }

    func testControlOnAFinishedOrUnknownDeployment_isAOneLineErrorExitingTwo() throws {
        prepareAPI()
        succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        let id = try onlyDeploymentID()
        for control in [["pause"], ["resume"], ["promote"], ["promote", "--full"], ["stop"]] {
            assertBadInput(shift.run(["deployment"] + [control[0], id] + control.dropFirst()), mentions: [id, "already ended (Succeeded)"])
        }
        assertBadInput(run("deployment", "pause", "d-NOSUCHONE"), mentions: ["d-NOSUCHONE", "not found"])
    }
}

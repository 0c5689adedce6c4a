import Foundation
import ShiftTestSupport
import XCTest

/// The pipeline commands with the real binary: the shipped examples end to end, approvals from a second process,
/// rejection, approval timeout, kill -9 of the runner mid-build and mid-deploy then resume, and bad files.
final class PipelineCommandTests: ShiftIntegrationTestCase {
    static let pipelinesDirectory = examplesDirectory.deletingLastPathComponent().appendingPathComponent("Pipelines")

    private func pipeline(_ name: String) -> String { Self.pipelinesDirectory.appendingPathComponent(name).path }

    /// A pipeline file in the test's directory: `name`, building Examples/echo into artifact `orders`, then `stages`.
    private func writePipeline(_ stages: String, build: String = "mkdir -p out && cp handler.sh out/ && echo $SHIFT_RUN_ID > out/RELEASE", parameters: String = "[]") throws -> String {
        let file = directory.url.appendingPathComponent("pipeline-\(UUID().uuidString.prefix(6)).yml")
        let text = """
            name: custom
            accounts: {dev: {platform: local}}
            source: {directory: \(example("echo").path)}
            parameters: \(parameters)
            functions: {orders: {artifact: orders, handler: ./handler.sh}}
            stages:
              - {name: build, type: build, commands: ['\(build)'], artifacts: {orders: out}}
            \(stages)
            """
        try Data(text.utf8).write(to: file)
        return file.path
    }

    private func status(_ run: String) throws -> [String: Any] {
        try json("pipeline", "status", run)
    }

    private func stage(_ run: String, _ name: String) throws -> [String: Any] {
        let stages = try XCTUnwrap(try status(run)["stages"] as? [[String: Any]])
        return try XCTUnwrap(stages.first { $0["name"] as? String == name })
    }

    /// The id of the newest run.
    private func latestRun(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let runs = try XCTUnwrap(try json("pipeline", "list")["runs"] as? [[String: Any]], file: file, line: line)
        return try XCTUnwrap(runs.first?["runId"] as? String, file: file, line: line)
    }

    /// The status of stage `name` of the newest run, or nil while there is none; records no failure, for polling.
    private func peekStage(_ name: String) -> (run: String, status: String)? {
        guard let runs = try? run("pipeline", "list", "--output", "json").jsonObject()["runs"] as? [[String: Any]],
              let id = runs.first?["runId"] as? String,
              let stages = try? run("pipeline", "status", id, "--output", "json").jsonObject()["stages"] as? [[String: Any]],
              let status = stages.first(where: { $0["name"] as? String == name })?["status"] as? String else { return nil }
        return (id, status)
    }

    /// Polls until `condition` holds (reading state through the binary), at most `timeout` seconds.
    private func waitUntil(_ what: String, timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line, _ condition: () throws -> Bool) {
        let limit = Date().addingTimeInterval(timeout)
        while Date() < limit {
            if (try? condition()) == true { return }
            usleep(100_000)
        }
        XCTFail("timed out waiting until \(what)", file: file, line: line)
    }

    private func aliasVersion(_ function: String, account: String) -> String? {
        let result = run("alias", "get", function, "live", "--account", account, "--output", "json")
        guard result.exitCode == 0, let object = try? result.jsonObject() else { return nil }
        return object["FunctionVersion"] as? String
    }

    /// Whether `function:live` routes to two versions now (a deployment is holding mid-shift).
    private func aliasIsSplit(_ function: String, account: String) -> Bool {
        let alias = try? run("alias", "get", function, "live", "--account", account, "--output", "json").jsonObject()
        let routing = alias?["RoutingConfig"] as? [String: Any]
        return (routing?["AdditionalVersionWeights"] as? [String: Any])?.isEmpty == false
    }

    // MARK: validate

    func testValidate_everyExample_isValid() {
        for name in ["orders.yml", "failing-test.yml", "staging-alarm.yml", "two-functions.yml"] {
            let result = run("pipeline", "validate", pipeline(name))
            XCTAssertEqual(result.exitCode, 0, "\(result)")
        }
    }

    func testValidate_reportsEveryError_withFileLineAndColumn_exit2() throws {
        let file = directory.url.appendingPathComponent("bad.yml")
        try Data("name: x\naccounts: {dev: {platform: lokal}}\nsource: {directory: .}\nstages:\n  - {name: a, type: deploy, account: prod, functions: [{function: f, alias: live, preference: Fast}]}\n".utf8).write(to: file)
        let result = run("pipeline", "validate", file.path)
        XCTAssertEqual(result.exitCode, 2, "\(result)")
        XCTAssertTrue(result.stderr.contains("\(file.path):2:28: accounts.dev.platform: is 'lokal'; expected local or aws"), result.stderr)
        XCTAssertTrue(result.stderr.contains("\(file.path):5:"), result.stderr)
        XCTAssertTrue(result.stderr.contains("stages[0].functions[0].preference"), result.stderr)
        let json = run("pipeline", "validate", file.path, "--output", "json")
        XCTAssertEqual(json.exitCode, 2)
        XCTAssertEqual(try json.jsonObject()["valid"] as? Bool, false)
    }

    /// Mutated copies of the examples, through the binary: each is a position-bearing error or valid, never a crash.
    func testMalformedFiles_neverCrashTheBinary() throws {
        var generator = SeededGenerator(seed: 42)
        let text = try String(contentsOfFile: pipeline("orders.yml"), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        for round in 0..<12 {
            let index = Int.random(in: 0..<lines.count, using: &generator)
            switch round % 3 {
            case 0: lines[index] = String(lines[index].shuffled(using: &generator))
            case 1: lines.insert("  \(["{", "- ]", ": :", "\t", "&x *y"].randomElement(using: &generator)!)", at: index)
            default: lines.remove(at: index)
            }
            let file = directory.url.appendingPathComponent("mutated-\(round).yml")
            try Data(lines.joined(separator: "\n").utf8).write(to: file)
            let result = run("pipeline", "validate", file.path)
            XCTAssertTrue([0, 2].contains(result.exitCode), "round \(round) crashed: \(result)")
            if result.exitCode == 2 {
                XCTAssertTrue(result.stderr.contains("\(file.path):"), "round \(round): no position: \(result)")
            }
        }
    }

    // MARK: The examples

    /// Orders through dev, staging and prod twice: the first run creates the aliases, the second shifts them, with
    /// the prod approval given by a second process while the runner waits.
    func testOrdersExample_endToEnd_withApprovalFromASecondProcess() throws {
        let first = run("pipeline", "run", pipeline("orders.yml"), "--no-wait")
        XCTAssertEqual(first.exitCode, 3, "waiting at the approval: \(first)")
        let firstRun = try latestRun()
        XCTAssertTrue(first.stdout.hasPrefix("run \(firstRun)\n"), first.stdout)
        XCTAssertEqual(try status(firstRun)["status"] as? String, "Waiting")
        succeed("approve", firstRun, "--stage", "approve-prod", "--by", "alice", "--comment", "first release")
        XCTAssertEqual(run("pipeline", "resume", firstRun, "--no-wait").exitCode, 0)
        XCTAssertEqual(aliasVersion("orders", account: "prod"), "1")

        let runner = try shift.start(["pipeline", "run", pipeline("orders.yml"), "--wait"])
        waitUntil("the second run waits at approve-prod") {
            guard let gate = peekStage("approve-prod") else { return false }
            return gate.run != firstRun && gate.status == "Running"
        }
        let secondRun = try latestRun()
        XCTAssertEqual(aliasVersion("orders", account: "staging"), "2", "staging shifted before the gate")
        XCTAssertEqual(aliasVersion("orders", account: "prod"), "1", "prod waits for the approval")
        let refused = run("approve", secondRun, "--stage", "approve-prod", "--by", "mallory")
        XCTAssertEqual(refused.exitCode, 2, "not an approver: \(refused)")
        succeed("approve", secondRun, "--stage", "approve-prod", "--by", "bob", "--comment", "canary clean")
        let result = runner.wait(timeout: 60)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("approved by bob: canary clean"), result.stdout)
        XCTAssertEqual(aliasVersion("orders", account: "prod"), "2")
        let prod = try stage(secondRun, "prod")
        let deployment = try XCTUnwrap((prod["deployments"] as? [[String: Any]])?.first)
        XCTAssertEqual(deployment["version"] as? Int, 2)
        XCTAssertEqual(deployment["originalVersion"] as? Int, 1)
        XCTAssertEqual(try stage(secondRun, "approve-prod")["decision"].flatMap { ($0 as? [String: Any])?["by"] as? String }, "bob")
        let artifacts = try XCTUnwrap(try stage(secondRun, "build")["artifacts"] as? [[String: Any]])
        XCTAssertEqual((artifacts.first?["sha256"] as? String)?.count, 44, "a base64 SHA-256")
    }

    func testFailingTestExample_stopsTheRun_andDeploysNothing() throws {
        let result = run("pipeline", "run", pipeline("failing-test.yml"))
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertTrue(result.stderr.contains("failed at stage test"), result.stderr)
        XCTAssertTrue(result.stderr.contains("contract test failed"), "the reason carries the last output: \(result.stderr)")
        XCTAssertNil(aliasVersion("orders", account: "dev"))
        let id = try latestRun()
        XCTAssertEqual(try stage(id, "dev")["status"] as? String, "Pending")
        let log = succeed("pipeline", "logs", id, "--stage", "test")
        XCTAssertTrue(log.stdout.contains("contract test failed: no status field"), log.stdout)
    }

    func testStagingAlarmExample_rollsStagingBack_andLeavesProdUntouched() throws {
        let result = run("pipeline", "run", pipeline("staging-alarm.yml"))
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertTrue(result.stderr.contains("payments-staging-errors is in ALARM"), result.stderr)
        XCTAssertEqual(aliasVersion("payments", account: "staging"), "1")
        XCTAssertNil(aliasVersion("payments", account: "prod"))
    }

    func testTwoFunctionsExample_oneRollsBack_andTakesTheOtherWithIt() throws {
        let result = run("pipeline", "run", pipeline("two-functions.yml"))
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertEqual(aliasVersion("payments", account: "dev"), "1")
        XCTAssertEqual(aliasVersion("orders", account: "dev"), "1")
        let release = try XCTUnwrap(try stage(try latestRun(), "release")["deployments"] as? [[String: Any]])
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: release.map { ($0["function"] as? String ?? "", $0["status"] as? String ?? "") }),
                       ["orders": "RolledBack", "payments": "Failed"])
    }

    // MARK: Approvals

    func testReject_failsTheRun_exit1_andTheNextStageNeverRuns() throws {
        let file = try writePipeline("  - {name: gate, type: approval}\n  - {name: dev, type: deploy, account: dev, functions: [{function: orders, alias: live, preference: AllAtOnce}]}")
        XCTAssertEqual(run("pipeline", "run", file).exitCode, 3)
        let id = try latestRun()
        XCTAssertEqual(run("reject", id, "--stage", "gate").exitCode, 2, "a rejection needs --comment")
        succeed("reject", id, "--stage", "gate", "--comment", "not today")
        let resumed = run("pipeline", "resume", id)
        XCTAssertEqual(resumed.exitCode, 1, "\(resumed)")
        XCTAssertTrue(resumed.stderr.contains("rejected by"), resumed.stderr)
        XCTAssertEqual(try stage(id, "gate")["status"] as? String, "Rejected")
        XCTAssertNil(aliasVersion("orders", account: "dev"))
        XCTAssertEqual(run("approve", id, "--stage", "gate").exitCode, 2, "decided once")
    }

    func testApprovalTimeout_failsTheRun_asARejection() throws {
        let file = try writePipeline("  - {name: gate, type: approval, timeout: 1}")
        let result = run("pipeline", "run", file, "--wait")
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertTrue(result.stderr.contains("counts as a rejection"), result.stderr)
        XCTAssertEqual(try stage(try latestRun(), "gate")["status"] as? String, "TimedOut")
    }

    func testSecondRunnerOnTheSameRun_exits5() throws {
        let file = try writePipeline("  - {name: gate, type: approval}")
        let runner = try shift.start(["pipeline", "run", file, "--wait"])
        waitUntil("the run waits at the gate") { peekStage("gate")?.status == "Running" }
        let id = try latestRun()
        let second = run("pipeline", "resume", id)
        XCTAssertEqual(second.exitCode, 5, "\(second)")
        XCTAssertEqual(try status(id)["status"] as? String, "Running")
        succeed("approve", id, "--stage", "gate")
        XCTAssertEqual(runner.wait(timeout: 30).exitCode, 0)
    }

    // MARK: kill -9, then resume

    /// Kills `runner` with SIGKILL, checks that its run reads as Interrupted, resumes it and expects success.
    private func killAndResume(_ runner: ChildProcess, file: StaticString = #filePath, line: UInt = #line) throws -> (run: String, resumed: ProcessResult) {
        kill(runner.processIdentifier, SIGKILL)
        _ = runner.wait(timeout: 10)
        let id = try latestRun(file: file, line: line)
        XCTAssertEqual(try status(id)["status"] as? String, "Interrupted", file: file, line: line)
        let resumed = run("pipeline", "resume", id)
        XCTAssertEqual(resumed.exitCode, 0, "\(resumed)", file: file, line: line)
        return (id, resumed)
    }

    func testKill9MidBuild_thenResume_runsTheBuildAgain_andFinishes() throws {
        let file = try writePipeline("  - {name: dev, type: deploy, account: dev, functions: [{function: orders, alias: live, preference: AllAtOnce}]}",
                                     build: "sleep 1; mkdir -p out && cp handler.sh out/")
        let runner = try shift.start(["pipeline", "run", file])
        waitUntil("the build runs") { peekStage("build")?.status == "Running" }
        let (id, _) = try killAndResume(runner)
        XCTAssertEqual(try stage(id, "build")["attempts"] as? Int, 2)
        XCTAssertEqual(aliasVersion("orders", account: "dev"), "1")
    }

    func testKill9MidDeploy_thenResume_finishesTheDeployment() throws {
        let file = try writePipeline("  - {name: dev, type: deploy, account: dev, functions: [{function: orders, alias: live, preference: Linear50PercentEvery2Seconds, pollInterval: 0.2}]}")
        XCTAssertEqual(run("pipeline", "run", file).exitCode, 0, "the first run creates the alias at version 1")
        let runner = try shift.start(["pipeline", "run", file])
        waitUntil("the deployment holds at 50%") { aliasIsSplit("orders", account: "dev") }
        let (id, resumed) = try killAndResume(runner)
        XCTAssertTrue(resumed.stdout.contains("was interrupted; resuming it"), resumed.stdout)
        XCTAssertEqual(aliasVersion("orders", account: "dev"), "2")
        let deployments = try XCTUnwrap(try json("deployment", "list", "--account", "dev")["deployments"] as? [[String: Any]])
        XCTAssertEqual(deployments.filter { $0["status"] as? String == "InProgress" }.count, 0, "nothing left in progress")
        XCTAssertEqual(try stage(id, "dev")["attempts"] as? Int, 2)
    }

    // MARK: Damaged files and dead runners

    func testDamagedApprovalFile_resumeExits2WritingNothing_statusAndListNameIt_andRestoringItContinues() throws {
        let file = try writePipeline("  - {name: gate, type: approval}\n  - {name: dev, type: deploy, account: dev, functions: [{function: orders, alias: live, preference: AllAtOnce}]}")
        XCTAssertEqual(run("pipeline", "run", file).exitCode, 3)
        let id = try latestRun()
        succeed("approve", id, "--stage", "gate")
        let approval = stateDirectory.appendingPathComponent("pipelines/runs/\(id)/approvals/gate.json")
        let original = try Data(contentsOf: approval)
        try original.prefix(original.count / 2).write(to: approval)

        let resumed = try assertStateUnchanged { run("pipeline", "resume", id) }
        assertBadInput(resumed, mentions: [approval.path, "restore it from a backup"])
        assertBadInput(run("pipeline", "status", id), mentions: [approval.path])
        let list = run("pipeline", "list")
        XCTAssertEqual(list.exitCode, 0, "\(list)")
        XCTAssertTrue(list.stdout.contains(id), list.stdout)
        XCTAssertTrue(list.stderr.contains("warning: run file \(approval.path) is unreadable"), list.stderr)

        try original.write(to: approval)
        let continued = run("pipeline", "resume", id)
        XCTAssertEqual(continued.exitCode, 0, "\(continued)")
        XCTAssertEqual(aliasVersion("orders", account: "dev"), "1")
    }

    func testKill9OfTheRunner_showsItsStageInterrupted_withADurationThatStopsGrowing() throws {
        let file = try writePipeline("", build: "sleep 30")
        let runner = try shift.start(["pipeline", "run", file])
        waitUntil("the build runs") { peekStage("build")?.status == "Running" }
        kill(runner.processIdentifier, SIGKILL)
        _ = runner.wait(timeout: 10)
        let id = try latestRun()
        let first = try stage(id, "build")
        XCTAssertEqual(first["status"] as? String, "Interrupted", "\(first)")
        XCTAssertTrue((first["reason"] as? String)?.contains("shift pipeline resume \(id)") == true, "\(first)")
        usleep(1_200_000)
        XCTAssertEqual(try stage(id, "build")["durationSeconds"] as? Double, first["durationSeconds"] as? Double)
        XCTAssertTrue(run("pipeline", "status", id).stdout.contains("Interrupted"))
    }

    func testRunKilledWhilePinningItsSource_leavesNoRunDirectory() throws {
        let source = directory.url.appendingPathComponent("big-source")
        for index in 0..<3000 {
            let sub = source.appendingPathComponent("d\(index % 30)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            try Data(count: 2048).write(to: sub.appendingPathComponent("f\(index)"))
        }
        let file = directory.url.appendingPathComponent("big.yml")
        try Data("""
            name: big
            accounts: {dev: {platform: local}}
            source: {directory: \(source.path)}
            stages:
              - {name: build, type: build, commands: ['true']}
            """.utf8).write(to: file)
        let runs = stateDirectory.appendingPathComponent("pipelines/runs")
        let runner = try shift.start(["pipeline", "run", file.path])
        waitUntil("the source is being copied", timeout: 30) {
            ((try? FileManager.default.contentsOfDirectory(atPath: runs.path)) ?? []).contains { name in
                FileManager.default.fileExists(atPath: runs.appendingPathComponent(name).appendingPathComponent("source").path)
            }
        }
        kill(runner.processIdentifier, SIGKILL)
        _ = runner.wait(timeout: 10)
        let left = try FileManager.default.contentsOfDirectory(atPath: runs.path)
        XCTAssertEqual(left.filter { $0.hasPrefix("p-") }, [], "a run directory without its record")
        let list = run("pipeline", "list")
        XCTAssertEqual(list.stderr, "", "\(list)")
        // The next run (of any pipeline) clears what the killed one left.
        XCTAssertEqual(run("pipeline", "run", try writePipeline("")).exitCode, 0)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: runs.path).filter { $0.hasPrefix(".staging-") }, [])
    }

    // MARK: Signals

    func testSIGINTDuringABuild_killsTheCommand_andExits130_resumable() throws {
        let file = try writePipeline("", build: "sleep 30; mkdir -p out")
        let runner = try shift.start(["pipeline", "run", file])
        waitUntil("the build runs") { peekStage("build")?.status == "Running" }
        usleep(200_000)
        kill(runner.processIdentifier, SIGINT)
        let result = runner.wait(timeout: 10)
        XCTAssertEqual(result.exitCode, 130, "\(result)")
        XCTAssertLessThan(result.seconds, 10, "the command was killed, not waited for")
        XCTAssertEqual(try stage(try latestRun(), "build")["status"] as? String, "Interrupted")
        XCTAssertTrue(result.stderr.contains("pipeline resume"), result.stderr)
    }

    func testSIGINTDuringADeploy_rollsBack_andExits130() throws {
        let file = try writePipeline("  - {name: dev, type: deploy, account: dev, functions: [{function: orders, alias: live, preference: Canary50Percent30Seconds, pollInterval: 0.2}]}")
        XCTAssertEqual(run("pipeline", "run", file).exitCode, 0)
        let runner = try shift.start(["pipeline", "run", file])
        waitUntil("the canary holds") { aliasIsSplit("orders", account: "dev") }
        kill(runner.processIdentifier, SIGINT)
        let result = runner.wait(timeout: 20)
        XCTAssertEqual(result.exitCode, 130, "\(result)")
        XCTAssertTrue(result.stdout.contains("interrupted by SIGINT"), result.stdout)
        XCTAssertEqual(aliasVersion("orders", account: "dev"), "1")
        XCTAssertEqual(try stage(try latestRun(), "dev")["status"] as? String, "Interrupted")
    }

    // MARK: Secrets

    func testParameters_areMaskedInOutputStatusAndLogs() throws {
        let key = ["SHIFT_MASTER_KEY": Data((0..<32).map { UInt8($0) }).base64EncodedString()]
        XCTAssertEqual(run("param", "put", "/shop/token", "--type", "SecureString", "--value-stdin", "--account", "dev", standardInput: Data("hunter2-secret".utf8), environment: key).exitCode, 0)
        let file = try writePipeline("", build: "echo token={{param:/shop/token}}; mkdir -p out && cp handler.sh out/", parameters: "[/shop/token]")
        let result = run("pipeline", "run", file, "--output", "json", environment: key)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("token=****"), result.stdout)
        let id = try latestRun()
        let everything = [result.stdout, result.stderr, run("pipeline", "status", id, "--output", "json").stdout,
                          try String(contentsOf: stateDirectory.appendingPathComponent("pipelines/runs/\(id)/logs/build.log"), encoding: .utf8),
                          try String(contentsOf: stateDirectory.appendingPathComponent("pipelines/runs/\(id)/run.json"), encoding: .utf8)]
        for text in everything { XCTAssertFalse(text.contains("hunter2"), text) }
    }
}

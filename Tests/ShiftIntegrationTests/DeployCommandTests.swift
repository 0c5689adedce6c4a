import Foundation
import XCTest

/// `shift deploy` end to end with the real binary on the local platform, intervals in seconds.
final class DeployCommandTests: ShiftIntegrationTestCase {
    /// `api` with versions 1 and 2 and alias `live` on version 1.
    private func prepareAPI(example: String = "echo") {
        createFunctionWithTwoVersions("api", example: example)
        succeed("alias", "create", "api", "live", "--version", "1")
    }

    private func alias() throws -> (version: String, weights: [String: Double], revision: String) {
        let json = try self.json("alias", "get", "api", "live")
        let weights = (json["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:]
        return (json["FunctionVersion"] as? String ?? "", weights, json["RevisionId"] as? String ?? "")
    }

    private func deployment(_ id: String) throws -> [String: Any] {
        try json("deployment", "get", id)
    }

    private func onlyDeploymentID() throws -> String {
        let list = try json("deployment", "list")
        let deployments = try XCTUnwrap(list["deployments"] as? [[String: Any]])
        return try XCTUnwrap(deployments.first?["deploymentId"] as? String)
    }

    /// Waits (polling the real state) until the alias splits traffic.
    private func waitForSplit(timeout: TimeInterval = 20) throws {
        let limit = Date().addingTimeInterval(timeout)
        while Date() < limit {
            if try !alias().weights.isEmpty { return }
            usleep(50_000)
        }
        XCTFail("the alias never split traffic")
    }

    func testCanaryInSeconds_succeedsAndMovesAliasToTarget() throws {
        prepareAPI()
        let result = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "Canary50Percent1Second")
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("step 1/2: api:live routes 1 (50%) + 2 (50%)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("succeeded: api:live is at version 2 (100%)"), result.stdout)
        let current = try alias()
        XCTAssertEqual(current.version, "2")
        XCTAssertEqual(current.weights, [:])
        let record = try deployment(try onlyDeploymentID())
        XCTAssertEqual(record["status"] as? String, "Succeeded")
        XCTAssertEqual(record["rolledBack"] as? Bool, false)
        XCTAssertEqual(record["originalVersion"] as? Int, 1)
        XCTAssertEqual(record["targetVersion"] as? Int, 2)
        let kinds = (record["events"] as? [[String: Any]])?.compactMap { $0["kind"] as? String } ?? []
        XCTAssertEqual(kinds, ["Created", "ShiftStarted", "Shifted", "ShiftStarted", "Shifted", "Succeeded"])
    }

    func testJSONOutput_isOneEventPerLineThenSummary() throws {
        prepareAPI()
        let result = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--output", "json")
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let objects = try lines.map { try XCTUnwrap(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], $0) }
        XCTAssertEqual(objects.first?["kind"] as? String, "Created")
        XCTAssertEqual(objects.last?["status"] as? String, "Succeeded")
        XCTAssertNotNil(objects.last?["deploymentId"] as? String)
    }

    func testRealErrorsThroughAlarm_rollBackToOriginal() throws {
        createFunction("api", example: "flaky", "--env", "ERROR_RATE=0")
        XCTAssertEqual(publish("api"), 1)
        succeed("function", "update", "api", "--env", "ERROR_RATE=100")
        XCTAssertEqual(publish("api"), 2)
        succeed("alias", "create", "api", "live", "--version", "1")
        putErrorsAlarm("api-errors", function: "api")
        let traffic = try shift.start(["traffic", "api:live", "--rate", "20", "--duration", "12"])
        let result = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "Canary50Percent30Seconds",
                         "--alarm", "api-errors", "--poll-interval", "0.2", timeout: 60)
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertLessThan(result.seconds, 20, "the alarm should end the 30-second canary early")
        XCTAssertTrue(result.stderr.contains("rolled back to version 1"), result.stderr)
        XCTAssertEqual(try alias().version, "1")
        XCTAssertEqual(try alias().weights, [:])
        let record = try deployment(try onlyDeploymentID())
        XCTAssertEqual(record["status"] as? String, "Failed")
        XCTAssertEqual(record["rolledBack"] as? Bool, true)
        XCTAssertTrue((record["reason"] as? String)?.contains("alarm api-errors is in ALARM") == true, "\(record)")
        _ = traffic.wait()
        let metrics = try recordedMetrics("api")
        XCTAssertGreaterThan(metrics.errors["2"] ?? 0, 0, "version 2 failed for real")
    }

    func testSecondDeploymentOnSameAlias_exitsFiveNamingTheFirst_andStopRollsBack() throws {
        prepareAPI()
        let first = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Canary50Percent60Seconds", "--poll-interval", "0.2"])
        try waitForSplit()
        let id = try onlyDeploymentID()
        let second = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce")
        XCTAssertEqual(second.exitCode, 5, "\(second)")
        XCTAssertTrue(second.stderr.contains(id), second.stderr)

        let stop = run("deployment", "stop", id)
        XCTAssertEqual(stop.exitCode, 0, "\(stop)")
        let ended = first.wait(timeout: 30)
        XCTAssertEqual(ended.exitCode, 1, "\(ended)")
        let record = try deployment(id)
        XCTAssertEqual(record["status"] as? String, "Stopped")
        XCTAssertEqual(record["rolledBack"] as? Bool, true)
        XCTAssertEqual(try alias().version, "1")
        XCTAssertEqual(try alias().weights, [:])
    }

    func testStopWithoutRollback_leavesTrafficSplit() throws {
        prepareAPI()
        let first = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Canary30Percent60Seconds", "--poll-interval", "0.2"])
        try waitForSplit()
        let id = try onlyDeploymentID()
        XCTAssertEqual(run("deployment", "stop", id, "--no-rollback").exitCode, 0)
        XCTAssertEqual(first.wait(timeout: 30).exitCode, 1)
        let record = try deployment(id)
        XCTAssertEqual(record["status"] as? String, "Stopped")
        XCTAssertEqual(record["rolledBack"] as? Bool, false)
        XCTAssertEqual(try alias().weights, ["2": 0.3])
    }

    func testSIGTERM_rollsBackThenExits130() throws {
        prepareAPI()
        let deploy = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Linear20PercentEvery30Seconds"])
        try waitForSplit()
        kill(deploy.processIdentifier, SIGTERM)
        let ended = deploy.wait(timeout: 30)
        XCTAssertEqual(ended.exitCode, 130, "\(ended)")
        let record = try deployment(try onlyDeploymentID())
        XCTAssertEqual(record["status"] as? String, "Stopped")
        XCTAssertEqual(record["rolledBack"] as? Bool, true)
        XCTAssertTrue((record["reason"] as? String)?.contains("SIGTERM") == true, "\(record)")
        XCTAssertEqual(try alias().version, "1")
    }

    func testPreTrafficHookFailure_neverMovesTraffic() throws {
        prepareAPI()
        let hooks = directory.url.appendingPathComponent("hooks")
        try directory.writeScript("hooks/handler.sh", #"cat >/dev/null; echo '{"status": "Failed", "reason": "smoke test found 3 errors"}'"#)
        createFunction("gate", code: hooks)
        let before = try alias().revision
        let result = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--pre-traffic", "gate")
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("smoke test found 3 errors"), result.stdout)
        XCTAssertEqual(try alias().revision, before, "the alias was never touched")
        XCTAssertEqual(try deployment(try onlyDeploymentID())["status"] as? String, "Failed")
    }

    func testHookReceivesDeploymentEventWithTargetVersion() throws {
        prepareAPI()
        let seen = directory.url.appendingPathComponent("seen.json")
        try directory.writeScript("hooks/handler.sh", "cat > '\(seen.path)'; echo '{}'")
        createFunction("check", code: directory.url.appendingPathComponent("hooks"))
        succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--post-traffic", "check")
        let event = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: seen)) as? [String: Any])
        XCTAssertEqual(event["FunctionName"] as? String, "api")
        XCTAssertEqual(event["Alias"] as? String, "live")
        XCTAssertEqual(event["CurrentVersion"] as? String, "1")
        XCTAssertEqual(event["TargetVersion"] as? String, "2")
        XCTAssertEqual(event["LifecycleEvent"] as? String, "PostTraffic")
        XCTAssertEqual(event["DeploymentId"] as? String, try onlyDeploymentID())
        XCTAssertNotNil(event["LifecycleEventHookExecutionId"] as? String)
    }

    func testAlarmAlreadyInAlarm_isRefusedUnlessAllowed() throws {
        prepareAPI()
        succeed("alarm", "put", "hot", "--function", "api", "--metric", "Errors", "--statistic", "Sum", "--period", "3600",
                "--evaluation-periods", "1", "--threshold", "1", "--comparison", "GreaterThanThreshold")
        succeed("alarm", "set-state", "hot", "--state", "ALARM", "--reason", "incident")
        let refused = try assertStateUnchanged {
            run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--alarm", "hot")
        }
        assertBadInput(refused, mentions: ["hot", "ALARM", "--allow-alarming"])
        let allowed = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--alarm", "hot", "--allow-alarming")
        XCTAssertEqual(allowed.exitCode, 0, "\(allowed)")
        XCTAssertEqual(try alias().version, "2")
    }

    func testDryRun_printsTimelineAndChangesNothing() throws {
        prepareAPI()
        let result = try assertStateUnchanged {
            run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "Linear10PercentEvery10Minutes", "--dry-run")
        }
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("+0s     10%"), result.stdout)
        XCTAssertTrue(result.stdout.contains("+1h30m  100%"), result.stdout)
    }

    func testAlreadyAtTarget_isNothingToDo() throws {
        prepareAPI()
        let result = run("deploy", "api", "--alias", "live", "--version", "1", "--preference", "AllAtOnce")
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertTrue(result.stdout.contains("nothing to deploy"), result.stdout)
    }

    func testBadInput_isOneLineExitTwoAndChangesNothing() throws {
        prepareAPI()
        let eleven = (1...11).flatMap { ["--alarm", "a\($0)"] }
        let steps = directory.url.appendingPathComponent("steps.txt")
        try Data("10% 1m\n50% soon\n100%\n".utf8).write(to: steps)
        let cases: [([String], [String])] = [
            (["--version", "2", "--preference", "Canary10PercentSometimes"], ["--preference", "Canary10PercentSometimes"]),
            (["--version", "2", "--preference", "Canary100Percent5Minutes"], ["Canary100Percent5Minutes", "99"]),
            (["--version", "2", "--preference", "AllAtOnce"] + eleven, ["--alarm", "at most 10"]),
            (["--version", "2", "--preference", "AllAtOnce", "--pre-traffic", "no-such-hook"], ["no-such-hook"]),
            (["--version", "9", "--preference", "AllAtOnce"], ["api:9", "published versions are 1, 2"]),
            (["--version", "2", "--preference-file", steps.path], ["steps.txt:2", "hold"]),
            (["--version", "2", "--preference", "AllAtOnce", "--alarm", "missing-alarm"], ["missing-alarm"]),
        ]
        for (arguments, fragments) in cases {
            let result = try assertStateUnchanged {
                shift.run(["deploy", "api", "--alias", "live"] + arguments)
            }
            assertBadInput(result, mentions: fragments)
        }
    }

    /// `--code` publishes, which changes state: a missing hook, alias or alarm must be found before the publish.
    func testCodeWithBadInput_publishesNothing() throws {
        prepareAPI()
        let code = try copyOfExample("echo")
        try Data("# a change, so that --code would publish version 3\n".utf8).write(to: code.appendingPathComponent("CHANGES"))
        let versionsBefore = succeed("function", "versions", "api").stdout
        let cases: [([String], [String])] = [
            (["--alias", "live", "--pre-traffic", "nohook"], ["function 'nohook' not found"]),
            (["--alias", "live", "--post-traffic", "api:nope"], ["alias 'api:nope' not found"]),
            (["--alias", "nope"], ["alias 'api:nope' not found", "shift alias create api nope"]),
            (["--alias", "live", "--alarm", "missing-alarm"], ["alarm 'missing-alarm' not found"]),
        ]
        for (arguments, fragments) in cases {
            let result = try assertStateUnchanged {
                shift.run(["deploy", "api", "--code", code.path, "--preference", "AllAtOnce"] + arguments)
            }
            assertBadInput(result, mentions: fragments)
        }
        XCTAssertEqual(succeed("function", "versions", "api").stdout, versionsBefore, "a version was published")
        let deployed = run("deploy", "api", "--alias", "live", "--code", code.path, "--preference", "AllAtOnce")
        XCTAssertEqual(deployed.exitCode, 0, "\(deployed)")
        XCTAssertEqual(try alias().version, "3")
    }

    func testCodePublish_isANote_notAWarning() throws {
        prepareAPI()
        let code = try copyOfExample("echo")
        try Data("# a change, so that --code publishes version 3\n".utf8).write(to: code.appendingPathComponent("CHANGES"))
        let text = run("deploy", "api", "--alias", "live", "--code", code.path, "--preference", "AllAtOnce")
        XCTAssertEqual(text.exitCode, 0, "\(text)")
        XCTAssertTrue(text.stderrLines.contains("published api:3"), text.stderr)
        XCTAssertFalse(text.stderr.contains("warning:"), text.stderr)

        try Data("# another change\n".utf8).write(to: code.appendingPathComponent("CHANGES"))
        let json = run("deploy", "api", "--alias", "live", "--code", code.path, "--preference", "AllAtOnce", "--output", "json")
        XCTAssertEqual(json.exitCode, 0, "\(json)")
        let first = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.split(separator: "\n")[0].utf8)) as? [String: Any])
        XCTAssertEqual(first["kind"] as? String, "Note", "\(first)")
        XCTAssertEqual(first["message"] as? String, "published api:4")
    }

    func testHookThatTimesOut_isKilledWithItsProcessGroup() throws {
        prepareAPI()
        let pids = directory.url.appendingPathComponent("hook.pids")
        try directory.writeScript("slow/handler.sh", "cat > /dev/null; sleep 30 & echo $$ $! > '\(pids.path)'; wait")
        createFunction("slowhook", code: directory.url.appendingPathComponent("slow"), "--timeout", "60")
        let result = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--pre-traffic", "slowhook", "--hook-timeout", "1")
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("timed out after 1s"), result.stdout)
        // A hook left running holds shift's pipes (and its locks) until its `sleep 30` ends.
        XCTAssertLessThan(result.seconds, 15, "shift or its output outlived the timed-out hook: \(result)")
        let started = try String(contentsOf: pids, encoding: .utf8).split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(started.count, 2, "the hook never started")
        // shift has exited: the hook's shell and its sleep must be gone with it, not orphaned until the 60 s timeout.
        var alive = started
        for _ in 0..<50 where !alive.isEmpty {
            alive = alive.filter(Self.isRunning)
            if !alive.isEmpty { usleep(20_000) }
        }
        XCTAssertEqual(alive, [], "the timed-out hook outlived shift")
    }

    /// Whether `pid` is a live process; a zombie is not.
    private static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    func testDeployCode_whileAnAliasNamedPublishIsBeingDeployed_publishesAtOnce() throws {
        prepareAPI()
        succeed("alias", "create", "api", "publish", "--version", "1")
        // Holds the lease of alias 'publish' for a minute.
        let holder = try shift.start(["deploy", "api", "--alias", "publish", "--version", "2", "--preference", "Canary10Percent60Seconds"])
        defer {
            kill(holder.processIdentifier, SIGTERM)
            _ = holder.wait(timeout: 30)
        }
        let limit = Date().addingTimeInterval(20)
        while (try? json("alias", "get", "api", "publish")["RoutingConfig"]) == nil, Date() < limit { usleep(50_000) }
        let code = try copyOfExample("echo")
        try Data("new".utf8).write(to: code.appendingPathComponent("marker"))
        let started = Date()
        let deploy = run("deploy", "api", "--alias", "live", "--code", code.path, "--preference", "AllAtOnce", timeout: 40)
        XCTAssertEqual(deploy.exitCode, 0, "\(deploy)")
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "the publish lease is not the lock of alias 'publish'")
        XCTAssertEqual(try alias().version, "3")
    }
}

/// `shift deploy --analysis FILE`: a bad file is refused before anything changes, one line per error with its position.
final class DeployAnalysisFileTests: ShiftIntegrationTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")
    }

    private func analysisFile(_ text: String) throws -> String {
        let url = stateDirectory.deletingLastPathComponent().appendingPathComponent("analysis-\(UUID().uuidString).yaml")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func testBadAnalysisFile_exits2_withFileLineAndColumn_andChangesNothing() throws {
        let file = try analysisFile("metrics:\n  - name: latency\n    metric: Duration\n    direction: up\n")
        let result = try assertStateUnchanged {
            run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--analysis", file)
        }
        assertBadInput(result, mentions: ["\(file):4:16: metrics[0].direction: is 'up'; expected increase, decrease or either"])
    }

    func testUnknownKeyInAnalysisFile_exits2_withSuggestion() throws {
        let file = try analysisFile("metrics: [{name: errors, metric: Errors}]\npas: 90\n")
        let result = try assertStateUnchanged {
            run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--analysis", file)
        }
        assertBadInput(result, mentions: ["\(file):2:1: pas: is not a known field", "(did you mean 'pass'?)"])
    }

    func testMissingAnalysisFile_exits2_namingIt() throws {
        let result = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--analysis", "/nonexistent/a.yaml")
        assertBadInput(result, mentions: ["cannot read analysis file /nonexistent/a.yaml: no such file"])
    }

    func testExampleAnalysisFiles_areAccepted_byADryRun() throws {
        for name in ["latency", "lambda"] {
            let result = run("deploy", "api", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--dry-run",
                             "--analysis", example("analysis").appendingPathComponent("\(name).yaml").path)
            XCTAssertEqual(result.exitCode, 0, "\(result)")
        }
    }
}

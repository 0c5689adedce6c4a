import Foundation
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftPlatforms
import ShiftSecrets
import ShiftStorage
import ShiftTestSupport
import XCTest

/// The runner against a real state directory and real commands, with time on a manual clock.
final class PipelineRunnerTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var clock: ManualClock!
    private let masterKey = Data((0..<32).map { UInt8($0) }).base64EncodedString()
    private var root: URL { directory.url.appendingPathComponent("state") }
    private var store: PipelineRunStore { PipelineRunStore(stateRoot: root, clock: clock) }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory("shift-pipeline")
        clock = ManualClock()
        try directory.writeScript("source/handler.sh", "cat >/dev/null; echo '{\"ok\": true}'")
    }

    override func tearDown() {
        directory.remove()
    }

    private func runner(waits: Bool) -> PipelineRunner {
        var environment = ProcessInfo.processInfo.environment
        environment["SHIFT_MASTER_KEY"] = masterKey
        var runner = PipelineRunner(store: store, accounts: LocalPipelineAccounts(root: root, clock: clock, environment: environment), commands: LocalCommandRunner(), files: LocalFileTree(), clock: clock, waitsForApproval: waits)
        runner.approvalPollInterval = 1
        return runner
    }

    /// A pipeline of the source directory, one function `api` built by the first stage, and `stages`.
    private func start(_ stages: String, parameters: [String] = []) async throws -> PipelineRun {
        let text = """
            name: shop
            accounts: {dev: {platform: local}}
            source: {directory: \(directory.url.appendingPathComponent("source").path)}
            parameters: [\(parameters.joined(separator: ", "))]
            functions: {api: {artifact: api, handler: ./handler.sh}}
            stages:
            \(stages)
            """
        let outcome = PipelineParser.parse(text, file: "shop.yml")
        let pipeline = try XCTUnwrap(outcome.pipeline, outcome.issues.map(\.description).joined(separator: "\n"))
        var generator = SystemRandomNumberGenerator()
        return try await runner(waits: false).create(pipeline, file: directory.url.appendingPathComponent("shop.yml"), id: PipelineRun.makeID(using: &generator))
    }

    private let build = "  - {name: build, type: build, commands: ['mkdir -p out && cp handler.sh out/ && echo $SHIFT_RUN_ID > out/RELEASE'], artifacts: {api: out}}"
    private let gate = "  - {name: gate, type: approval, approvers: [alice], timeout: 60}"
    private let deploy = "  - {name: dev, type: deploy, account: dev, functions: [{function: api, alias: live, preference: AllAtOnce}]}"

    private func devFunctions() throws -> LocalFunctionStore {
        LocalFunctionStore(state: try StateDirectory(root: root, account: "dev"), clock: clock)
    }

    // MARK: Approvals

    func testApprovalWithoutDecision_noWait_leavesTheRunWaiting_andResumeAfterApprovalFinishesIt() async throws {
        let run = try await start([build, gate, deploy].joined(separator: "\n"))
        let (waiting, outcome) = try await runner(waits: false).run(run.id)
        XCTAssertEqual(outcome, .waiting(stage: "gate", deadline: clock.now.addingTimeInterval(60)))
        XCTAssertEqual(waiting.stages.map(\.status), [.succeeded, .waiting, .pending])
        XCTAssertEqual(waiting.status(isLocked: false), .waiting)

        try await store.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: "ship it")
        let (finished, resumed) = try await runner(waits: false).run(run.id)
        XCTAssertEqual(resumed, .succeeded)
        XCTAssertEqual(finished.stages.map(\.status), [.succeeded, .succeeded, .succeeded])
        XCTAssertEqual(finished.stages[0].attempts, 1, "a finished stage is not repeated on resume")
        XCTAssertEqual(finished.stages[1].decision?.by, "alice")
        XCTAssertEqual(finished.stages[2].deployments.first?.version, 1)
        XCTAssertEqual(try devFunctions().alias("live", of: "api").routing, .single(1))
    }

    func testWaitingRunner_picksUpAnApprovalRecordedElsewhere_atItsNextPoll() async throws {
        let run = try await start([build, gate, deploy].joined(separator: "\n"))
        let waiting = runner(waits: true), id = run.id
        let task = Task { try await waiting.run(id) }
        let sleeping = await clock.waitForSleepers(1); XCTAssertTrue(sleeping)
        try await store.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: nil)
        clock.advance(by: 1)
        let (finished, outcome) = try await task.value
        XCTAssertEqual(outcome, .succeeded)
        XCTAssertEqual(finished.stages[1].decision?.approved, true)
    }

    func testApprovalTimeout_onTheManualClock_failsTheRunAsARejection_andDeploysNothing() async throws {
        let run = try await start([build, gate, deploy].joined(separator: "\n"))
        let waiting = runner(waits: true), id = run.id
        let task = Task { try await waiting.run(id) }
        for _ in 0..<59 {
            let sleeping = await clock.waitForSleepers(1); XCTAssertTrue(sleeping)
            clock.advance(by: 1)
        }
        let sleeping = await clock.waitForSleepers(1); XCTAssertTrue(sleeping)
        await XCTAssertThrowsAsync(try await store.decide(run: run.id, stage: "gate", approve: true, by: "mallory", comment: nil), "not an approver")
        clock.advance(by: 1)
        let (finished, outcome) = try await task.value
        guard case let .failed(stage, reason) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(stage, "gate")
        XCTAssertTrue(reason.contains("counts as a rejection"), reason)
        XCTAssertEqual(finished.stages.map(\.status), [.succeeded, .timedOut, .pending])
        await XCTAssertThrowsAsync(try await store.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: nil), "too late")
        XCTAssertThrowsError(try devFunctions().function("api"), "nothing was deployed")
    }

    func testRejection_failsTheRunAtTheGate() async throws {
        let run = try await start([build, gate, deploy].joined(separator: "\n"))
        _ = try await runner(waits: false).run(run.id)
        try await store.decide(run: run.id, stage: "gate", approve: false, by: "alice", comment: "staging errors")
        await XCTAssertThrowsAsync(try await store.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: nil), "decided once")
        let (finished, outcome) = try await runner(waits: false).run(run.id)
        XCTAssertEqual(outcome, .failed(stage: "gate", reason: "rejected by alice: staging errors"))
        XCTAssertEqual(finished.stages[1].status, .rejected)
        XCTAssertEqual(finished.stages[2].status, .pending)
    }

    func testApprovingAStageNotYetReached_isRefused() async throws {
        let run = try await start([build, gate].joined(separator: "\n"))
        await XCTAssertThrowsAsync(try await store.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: nil)) { error in
            XCTAssertTrue("\(error.localizedDescription)".contains("not reached") || (error as? PipelineError)?.errorDescription?.contains("not reached it yet") == true, "\(error)")
        }
        await XCTAssertThrowsAsync(try await store.decide(run: run.id, stage: "build", approve: true, by: "alice", comment: nil), "not an approval")
    }

    // MARK: Stages, artifacts, resume

    func testFailingTestStage_stopsTheRun_andNothingIsDeployed() async throws {
        let run = try await start([build, "  - {name: test, type: test, commands: ['echo checking', 'exit 4']}", deploy].joined(separator: "\n"))
        let (finished, outcome) = try await runner(waits: false).run(run.id)
        XCTAssertEqual(outcome, .failed(stage: "test", reason: "command 2 exited with status 4: exit 4"))
        XCTAssertEqual(finished.stages.map(\.status), [.succeeded, .failed, .pending])
        XCTAssertThrowsError(try devFunctions().function("api"))
        let log = try String(contentsOf: store.logFile(run.id, stage: "test"), encoding: .utf8)
        XCTAssertTrue(log.contains("checking"), log)
    }

    func testCommandsPastTheStageTimeout_areKilled_andFailTheStage() async throws {
        let run = try await start("  - {name: build, type: build, timeout: 0.5, commands: ['sleep 20'], artifacts: {api: .}}")
        let started = Date()
        let (finished, outcome) = try await runner(waits: false).run(run.id)
        XCTAssertEqual(outcome, .failed(stage: "build", reason: "timed out after 0.5s in command 1: sleep 20"))
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertEqual(finished.stages[0].artifacts, [], "a failed build collects nothing")
    }

    func testMissingArtifact_failsTheBuild_namingItsPath() async throws {
        let run = try await start("  - {name: build, type: build, commands: [true], artifacts: {api: no/such/dir}}")
        let (_, outcome) = try await runner(waits: false).run(run.id)
        guard case let .failed(_, reason) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(reason.contains("no/such/dir does not exist"), reason)
    }

    func testBuild_collectsAndHashesArtifacts_andTheDeployedVersionCarriesTheSameHash() async throws {
        let run = try await start([build, deploy].joined(separator: "\n"))
        let (finished, outcome) = try await runner(waits: false).run(run.id)
        XCTAssertEqual(outcome, .succeeded)
        let artifact = try XCTUnwrap(finished.stages[0].artifacts.first)
        XCTAssertEqual(artifact.sha256, try CodeSnapshot.hash(of: store.runDirectory(run.id).appendingPathComponent(artifact.path)))
        XCTAssertEqual(try devFunctions().version(1, of: "api").codeSHA256, artifact.sha256)
    }

    func testArtifactChangedAfterBuild_isRefusedByTheDeployStage() async throws {
        let run = try await start([build, gate, deploy].joined(separator: "\n"))
        _ = try await runner(waits: false).run(run.id)
        try Data("tampered".utf8).write(to: store.artifactsDirectory(run.id).appendingPathComponent("api/RELEASE"))
        try await store.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: nil)
        let (finished, outcome) = try await runner(waits: false).run(run.id)
        guard case let .failed(stage, reason) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertEqual(stage, "dev")
        XCTAssertTrue(reason.contains("changed since it was built"), reason)
        XCTAssertEqual(finished.stages[2].deployments.first?.status, .failed)
        XCTAssertThrowsError(try devFunctions().function("api"), "nothing was published")
    }

    func testArtifactWithASymlinkOutsideTheWorkspace_holdsTheBytes_soChangingThatFileChangesNothingDeployed() async throws {
        let outside = directory.url.appendingPathComponent("outside/config.txt")
        try FileManager.default.createDirectory(at: outside.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("v1".utf8).write(to: outside)
        let linkingBuild = "  - {name: build, type: build, commands: ['mkdir out && cp handler.sh out/ && ln -s \(outside.path) out/config.txt'], artifacts: {api: out}}"
        let run = try await start([linkingBuild, gate, deploy].joined(separator: "\n"))
        _ = try await runner(waits: false).run(run.id)

        try Data("v2".utf8).write(to: outside)
        try await store.decide(run: run.id, stage: "gate", approve: true, by: "alice", comment: nil)
        let (_, outcome) = try await runner(waits: false).run(run.id)

        XCTAssertEqual(outcome, .succeeded)
        let deployed = try devFunctions().codeDirectory(of: "api", version: 1).appendingPathComponent("config.txt")
        XCTAssertEqual(try String(contentsOf: deployed, encoding: .utf8), "v1", "the artifact built is the artifact deployed")
        XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: deployed.path))
    }

    func testStageLeftRunningByADeadRunner_runsAgainOnResume_andEarlierStagesDoNot() async throws {
        let counter = directory.url.appendingPathComponent("builds")
        let run = try await start(["  - {name: build, type: build, commands: ['echo built >> \(counter.path)', 'mkdir out && cp handler.sh out/'], artifacts: {api: out}}",
                                   "  - {name: test, type: test, commands: ['echo tested >> \(counter.path)']}", deploy].joined(separator: "\n"))
        // What a kill -9 in the test stage leaves: build done, test recorded as running, nobody holding the lock.
        _ = try await runner(waits: false).run(run.id)
        var record = try store.run(run.id)
        record.stages[1].status = .running
        record.stages[2] = StageRecord(name: "dev", type: "deploy")
        try store.write(record)
        XCTAssertEqual(record.status(isLocked: store.isLocked(run.id)), .interrupted)
        let (finished, outcome) = try await runner(waits: false).run(run.id)
        XCTAssertEqual(outcome, .succeeded)
        XCTAssertEqual(finished.stages.map(\.attempts), [1, 2, 1])
        XCTAssertEqual(try String(contentsOf: counter, encoding: .utf8), "built\ntested\ntested\n")
    }

    func testRunnerKilledWhileRollingAStageBack_finishesTheRollbackOnResume_andDoesNotDeployAgain() async throws {
        // Two runs: the second moves api:live from version 1 to 2 and records that it did.
        let first = try await start([build, deploy].joined(separator: "\n"))
        _ = try await runner(waits: false).run(first.id)
        let second = try await start([build, deploy].joined(separator: "\n"))
        _ = try await runner(waits: false).run(second.id)
        XCTAssertEqual(try devFunctions().alias("live", of: "api").routing, .single(2))
        // What a kill -9 after the stage decided to abort leaves: the decision recorded, the stage still running.
        var record = try store.run(second.id)
        record.stages[1].status = .running
        record.stages[1].abortReason = "web: deployment d-X rolled back: alarm web-errors is in ALARM"
        try store.write(record)

        let (finished, outcome) = try await runner(waits: false).run(second.id)
        XCTAssertEqual(outcome, .failed(stage: "dev", reason: "web: deployment d-X rolled back: alarm web-errors is in ALARM"))
        XCTAssertEqual(try devFunctions().alias("live", of: "api").routing, .single(1), "the finished function went back to its original version")
        XCTAssertEqual(finished.stages[1].deployments.first?.status, .rolledBack)
        XCTAssertEqual(try devFunctions().versions(of: "api").count, 2, "nothing was published or deployed again")
    }

    func testSecondRunnerOnTheSameRun_isRefusedAsAConflict() async throws {
        let run = try await start(build)
        let lock = try store.lock(run.id)
        defer { lock.unlock() }
        do {
            _ = try await runner(waits: false).run(run.id)
            XCTFail("a second runner ran")
        } catch let error as PipelineError {
            XCTAssertEqual(error, .runLocked(id: run.id))
            XCTAssertEqual(error.category, .conflict)
        }
        XCTAssertEqual(try store.run(run.id).stages[0].status, .pending, "the refused runner changed nothing")
    }

    func testGitSource_isClonedAtTheRef_andTheRunRecordsTheCommit() async throws {
        let repository = directory.url.appendingPathComponent("repo")
        try directory.writeScript("repo/handler.sh", "echo v1")
        let setup = "git init -q -b main . && git -c user.name=t -c user.email=t@t add . && git -c user.name=t -c user.email=t@t commit -q -m one && git rev-parse HEAD"
        let outcome = try HandlerProcess(command: setup, workingDirectory: repository, environment: ProcessInfo.processInfo.environment, timeout: 30).runBlocking(input: Data())
        let commit = String(decoding: outcome.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(commit.count, 40, String(decoding: outcome.stderrTail, as: UTF8.self))
        let text = """
            name: shop
            accounts: {dev: {platform: local}}
            source: {git: ./repo, ref: main}
            functions: {api: {artifact: api, handler: ./handler.sh}}
            stages:
              - {name: build, type: build, commands: ['test -x handler.sh && mkdir out && cp handler.sh out/'], artifacts: {api: out}}
            """
        let pipeline = try XCTUnwrap(PipelineParser.parse(text, file: "p.yml").pipeline)
        let run = try await runner(waits: false).create(pipeline, file: directory.url.appendingPathComponent("p.yml"), id: "p-git")
        XCTAssertEqual(run.source, SourceRecord(kind: "git", location: repository.path, ref: "main", revision: commit))
        let (_, result) = try await runner(waits: false).run(run.id)
        XCTAssertEqual(result, .succeeded)
    }

    /// A repository `repo` in the test directory with one commit on main, and a pipeline of it at `ref`.
    private func gitPipeline(ref: String) throws -> Pipeline {
        try directory.writeScript("repo/handler.sh", "echo v1")
        _ = try HandlerProcess(command: "git init -q -b main . && git -c user.name=t -c user.email=t@t add . && git -c user.name=t -c user.email=t@t commit -q -m one",
                               workingDirectory: directory.url.appendingPathComponent("repo"), environment: ProcessInfo.processInfo.environment, timeout: 30).runBlocking(input: Data())
        let text = "name: shop\naccounts: {dev: {platform: local}}\nsource: {git: ./repo, ref: \(ref)}\nfunctions: {api: {artifact: api, handler: h}}\nstages:\n  - {name: build, type: build, commands: [true], artifacts: {api: .}}\n"
        return try XCTUnwrap(PipelineParser.parse(text, file: "p.yml").pipeline)
    }

    func testMissingGitRef_isAnErrorNamingIt() async throws {
        let pipeline = try gitPipeline(ref: "no-such-branch")
        do {
            _ = try await runner(waits: false).create(pipeline, file: directory.url.appendingPathComponent("p.yml"), id: "p-git")
            XCTFail("created")
        } catch let error as PipelineError {
            XCTAssertTrue(error.errorDescription?.contains("no-such-branch") == true, "\(error)")
        }
        XCTAssertEqual(store.runs().count, 0, "nothing half-made is left behind")
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.runDirectory("p-git").path))
    }

    /// `git checkout` read a ref beginning with '-' as an option: `--quiet` checked out the default branch.
    /// The parser refuses such a ref; the runner, given one anyway, must not pass it to git as an option.
    func testGitRefThatLooksLikeAnOption_isNotReadAsOne() async throws {
        var pipeline = try gitPipeline(ref: "main")
        pipeline.source = .git(repository: "./repo", ref: "--quiet")
        do {
            let run = try await runner(waits: false).create(pipeline, file: directory.url.appendingPathComponent("p.yml"), id: "p-git")
            XCTFail("created at \(String(describing: run.source))")
        } catch let error as PipelineError {
            XCTAssertTrue(error.errorDescription?.contains("no commit named '--quiet'") == true, "\(error)")
        }
        XCTAssertEqual(store.runs().count, 0)
    }

    // MARK: Parameters

    func testParameters_areResolvedInCommandsAndEnvironment_andMaskedInLogsAndTheRecord() async throws {
        let state = try StateDirectory(root: root, account: "dev")
        let parameters = ParameterStore(directory: state, masterKey: try MasterKey(base64: masterKey, source: "test"), clock: clock)
        try parameters.put(ParameterName("/shop/token"), value: "s3cr3t-t0ken", type: .secureString)
        let run = try await start("  - {name: build, type: build, commands: ['echo token={{param:/shop/token}} env=$TOKEN; exit 3'], environment: {TOKEN: '{{param:/shop/token}}'}, artifacts: {api: .}}",
                                  parameters: ["/shop/token"])
        let (finished, outcome) = try await runner(waits: false).run(run.id)
        guard case .failed = outcome else { return XCTFail("\(outcome)") }
        let log = try String(contentsOf: store.logFile(run.id, stage: "build"), encoding: .utf8)
        XCTAssertTrue(log.contains("token=**** env=****"), log)
        XCTAssertFalse(log.contains("s3cr3t"), log)
        let record = try String(contentsOf: store.runFile(run.id), encoding: .utf8)
        XCTAssertFalse(record.contains("s3cr3t"), record)
        XCTAssertTrue(record.contains("{{param:/shop/token}}"), "the reference is what the record keeps")
        XCTAssertFalse("\(finished)".contains("s3cr3t"))
    }

    func testParameterInACommand_neverAppearsInItsCommandLine_andKeepsItsValueWhole() async throws {
        let state = try StateDirectory(root: root, account: "dev")
        let parameters = ParameterStore(directory: state, masterKey: try MasterKey(base64: masterKey, source: "test"), clock: clock)
        try parameters.put(ParameterName("/shop/token"), value: "s3cr3t t0ken; exit 9", type: .secureString)
        let cmdline = directory.url.appendingPathComponent("cmdline"), value = directory.url.appendingPathComponent("value")
        let command = #"tr "\0" " " < /proc/$$/cmdline > \#(cmdline.path); printf %s "{{param:/shop/token}}" > \#(value.path)"#
        let run = try await start("  - {name: build, type: build, commands: ['\(command)'], artifacts: {api: .}}", parameters: ["/shop/token"])
        _ = try await runner(waits: false).run(run.id)
        let commandLine = try String(contentsOf: cmdline, encoding: .utf8)
        XCTAssertFalse(commandLine.contains("s3cr3t"), "the shell's command line, which ps shows: \(commandLine)")
        XCTAssertTrue(commandLine.contains("${SHIFT_PARAM_1}"), commandLine)
        XCTAssertEqual(try String(contentsOf: value, encoding: .utf8), "s3cr3t t0ken; exit 9", "the value arrives whole, not parsed by the shell")
    }

    func testMissingParameter_failsTheStage_namingIt() async throws {
        let run = try await start("  - {name: build, type: build, commands: ['echo {{param:/shop/missing}}'], artifacts: {api: .}}", parameters: ["/shop/missing"])
        let (_, outcome) = try await runner(waits: false).run(run.id)
        guard case let .failed(_, reason) = outcome else { return XCTFail("\(outcome)") }
        XCTAssertTrue(reason.contains("/shop/missing"), reason)
    }

    func testAWSAccountWithoutCredentials_isRefusedBeforeAnythingRuns() async throws {
        let text = """
            name: shop
            accounts: {prod: {platform: aws, region: eu-west-1, profile: nobody}}
            source: {directory: \(directory.url.appendingPathComponent("source").path)}
            functions: {api: {artifact: api, handler: ./handler.sh}}
            stages:
              - {name: build, type: build, commands: [true], artifacts: {api: .}}
              - {name: prod, type: deploy, account: prod, functions: [{function: api, alias: live, preference: AllAtOnce}]}
            """
        let pipeline = try XCTUnwrap(PipelineParser.parse(text, file: "p.yml").pipeline)
        // No credentials anywhere: an empty home and no AWS variables.
        let environment = ["HOME": directory.url.path, "SHIFT_MASTER_KEY": masterKey]
        let runner = PipelineRunner(store: store, accounts: LocalPipelineAccounts(root: root, clock: clock, environment: environment), commands: LocalCommandRunner(), files: LocalFileTree(), clock: clock, waitsForApproval: false)
        do {
            _ = try await runner.create(pipeline, file: directory.url.appendingPathComponent("p.yml"), id: "p-aws")
            XCTFail("created")
        } catch let error as CategorizedError {
            XCTAssertEqual(error.category, .badInput)
            XCTAssertTrue("\(error)".contains("nobody"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: store.runDirectory("p-aws").path))
    }
}

import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

/// Pause, resume and promote from another process, step-list pause and analysis lines, and the analysis points,
/// against a manual clock (issue 14). The engine polls every second, so a request posted at second t is acted on
/// at t + 1.
final class DeploymentEngineControlTests: XCTestCase {
    // MARK: - Pause and resume

    func testPause_holdsTheWeightPastTheStepsEnd_andResumeHoldsWhatWasLeft() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Canary10Percent5Minutes"))
        let driver = f.driver(deployment)
        try await f.post(.pause, at: 100, to: deployment, driver)
        try await f.run(driver, until: 1000)
        XCTAssertEqual(f.moves, [Move(0, f.split(10))], "held at 10% long after the 5 minutes")
        XCTAssertEqual(f.journal.latest?.paused?.remainingHold, 199)
        try await f.post(.resume, at: 1000, to: deployment, driver)
        let final = try await driver.finish()

        // 199 s were left at 101; resumed at 1001.
        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(1200, .single(2))])
        XCTAssertEqual(final.status, .succeeded)
        XCTAssertEqual(final.events.filter { [.paused, .resumed].contains($0.kind) }.map(\.kind), [.paused, .resumed])
        XCTAssertEqual(final.events.first { $0.kind == .paused }?.time, f.at(101))
        XCTAssertEqual(final.controlSequence, 2)
        XCTAssertNil(final.paused)
    }

    func testPause_isJournalledBeforeItActs() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Canary10Percent5Minutes"))
        let driver = f.driver(deployment)
        try await f.post(.pause, at: 100, to: deployment, driver)
        try await f.run(driver, until: 102)
        let record = try XCTUnwrap(f.journal.latest)
        XCTAssertEqual(record.events.last?.kind, .paused)
        XCTAssertEqual(record.controlSequence, 1)
        XCTAssertEqual(record.paused?.gate, nil)
        XCTAssertTrue(try XCTUnwrap(record.paused?.reason).contains("by test"))
        driver.cancel()
        _ = try await driver.finish()
    }

    func testPausedDeployment_stillRollsBackOnAlarm() async throws {
        let f = Fixture()
        let start = f.start
        f.alarms.set("Errors", .ok)
        f.alarms.script { ["Errors": $0.timeIntervalSince(start) >= 500 ? .alarm : .ok] }
        let deployment = try await f.prepare(f.request("Canary10Percent5Minutes", alarms: ["Errors"]))
        let driver = f.driver(deployment)
        try await f.post(.pause, at: 100, to: deployment, driver)
        let final = try await driver.finish()

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(500, .single(1))])
        XCTAssertEqual(final.status, .failed)
        guard case .alarm(name: "Errors", _) = final.phase.reason else { return XCTFail("\(final.phase)") }
    }

    func testPauseResumePause_postedTogether_areActedOnInOrder() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Canary10Percent5Minutes"))
        let driver = f.driver(deployment)
        try await f.run(driver, until: 100)
        for action: DeploymentControl.Action in [.pause, .resume, .pause] {
            f.journal.requestControl(deployment.id, action, at: f.clock.now)
        }
        try await f.run(driver, until: 1000)
        XCTAssertEqual(f.moves, [Move(0, f.split(10))], "the last request, a pause, holds")
        try await f.post(.stop(rollback: true), at: 1000, to: deployment, driver)
        let final = try await driver.finish()

        XCTAssertEqual(final.events.filter { [.paused, .resumed, .stopRequested].contains($0.kind) }.map(\.kind), [.paused, .resumed, .paused, .stopRequested])
        XCTAssertEqual(final.controlSequence, 4)
        XCTAssertEqual(final.status, .stopped)
    }

    // MARK: - Promote

    func testPromote_duringA100MinuteStep_takesTheNextStepAtTheNextPoll() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request(steps: "10% 100m\n50% 100m\n100%"))
        let driver = f.driver(deployment)
        try await f.post(.promote(full: false), at: 60, to: deployment, driver)
        let final = try await driver.finish()

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(61, f.split(50)), Move(6061, .single(2))])
        XCTAssertEqual(final.status, .succeeded)
        let promoted = try XCTUnwrap(final.events.first { $0.kind == .promoted })
        XCTAssertEqual(promoted.step, 1)
        XCTAssertEqual(promoted.time, f.at(61))
    }

    func testPromoteFull_skipsTheRemainingStepsAndAnalyses_thenBakesAndRunsPostTraffic() async throws {
        let f = Fixture()
        let judge = ScriptedJudge([.pass])
        f.engine.judge = judge
        var request = try f.request("Linear10PercentEvery1Minute", post: "post-check", bake: 600)
        request.analysis = Self.analysis
        let deployment = try await f.prepare(request)
        let driver = f.driver(deployment)
        try await f.post(.promote(full: true), at: 30, to: deployment, driver)
        let final = try await driver.finish()

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(31, .single(2))])
        XCTAssertEqual(judge.calls, [], "no analysis after --full")
        XCTAssertEqual(f.platform.invocations.map(\.function), ["post-check"])
        XCTAssertEqual(final.completedAt, f.at(631), "baked 600 s after 100%")
        XCTAssertEqual(final.status, .succeeded)
    }

    func testPromote_whilePaused_endsThePauseAndTakesTheNextStep() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Linear10PercentEvery1Minute"))
        let driver = f.driver(deployment)
        try await f.post(.pause, at: 30, to: deployment, driver)
        try await f.post(.promote(full: false), at: 500, to: deployment, driver)
        _ = try await driver.finish()

        XCTAssertEqual(Array(f.moves.prefix(3)), [Move(0, f.split(10)), Move(501, f.split(20)), Move(561, f.split(30))])
    }

    // MARK: - Step-list lines

    func testPauseLine_holdsUntilPromoted() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request(steps: "10% 1m\npause\n50% 1m\n100%"))
        let driver = f.driver(deployment)
        try await f.run(driver, until: 1000)
        XCTAssertEqual(f.moves, [Move(0, f.split(10))])
        XCTAssertEqual(f.journal.latest?.paused?.gate, 0)
        try await f.post(.promote(full: false), at: 1000, to: deployment, driver)
        let final = try await driver.finish()

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(1001, f.split(50)), Move(1061, .single(2))])
        XCTAssertEqual(final.events.first { $0.kind == .paused }?.time, f.at(60))
    }

    func testTimedPauseLine_endsByItself_orEarlierWhenPromoted() async throws {
        let f = Fixture()
        let request = try f.request(steps: "10% 1m\npause 10m\n100%")
        _ = try await f.deploy(request)
        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(660, .single(2))])
        XCTAssertEqual(request.preference.schedule.timeline.map(\.offset), [0, 660], "the dry-run timeline counts a timed pause")

        let g = Fixture()
        let deployment = try await g.prepare(try g.request(steps: "10% 1m\npause 10m\n100%"))
        let driver = g.driver(deployment)
        try await g.post(.promote(full: false), at: 100, to: deployment, driver)
        _ = try await driver.finish()
        XCTAssertEqual(g.moves, [Move(0, g.split(10)), Move(101, .single(2))])
    }

    func testResume_atAPauseLine_goesOnToTheNextStep() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request(steps: "10% 1m\npause\n50% 1m\n100%"))
        let driver = f.driver(deployment)
        try await f.post(.resume, at: 200, to: deployment, driver)
        _ = try await driver.finish()
        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(201, f.split(50)), Move(261, .single(2))])
    }

    // MARK: - Analysis points

    static let analysis = CanaryAnalysis(metrics: [CanaryMetric(name: "latency", metric: "Duration", statistic: "p50")], interval: 120)

    /// A fixture whose judge answers `decisions`, and a `Canary10Percent5Minutes` request with an analysis.
    private func canaryWithAnalysis(_ decisions: [CanaryVerdict.Decision?]) throws -> (Fixture, DeploymentRequest) {
        let f = Fixture()
        f.engine.judge = ScriptedJudge(decisions)
        var request = try f.request("Canary10Percent5Minutes")
        request.analysis = Self.analysis
        return (f, request)
    }

    func testAnalysis_withoutAnalysisLines_runsAtTheEndOfEachStepsHold_overItsInterval() async throws {
        let f = Fixture()
        let judge = ScriptedJudge([.pass])
        f.engine.judge = judge
        var request = try f.request("Linear10PercentEvery1Minute")
        request.analysis = CanaryAnalysis(metrics: Self.analysis.metrics, interval: 120)
        let final = try await f.deploy(request)

        XCTAssertEqual(f.moves.count, 10)
        XCTAssertEqual(f.moves.last, Move(540, .single(2)))
        // After each of the 9 holds, none after 100%; the window is 120 s, or since the first shift when shorter.
        XCTAssertEqual(judge.calls.count, 9)
        XCTAssertEqual(judge.calls.first, ScriptedJudge.Call(baselineVersion: 1, canaryVersion: 2, window: DateInterval(start: f.at(0), end: f.at(60))))
        XCTAssertEqual(judge.calls.last?.window, DateInterval(start: f.at(420), end: f.at(540)))
        let results = final.events.filter { $0.kind == .analysisResult }
        XCTAssertEqual(results.count, 9)
        XCTAssertEqual(results.first?.analysis?.decision, .pass)
        XCTAssertEqual(final.events.filter { $0.kind == .analysisStarted }.count, 9)
        XCTAssertEqual(final.status, .succeeded)
    }

    func testAnalysisLine_runsThereOnly() async throws {
        let f = Fixture()
        let judge = ScriptedJudge([.pass])
        f.engine.judge = judge
        var request = try f.request(steps: "10% 1m\nanalysis\n50% 1m\n100%")
        request.analysis = CanaryAnalysis(metrics: Self.analysis.metrics)
        let final = try await f.deploy(request)

        XCTAssertEqual(judge.calls.map(\.window), [DateInterval(start: f.at(0), end: f.at(60))], "since the first shift: no interval")
        XCTAssertEqual(final.status, .succeeded)
    }

    func testAnalysisFail_rollsBackNamingTheVerdictsSummary() async throws {
        let (f, request) = try canaryWithAnalysis([.fail])
        let final = try await f.deploy(request)

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(300, .single(1))])
        XCTAssertEqual(final.status, .failed)
        XCTAssertEqual(final.phase.reason, .analysisFailed(summary: ScriptedJudge.verdict(.fail).summary))
        XCTAssertEqual(final.events.filter { $0.kind == .analysisResult }.last?.analysis, ScriptedJudge.verdict(.fail))
    }

    func testAnalysisMarginal_pausesForAHuman_andPromoteContinues() async throws {
        let (f, request) = try canaryWithAnalysis([.marginal])
        let deployment = try await f.prepare(request)
        let driver = f.driver(deployment)
        try await f.run(driver, until: 2000)
        XCTAssertEqual(f.moves, [Move(0, f.split(10))])
        let paused = try XCTUnwrap(f.journal.latest?.paused)
        XCTAssertTrue(paused.reason.contains(ScriptedJudge.verdict(.marginal).summary), paused.reason)
        try await f.post(.promote(full: false), at: 2000, to: deployment, driver)
        let final = try await driver.finish()

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(2001, .single(2))])
        XCTAssertEqual(final.events.filter { [.analysisResult, .paused, .promoted].contains($0.kind) }.map(\.kind), [.analysisResult, .paused, .promoted])
        XCTAssertEqual(final.status, .succeeded)
    }

    func testAnalysisMarginal_thenStop_rollsBack() async throws {
        let (f, request) = try canaryWithAnalysis([.marginal])
        let deployment = try await f.prepare(request)
        let driver = f.driver(deployment)
        try await f.post(.stop(rollback: true), at: 400, to: deployment, driver)
        let final = try await driver.finish()

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(401, .single(1))])
        XCTAssertEqual(final.status, .stopped)
    }

    func testJudgeThatThrows_failsLikeUnreadableAlarms_orWarnsWhenIgnored() async throws {
        let (f, analysed) = try canaryWithAnalysis([nil])
        var request = analysed
        let failed = try await f.deploy(request)
        XCTAssertEqual(failed.status, .failed)
        guard case let .analysisUnreadable(detail) = failed.phase.reason else { return XCTFail("\(failed.phase)") }
        XCTAssertTrue(detail.contains("scripted"), detail)

        let g = Fixture()
        g.engine.judge = ScriptedJudge([nil])
        request.ignorePollAlarmFailure = true
        let ignored = try await g.deploy(request)
        XCTAssertEqual(ignored.status, .succeeded)
        XCTAssertTrue(ignored.events.contains { $0.kind == .warning && $0.message.contains("analysis could not be made") })
    }

    func testAnalysisRequest_withoutAJudge_isRefusedBeforeAnythingChanges() async throws {
        let f = Fixture()
        var request = try f.request("Canary10Percent5Minutes")
        request.analysis = Self.analysis
        do {
            _ = try await f.engine.prepare(request, id: "d-TEST00001")
            XCTFail("expected a refusal")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
        }
        XCTAssertTrue(f.platform.updates.isEmpty)
    }

    func testAnalysisLine_withoutAnAnalysis_isAValidationErrorNamingTheLine() async throws {
        let f = Fixture()
        f.engine.judge = ScriptedJudge([.pass])
        let request = try f.request(steps: "10% 1m\n\nanalysis\n100%")
        do {
            _ = try await f.engine.prepare(request, id: "d-TEST00001")
            XCTFail("expected a refusal")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertTrue(message.contains("Custom(plan.steps) line 3"), message)
        }
    }

    // MARK: - Recovery

    func testPausedDeployment_killedAndRecoveredWithResume_isStillPaused() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Canary10Percent5Minutes"))
        let driver = f.driver(deployment)
        try await f.post(.pause, at: 100, to: deployment, driver)
        try await f.run(driver, until: 150)
        // What a `kill -9` leaves: the last journalled record (paused), and the alias where the process put it.
        let died = try XCTUnwrap(f.journal.latest)
        XCTAssertNotNil(died.paused)
        driver.cancel()
        _ = try await driver.finish()
        f.platform.setAlias("live", of: "orders", routing: f.split(10))
        let resumedAt = f.clock.now.timeIntervalSince(f.start)
        let movesBefore = f.moves.count

        let engine = f.engine
        let recovery = ClockDriver.engine(clock: f.clock, platform: f.platform, journal: f.journal) {
            await engine.recover(died, resume: true)
        }
        try await f.run(recovery, until: 3000)
        let held = Array(f.moves.dropFirst(movesBefore))
        XCTAssertEqual(held, [Move(resumedAt, f.split(10))], "the step is applied again and stays paused")
        XCTAssertNotNil(f.journal.latest?.paused)
        XCTAssertTrue(f.journal.latest?.events.contains { $0.kind == .recovered && $0.message.contains("still paused") } == true)
        try await f.post(.resume, at: 3000, to: deployment, recovery)
        let final = try await recovery.finish()

        // 199 s of the hold were left when it paused; resumed at 3001.
        XCTAssertEqual(Array(f.moves.dropFirst(movesBefore)), [Move(resumedAt, f.split(10)), Move(3200, .single(2))])
        XCTAssertEqual(final.status, .succeeded)
    }
}

extension Fixture {
    /// A request for a step list (as `--preference-file plan.steps` reads it).
    func request(steps text: String) throws -> DeploymentRequest {
        DeploymentRequest(functionName: "orders", alias: "live", targetVersion: 2, preference: try DeploymentPreference.parseStepList(text, file: "plan.steps"))
    }

    /// Moves the clock until `offset` seconds from the start.
    func run<Success>(_ driver: ClockDriver<Success>, until offset: TimeInterval) async throws {
        let clock = clock, deadline = at(offset)
        try await driver.advance(until: { clock.now >= deadline })
    }

    /// Moves the clock until `offset`, then posts a control request, as another process would.
    func post<Success>(_ action: DeploymentControl.Action, at offset: TimeInterval, to deployment: Deployment, _ driver: ClockDriver<Success>) async throws {
        try await run(driver, until: offset)
        journal.requestControl(deployment.id, action, at: clock.now)
    }
}

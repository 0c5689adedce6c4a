import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

/// The engine against a manual clock and in-memory doubles: CodeDeploy's timelines, every failure path,
/// rollback, stop, interruption, resume and the event log (DESIGN.md section 3, issue 4's "Must hold").
///
/// Function `orders` has versions 1 and 2; alias `live` starts at version 1; every deployment targets 2.
/// Offsets are seconds from the start of the test, which is when shifting starts unless a hook runs first.
final class DeploymentEngineTests: XCTestCase {
    // MARK: - CodeDeploy's timelines

    func testCanary10Percent5Minutes_shiftsTenPercentThenAllAfterFiveMinutes() async throws {
        let f = Fixture()
        let deployment = try await f.deploy(f.request("Canary10Percent5Minutes"))

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(300, .single(2))])
        XCTAssertEqual(deployment.status, .succeeded)
        XCTAssertFalse(deployment.rolledBack)
        XCTAssertEqual(f.platform.currentAlias("live", of: "orders")?.routing, .single(2))
        XCTAssertEqual(deployment.completedAt, f.at(300))
    }

    func testLinear10PercentEvery10Minutes_tenStepsOneEveryTenMinutes_allTrafficAtNinetyMinutes() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let began = DispatchTime.now().uptimeNanoseconds
        let deployment = try await f.deploy(f.request("Linear10PercentEvery10Minutes", alarms: ["Errors"]))
        let realSeconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9

        XCTAssertEqual(f.moves, (1...10).map { Move(Double($0 - 1) * 600, $0 == 10 ? .single(2) : f.split(Double($0) * 10)) })
        XCTAssertEqual(f.moves.last, Move(5_400, .single(2)))
        XCTAssertEqual(deployment.status, .succeeded)
        // Polled every second for 90 minutes, in (much) less than the real thing.
        XCTAssertGreaterThanOrEqual(f.alarms.reads.count, 5_400)
        XCTAssertLessThan(realSeconds, 30, "90 simulated minutes took \(realSeconds)s")
    }

    func testAllAtOnce_shiftsAllTrafficAtOnce() async throws {
        let f = Fixture()
        let deployment = try await f.deploy(f.request("AllAtOnce"))

        XCTAssertEqual(f.moves, [Move(0, .single(2))])
        XCTAssertEqual(deployment.status, .succeeded)
    }

    func testEveryPredefinedPreference_movesTheAliasExactlyOnItsTimeline() async throws {
        XCTAssertEqual(DeploymentPreference.predefinedNames.count, 9)
        for name in DeploymentPreference.predefinedNames {
            let f = Fixture()
            let request = try f.request(name)
            let deployment = try await f.deploy(request)

            let expected = request.preference.schedule.timeline.map { Move($0.offset, deployment.routing(at: $0.weight)) }
            XCTAssertEqual(f.moves, expected, name)
            XCTAssertEqual(f.platform.updates.count, expected.count, "\(name): no other updateAlias call")
            XCTAssertEqual(f.moves.last?.routing, .single(2), name)
            XCTAssertEqual(deployment.status, .succeeded, name)
        }
    }

    func testLinear_firstIncrementAtZero_andAllTrafficIsTheLastStep() async throws {
        let f = Fixture()
        _ = try await f.deploy(f.request("Linear10PercentEvery1Minute"))

        XCTAssertEqual(f.moves.first, Move(0, f.split(10)))
        XCTAssertEqual(f.moves.last, Move(540, .single(2)))
        XCTAssertEqual(f.moves.count, 10)
    }

    // MARK: - prepare()

    func testPrepare_targetVersionMissing_throwsNotFound() async throws {
        let f = Fixture()
        let request = try f.request(target: 7)
        await XCTAssertThrowsErrorAsync(try await f.engine.prepare(request, id: "d-1")) { error in
            guard case let .notFound(kind, name, _) = error as? ShiftCoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(kind, "version")
            XCTAssertEqual(name, "orders:7")
        }
        XCTAssertTrue(f.platform.updates.isEmpty)
    }

    func testPrepare_aliasMissing_throwsNotFound() async throws {
        let f = Fixture()
        let request = try f.request(alias: "canary")
        await XCTAssertThrowsErrorAsync(try await f.engine.prepare(request, id: "d-1")) { error in
            guard case let .notFound(kind, _, _) = error as? ShiftCoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(kind, "alias")
        }
    }

    func testPrepare_aliasAlreadySplit_isRefused() async throws {
        let f = Fixture()
        f.platform.publish("orders", versions: [3])
        f.platform.setAlias("live", of: "orders", routing: try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 3, weight: Weight(0.2))))
        let request = try f.request()
        await XCTAssertThrowsErrorAsync(try await f.engine.prepare(request, id: "d-1")) { error in
            guard case let .refused(reason) = error as? ShiftCoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("already splits traffic"), reason)
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
        }
        XCTAssertTrue(f.platform.updates.isEmpty)
    }

    func testPrepare_targetIsTheCurrentVersion_isAlreadyAtTarget() async throws {
        let f = Fixture()
        f.platform.setAlias("live", of: "orders", routing: .single(2))
        let preparation = try await f.engine.prepare(try f.request(), id: "d-1")
        guard case let .alreadyAtTarget(alias) = preparation else { return XCTFail("\(preparation)") }
        XCTAssertEqual(alias.routing, .single(2))
    }

    func testPrepare_elevenAlarms_isRefused() async throws {
        let f = Fixture()
        let names = (1...11).map { "Alarm\($0)" }
        for name in names { f.alarms.set(name, .ok) }
        let request = try f.request(alarms: names)
        await XCTAssertThrowsErrorAsync(try await f.engine.prepare(request, id: "d-1")) { error in
            guard case let .invalidValue(field, value, _) = error as? ShiftCoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "alarms", "the setting's own name; the caller names its flag")
            XCTAssertEqual(value, "11 alarms")
        }
    }

    func testPrepare_tenAlarms_isReady() async throws {
        let f = Fixture()
        let names = (1...10).map { "Alarm\($0)" }
        for name in names { f.alarms.set(name, .ok) }
        _ = try await f.prepare(f.request(alarms: names))
    }

    func testPrepare_unknownAlarm_throwsNotFound() async throws {
        let f = Fixture()
        let request = try f.request(alarms: ["Nope"])
        await XCTAssertThrowsErrorAsync(try await f.engine.prepare(request, id: "d-1")) { error in
            guard case let .notFound(kind, name, _) = error as? ShiftCoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(kind, "alarm")
            XCTAssertEqual(name, "Nope")
        }
    }

    func testPrepare_alarmAlreadyInAlarm_isRefusedNamingIt() async throws {
        let f = Fixture()
        f.alarms.set("Latency", .ok)
        f.alarms.set("Errors", .alarm, reason: "Errors 4 > 1")
        let request = try f.request(alarms: ["Latency", "Errors"])
        await XCTAssertThrowsErrorAsync(try await f.engine.prepare(request, id: "d-1")) { error in
            guard case let .refused(reason) = error as? ShiftCoreError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("alarm Errors is in ALARM"), reason)
            XCTAssertTrue(reason.contains("allowAlarming"), reason)
        }
    }

    func testPrepare_alarmInAlarm_advisesOnlyASettingTheCallerHas() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .alarm, reason: "Errors 4 > 1")
        let request = try f.request(alarms: ["Errors"])
        var cli = f.engine
        cli.settingNames = { $0 == .allowAlarming ? "--allow-alarming" : nil }
        await XCTAssertThrowsErrorAsync(try await cli.prepare(request, id: "d-1")) { error in
            XCTAssertTrue(error.localizedDescription.contains("or pass --allow-alarming to ship a fix"), error.localizedDescription)
        }
        var pipeline = f.engine
        pipeline.settingNames = { $0 == .allowAlarming ? nil : $0.rawValue }
        await XCTAssertThrowsErrorAsync(try await pipeline.prepare(request, id: "d-1")) { error in
            XCTAssertTrue(error.localizedDescription.hasSuffix("wait for it to clear"), error.localizedDescription)
            XCTAssertFalse(error.localizedDescription.contains("--"), "no CLI flag in a pipeline's message: \(error.localizedDescription)")
        }
    }

    func testValidate_namesTheSettingAsTheCallerDoes() throws {
        let f = Fixture()
        var request = try f.request()
        request.bake = -1
        XCTAssertThrowsError(try request.validate(naming: { $0 == .bake ? "stages[1].functions[0].bake" : nil })) { error in
            XCTAssertEqual(error.localizedDescription, "stages[1].functions[0].bake is '-1'; expected a duration from 0s to 7d, e.g. 90 (seconds), 0.5, 30s, 5m, 1h30m or 7d")
        }
        XCTAssertThrowsError(try request.validate()) { XCTAssertTrue($0.localizedDescription.hasPrefix("bake is"), $0.localizedDescription) }
    }

    func testPrepare_alarmInAlarm_withAllowAlarming_isReadyWithTheAlarmSuppressed() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .alarm)
        let preparation = try await f.engine.prepare(try f.request(alarms: ["Errors"], allowAlarming: true), id: "d-1")
        guard case let .ready(deployment, warnings) = preparation else { return XCTFail("\(preparation)") }
        XCTAssertEqual(deployment.suppressedAlarms, ["Errors"])
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("Errors is in ALARM"), warnings[0])
    }

    func testAllowAlarming_alarmStayingInAlarm_doesNotRollBack() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .alarm)
        let deployment = try await f.deploy(f.request(alarms: ["Errors"], allowAlarming: true))

        XCTAssertEqual(deployment.status, .succeeded)
        XCTAssertEqual(deployment.suppressedAlarms, ["Errors"])
    }

    func testAllowAlarming_suppressedAlarm_isWatchedAgainAfterItGoesOKThenBackToAlarm() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .alarm)
        let start = f.start
        // In ALARM at the start (the fix ships anyway), OK from 60 s, in ALARM again from 200 s.
        f.alarms.script { now in
            let t = now.timeIntervalSince(start)
            return ["Errors": t >= 60 && t < 200 ? .ok : .alarm]
        }
        let deployment = try await f.deploy(f.request("Linear10PercentEvery1Minute", alarms: ["Errors"], allowAlarming: true))

        XCTAssertEqual(deployment.status, .failed)
        XCTAssertTrue(deployment.rolledBack)
        XCTAssertEqual(deployment.phase.reason, .alarm(name: "Errors", reason: "Errors went to ALARM (scripted)"))
        XCTAssertEqual(f.moves.last, Move(200, .single(1)))
        XCTAssertEqual(deployment.suppressedAlarms, [])
    }

    func testPrepare_alarmInInsufficientData_warns() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .insufficientData)
        let preparation = try await f.engine.prepare(try f.request(alarms: ["Errors"]), id: "d-1")
        guard case let .ready(deployment, warnings) = preparation else { return XCTFail("\(preparation)") }
        XCTAssertEqual(deployment.suppressedAlarms, [])
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("Errors is in INSUFFICIENT_DATA"), warnings[0])
    }

    func testPrepare_hookFunctionMissing_throwsNotFound() async throws {
        let f = Fixture()
        for request in [try f.request(pre: "nowhere"), try f.request(post: "nowhere:3")] {
            await XCTAssertThrowsErrorAsync(try await f.engine.prepare(request, id: "d-1")) { error in
                guard case let .notFound(kind, name, _) = error as? ShiftCoreError else { return XCTFail("\(error)") }
                XCTAssertEqual(kind, "function")
                XCTAssertEqual(name, "nowhere")
            }
        }
        XCTAssertTrue(f.platform.invocations.isEmpty)
    }

    func testPrepare_hookVersionMissing_throwsNotFound() async throws {
        let f = Fixture()
        let request = try f.request(pre: "pre-check:9")
        await XCTAssertThrowsErrorAsync(try await f.engine.prepare(request, id: "d-1")) { error in
            guard case let .notFound(kind, _, _) = error as? ShiftCoreError else { return XCTFail("\(error)") }
            XCTAssertEqual(kind, "version")
        }
    }

    func testPrepare_buildsTheRecordWithoutSavingOrMovingAnything() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request(alarms: []))

        XCTAssertEqual(deployment.phase, .created)
        XCTAssertEqual(deployment.originalVersion, 1)
        XCTAssertEqual(deployment.aliasRevisionId, f.platform.currentAlias("live", of: "orders")?.revisionId)
        XCTAssertTrue(deployment.events.isEmpty)
        XCTAssertTrue(f.journal.records.isEmpty)
        XCTAssertTrue(f.platform.updates.isEmpty)
    }

    func testCheckBeforeTargetExists_refusesAMissingHookAliasOrAlarm_withoutTheTargetVersion() async throws {
        let f = Fixture()
        // Version 7 does not exist yet: `shift deploy --code` publishes it only after this check passes.
        try await f.engine.checkBeforeTargetExists(f.request(target: 7, pre: "pre-check", post: "post-check"))
        for request in [try f.request(target: 7, pre: "nohook"), try f.request(alias: "nope", target: 7), try f.request(target: 7, alarms: ["nope"])] {
            await XCTAssertThrowsErrorAsync(try await f.engine.checkBeforeTargetExists(request)) { error in
                guard case .notFound = error as? ShiftCoreError else { return XCTFail("\(error)") }
            }
        }
        XCTAssertEqual(f.platform.updates.count, 0)
    }

    // MARK: - Hooks

    func testPreTrafficFailure_neverMovesTraffic() async throws {
        let f = Fixture()
        f.platform.script("pre-check") { _ in InMemoryPlatform.result("{}", functionError: "Unhandled", logTail: "AssertionError: 500") }
        let deployment = try await f.deploy(f.request(pre: "pre-check"))

        XCTAssertTrue(f.platform.updates.isEmpty, "no updateAlias call at all")
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertTrue(deployment.rolledBack)
        XCTAssertEqual(deployment.phase.reason, .hookFailed(hook: .preTraffic, detail: "Unhandled (AssertionError: 500)"))
        XCTAssertEqual(f.platform.currentAlias("live", of: "orders")?.routing, .single(1))
    }

    func testPreTrafficResponseStatusFailed_rollsBackWithoutMovingTraffic() async throws {
        let f = Fixture()
        f.platform.script("pre-check") { _ in InMemoryPlatform.result(#"{"status": "Failed", "reason": "smoke test failed"}"#) }
        let deployment = try await f.deploy(f.request(pre: "pre-check"))

        XCTAssertTrue(f.platform.updates.isEmpty)
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertTrue(deployment.rolledBack)
        guard case let .hookFailed(hook, detail) = deployment.phase.reason else { return XCTFail("\(deployment.phase)") }
        XCTAssertEqual(hook, .preTraffic)
        XCTAssertTrue(detail.contains("smoke test failed"), detail)
    }

    func testPreTrafficHookThatCannotBeInvoked_rollsBack() async throws {
        let f = Fixture()
        f.platform.script("pre-check") { _ in throw ShiftCoreError.failed(reason: "handler could not start") }
        let deployment = try await f.deploy(f.request(pre: "pre-check"))

        XCTAssertTrue(f.platform.updates.isEmpty)
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertEqual(deployment.phase.reason, .hookFailed(hook: .preTraffic, detail: "handler could not start"))
    }

    func testPreTrafficSuccess_runsBeforeAnyTrafficMoves() async throws {
        let f = Fixture()
        let platform = f.platform
        f.platform.script("pre-check") { _ in
            XCTAssertTrue(platform.updates.isEmpty, "PreTraffic runs before the first shift")
            return InMemoryPlatform.result(#"{"status": "Succeeded"}"#)
        }
        let deployment = try await f.deploy(f.request(pre: "pre-check"))

        XCTAssertEqual(deployment.status, .succeeded)
        XCTAssertEqual(f.platform.invocations.map(\.function), ["pre-check"])
    }

    func testPostTrafficFailure_rollsBackFromAllTraffic() async throws {
        let f = Fixture()
        f.platform.script("post-check") { _ in InMemoryPlatform.result(#"{"status": "Failed"}"#) }
        let deployment = try await f.deploy(f.request(post: "post-check"))

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(300, .single(2)), Move(300, .single(1))])
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertTrue(deployment.rolledBack)
        guard case .hookFailed(.postTraffic, _) = deployment.phase.reason else { return XCTFail("\(deployment.phase)") }
    }

    func testHooks_receiveTheDeploymentAndBothVersions() async throws {
        let f = Fixture()
        let deployment = try await f.deploy(f.request(pre: "pre-check", post: "post-check:1"))

        let events = f.platform.invocations.compactMap(\.hookEvent)
        XCTAssertEqual(events.map(\.LifecycleEvent), ["PreTraffic", "PostTraffic"])
        for event in events {
            XCTAssertEqual(event.DeploymentId, deployment.id)
            XCTAssertEqual(event.FunctionName, "orders")
            XCTAssertEqual(event.Alias, "live")
            XCTAssertEqual(event.CurrentVersion, "1")
            XCTAssertEqual(event.TargetVersion, "2")
        }
        XCTAssertNotEqual(events[0].LifecycleEventHookExecutionId, events[1].LifecycleEventHookExecutionId)
        XCTAssertEqual(f.platform.invocations.map(\.qualifier), [.latest, .version(1)])
    }

    func testPreTrafficHookTimeout_rollsBackAtTheTimeoutWithoutMovingTraffic() async throws {
        let f = Fixture()
        f.platform.script("pre-check") { invocation in
            try await invocation.sleep(for: 7_200)
            return InMemoryPlatform.result("{}")
        }
        let deployment = try await f.deploy(f.request(pre: "pre-check", hookTimeout: 600))

        XCTAssertTrue(f.platform.updates.isEmpty)
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertTrue(deployment.rolledBack)
        XCTAssertEqual(deployment.phase.reason, .hookTimedOut(hook: .preTraffic, seconds: 600))
        let failed = try XCTUnwrap(deployment.events.first { $0.kind == .hookFailed })
        XCTAssertEqual(failed.time, f.at(600))
        XCTAssertEqual(deployment.completedAt, f.at(600))
        // The hook was cancelled: nothing is left waiting on the clock.
        XCTAssertEqual(f.clock.sleeperCount, 0)
    }

    func testPostTrafficHookTimeout_rollsBackFromAllTrafficAtTheTimeout() async throws {
        let f = Fixture()
        f.platform.script("post-check") { invocation in
            try await invocation.sleep(for: 4_000)
            return InMemoryPlatform.result("{}")
        }
        let deployment = try await f.deploy(f.request(post: "post-check"))

        // Default hook timeout: one hour.
        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(300, .single(2)), Move(3_900, .single(1))])
        XCTAssertEqual(deployment.phase.reason, .hookTimedOut(hook: .postTraffic, seconds: 3_600))
    }

    func testSlowHookWithinItsTimeout_passes_andShiftingStartsWhenItReturns() async throws {
        let f = Fixture()
        f.platform.script("pre-check") { invocation in
            try await invocation.sleep(for: 120)
            return InMemoryPlatform.result(#"{"status": "Succeeded"}"#)
        }
        let deployment = try await f.deploy(f.request(pre: "pre-check", hookTimeout: 600))

        XCTAssertEqual(deployment.status, .succeeded)
        XCTAssertEqual(f.moves, [Move(120, f.split(10)), Move(420, .single(2))])
    }

    // MARK: - Alarms

    func testAlarmInAlarm_rollsBackWithinOnePoll() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let start = f.start
        f.alarms.script { ["Errors": $0.timeIntervalSince(start) >= 131 ? .alarm : .ok] }
        let deployment = try await f.deploy(f.request("Linear10PercentEvery1Minute", alarms: ["Errors"], pollInterval: 5))

        // Steps at 0, 60, 120; polls every 5 s from each step; the alarm fires at 131 and is seen at the 135 poll.
        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(60, f.split(20)), Move(120, f.split(30)), Move(135, .single(1))])
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertTrue(deployment.rolledBack)
        XCTAssertEqual(deployment.phase.reason, .alarm(name: "Errors", reason: "Errors went to ALARM (scripted)"))
    }

    func testAlarmEnteringAlarmAtEachStepOfALinearSchedule_rollsBackFromThatStepWithinOnePoll() async throws {
        let pollInterval: TimeInterval = 5
        let schedule = try DeploymentPreference.named("Linear10PercentEvery1Minute").schedule
        for (index, step) in schedule.steps.enumerated() {
            let f = Fixture()
            f.alarms.set("Errors", .ok)
            let start = f.start
            // Mid-hold, off the poll grid; the last step (100 %) holds only through the bake.
            let firesAt = Double(index) * 60 + 31
            f.alarms.script { ["Errors": $0.timeIntervalSince(start) >= firesAt ? .alarm : .ok] }
            let deployment = try await f.deploy(f.request("Linear10PercentEvery1Minute", alarms: ["Errors"], bake: 60, pollInterval: pollInterval))

            let rollback = try XCTUnwrap(f.moves.last, "step \(index + 1)")
            XCTAssertEqual(rollback.routing, .single(1), "step \(index + 1)")
            XCTAssertEqual(rollback.offset, Double(index) * 60 + 35, "step \(index + 1): the first poll after the alarm")
            XCTAssertGreaterThan(rollback.offset, firesAt)
            XCTAssertLessThanOrEqual(rollback.offset - firesAt, pollInterval)
            XCTAssertEqual(f.moves.dropLast().last?.routing, deployment.routing(at: step.weight), "rolled back from step \(index + 1)")
            XCTAssertEqual(f.moves.count, index + 2, "no step after step \(index + 1)")
            XCTAssertEqual(deployment.status, .failed)
            XCTAssertTrue(deployment.rolledBack)
        }
    }

    func testAlarmAlreadyInAlarmAtAStepBoundary_preventsThatStep() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let start = f.start
        f.alarms.script { ["Errors": $0.timeIntervalSince(start) >= 300 ? .alarm : .ok] }
        let deployment = try await f.deploy(f.request("Canary10Percent5Minutes", alarms: ["Errors"]))

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(300, .single(1))])
        XCTAssertEqual(deployment.status, .failed)
    }

    func testAlarmsUnreadable_rollsBack() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        f.alarms.makeUnreadable(from: f.at(90), error: ShiftCoreError.failed(reason: "CloudWatch unreachable"))
        let deployment = try await f.deploy(f.request("Linear10PercentEvery1Minute", alarms: ["Errors"]))

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(60, f.split(20)), Move(90, .single(1))])
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertTrue(deployment.rolledBack)
        XCTAssertEqual(deployment.phase.reason, .alarmsUnreadable(detail: "CloudWatch unreachable"))
    }

    func testAlarmsUnreadable_withIgnorePollAlarmFailure_continuesWithOneWarning() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        f.alarms.makeUnreadable(from: f.at(90))
        let deployment = try await f.deploy(f.request("Linear10PercentEvery1Minute", alarms: ["Errors"], ignorePollAlarmFailure: true))

        XCTAssertEqual(deployment.status, .succeeded)
        XCTAssertEqual(f.moves.count, 10)
        let warnings = deployment.events.filter { $0.kind == .warning }
        XCTAssertEqual(warnings.count, 1, "warned once, not at every poll")
        XCTAssertEqual(warnings.first?.time, f.at(90))
        XCTAssertTrue(warnings.first?.message.contains("ignorePollAlarmFailure") ?? false)
    }

    // MARK: - Bake

    func testBake_holdsAtAllTrafficWatchingAlarmsBeforePostTraffic() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let clock = f.clock
        let hookTimes = Collected<Date>()
        f.platform.script("post-check") { _ in
            hookTimes.append(clock.now)
            return InMemoryPlatform.result("{}")
        }
        let deployment = try await f.deploy(f.request(alarms: ["Errors"], post: "post-check", bake: 600))

        XCTAssertEqual(deployment.status, .succeeded)
        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(300, .single(2))])
        XCTAssertEqual(hookTimes.values, [f.at(900)], "PostTraffic runs after the bake")
        let readsDuringBake = f.alarms.reads.filter { $0 > f.at(300) && $0 <= f.at(900) }
        XCTAssertEqual(readsDuringBake.count, 600, "alarms polled every second while baking")
        XCTAssertEqual(deployment.completedAt, f.at(900))
    }

    func testAlarmDuringBake_rollsBackFromAllTraffic() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let start = f.start
        f.alarms.script { ["Errors": $0.timeIntervalSince(start) >= 450.5 ? .alarm : .ok] }
        let deployment = try await f.deploy(f.request(alarms: ["Errors"], post: "post-check", bake: 600))

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(300, .single(2)), Move(451, .single(1))])
        XCTAssertTrue(f.platform.invocations.isEmpty, "PostTraffic never ran")
        XCTAssertEqual(deployment.status, .failed)
    }

    // MARK: - Stop requests

    func testStopRequest_withRollback_isStoppedAndRolledBackAtTheNextPoll() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Linear10PercentEvery1Minute"))
        let driver = f.driver(deployment)
        let clock = f.clock, at100 = f.at(100)
        try await driver.advance(until: { clock.now >= at100 })
        let requestedAt = clock.now
        f.journal.requestStop(deployment.id, rollback: true, at: requestedAt, by: "ops@host")
        let final = try await driver.finish()

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(60, f.split(20)), Move(101, .single(1))])
        XCTAssertEqual(final.status, .stopped)
        XCTAssertTrue(final.rolledBack)
        guard case let .stopRequested(detail) = final.phase.reason else { return XCTFail("\(final.phase)") }
        // ISO 8601, as every other timestamp shift prints.
        XCTAssertEqual(detail, "by ops@host at \(Timestamp.format(requestedAt))")
        XCTAssertTrue(final.events.contains { $0.kind == .stopRequested })
    }

    func testStopRequest_withoutRollback_isStoppedAndLeavesTheAliasSplit() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Linear10PercentEvery1Minute"))
        let driver = f.driver(deployment)
        let clock = f.clock, at100 = f.at(100)
        try await driver.advance(until: { clock.now >= at100 })
        f.journal.requestStop(deployment.id, rollback: false, at: clock.now)
        let final = try await driver.finish()

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(60, f.split(20))])
        XCTAssertEqual(f.platform.currentAlias("live", of: "orders")?.routing, f.split(20))
        XCTAssertEqual(final.status, .stopped)
        XCTAssertFalse(final.rolledBack)
        guard case .stopped(.stopRequested) = final.phase else { return XCTFail("\(final.phase)") }
        XCTAssertEqual(final.events.last?.kind, .stopped)
    }

    // MARK: - Interruption

    func testInterruption_rollsBackToCompletionEvenThoughTheTaskIsCancelled() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Linear10PercentEvery1Minute"))
        // The first rollback attempt fails, so the rollback must sleep its backoff on a cancelled task's behalf.
        f.platform.failNextUpdates(1, where: { $0 == .single(1) })
        let interruption = Interruption()
        let driver = f.driver(deployment, interruption: interruption)
        let platform = f.platform
        try await driver.advance(until: { platform.appliedUpdates.count == 3 })
        let interruptedAt = f.clock.now
        interruption.record("SIGTERM")
        driver.cancel()
        let final = try await driver.finish()

        XCTAssertEqual(final.status, .stopped)
        XCTAssertTrue(final.rolledBack)
        XCTAssertEqual(final.phase.reason, .interrupted(signal: "SIGTERM"))
        let rollback = f.platform.updates.suffix(2)
        XCTAssertEqual(rollback.map(\.time), [interruptedAt, interruptedAt.addingTimeInterval(0.5)], "the backoff was slept, not cut short")
        XCTAssertEqual(rollback.map(\.isApplied), [false, true])
        XCTAssertEqual(f.platform.currentAlias("live", of: "orders")?.routing, .single(1))
        XCTAssertEqual(f.journal.latest?.phase, final.phase, "the outcome is journalled")
    }

    func testInterruptionDuringAHook_rollsBackWithoutMovingTraffic() async throws {
        let f = Fixture()
        f.platform.script("pre-check") { invocation in
            try await invocation.sleep(for: 7_200)
            return InMemoryPlatform.result("{}")
        }
        let deployment = try await f.prepare(f.request(pre: "pre-check"))
        let interruption = Interruption()
        let driver = f.driver(deployment, interruption: interruption)
        let journal = f.journal
        // Interrupt while the hook sleeps (with its timeout timer).
        try await driver.advance(until: { journal.isAwaitingHookOutcome })
        interruption.record("SIGINT")
        driver.cancel()
        let final = try await driver.finish()

        XCTAssertTrue(f.platform.updates.isEmpty)
        XCTAssertEqual(final.status, .stopped)
        XCTAssertTrue(final.rolledBack)
        XCTAssertEqual(final.phase.reason, .interrupted(signal: "SIGINT"))
    }

    func testInterruptedBeforePreTraffic_neverInvokesTheHook() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request(pre: "pre-check"))
        let engine = f.engine
        let interruption = Interruption()
        interruption.record("SIGTERM")
        // The signal arrives before the engine gets to the hook: its task is already cancelled.
        let driver = ClockDriver.engine(clock: f.clock, platform: f.platform, journal: f.journal) {
            withUnsafeCurrentTask { $0?.cancel() }
            return await engine.run(deployment, interruption: interruption)
        }
        let final = try await driver.finish()
        // Give a wrongly started invocation time to show up.
        try await Task.sleep(nanoseconds: 50_000_000)

        XCTAssertTrue(f.platform.invocations.isEmpty, "the PreTraffic hook must not run for an interrupted deployment")
        XCTAssertTrue(f.platform.updates.isEmpty)
        XCTAssertEqual(final.status, .stopped)
        XCTAssertTrue(final.rolledBack)
        XCTAssertEqual(final.phase.reason, .interrupted(signal: "SIGTERM"))
    }

    func testCancellationWithoutASignalName_isReportedAsCancellation() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request())
        let driver = f.driver(deployment)
        let platform = f.platform
        try await driver.advance(until: { platform.appliedUpdates.count == 1 })
        driver.cancel()
        let final = try await driver.finish()

        XCTAssertEqual(final.phase.reason, .interrupted(signal: "cancellation"))
        XCTAssertEqual(f.platform.currentAlias("live", of: "orders")?.routing, .single(1))
    }

    // MARK: - Rollback failures

    func testRollbackFailingEveryAttempt_endsRollbackFailedAfterDoublingBackoff() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let start = f.start
        f.alarms.script { ["Errors": $0.timeIntervalSince(start) >= 100 ? .alarm : .ok] }
        f.platform.failNextUpdates(100, where: { $0 == .single(1) }, error: ShiftCoreError.failed(reason: "throttled"))
        let deployment = try await f.deploy(f.request(alarms: ["Errors"]))

        let attempts = f.platform.updates.filter { $0.routing == .single(1) }
        XCTAssertEqual(attempts.map { $0.time.timeIntervalSince(start) }, [100, 100.5, 101.5, 103.5, 107.5])
        XCTAssertTrue(attempts.allSatisfy { !$0.isApplied })
        XCTAssertEqual(deployment.status, .rollbackFailed)
        XCTAssertFalse(deployment.rolledBack)
        XCTAssertEqual(deployment.phase.reason, .alarm(name: "Errors", reason: "Errors went to ALARM (scripted)"))
        XCTAssertEqual(deployment.events.filter { $0.kind == .rollbackAttemptFailed }.count, 5)
        XCTAssertEqual(deployment.events.last?.kind, .rollbackFailed)
        XCTAssertTrue(deployment.events.last?.message.contains("a human must act") ?? false)
        XCTAssertEqual(f.platform.currentAlias("live", of: "orders")?.routing, f.split(10), "the alias is still split")
    }

    func testRollbackAttempts_areConfigurable() async throws {
        let f = Fixture()
        f.engine.rollbackAttempts = 3
        f.engine.rollbackBackoff = 2
        f.platform.script("post-check") { _ in InMemoryPlatform.result(#"{"status":"Failed"}"#) }
        f.platform.failNextUpdates(100, where: { $0 == .single(1) })
        let deployment = try await f.deploy(f.request("AllAtOnce", post: "post-check"))

        let attempts = f.platform.updates.filter { $0.routing == .single(1) }
        XCTAssertEqual(attempts.map { $0.time.timeIntervalSince(f.start) }, [0, 2, 6])
        XCTAssertEqual(deployment.status, .rollbackFailed)
    }

    func testRollbackSucceedingOnARetry_isRolledBack() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let start = f.start
        f.alarms.script { ["Errors": $0.timeIntervalSince(start) >= 100 ? .alarm : .ok] }
        f.platform.failNextUpdates(2, where: { $0 == .single(1) })
        let deployment = try await f.deploy(f.request(alarms: ["Errors"]))

        let attempts = f.platform.updates.filter { $0.routing == .single(1) }
        XCTAssertEqual(attempts.map { $0.time.timeIntervalSince(start) }, [100, 100.5, 101.5])
        XCTAssertEqual(attempts.map(\.isApplied), [false, false, true])
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertTrue(deployment.rolledBack)
        XCTAssertEqual(deployment.events.filter { $0.kind == .rollbackAttemptFailed }.count, 2)
        XCTAssertEqual(f.platform.currentAlias("live", of: "orders")?.routing, .single(1))
    }

    func testForwardUpdateFailing_rollsBackWithThePlatformError() async throws {
        let f = Fixture()
        f.platform.failNextUpdates(1, where: { $0 == .single(2) }, error: ShiftCoreError.failed(reason: "service unavailable"))
        let deployment = try await f.deploy(f.request())

        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(300, .single(1))])
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertEqual(deployment.phase.reason, .platformError(detail: "service unavailable"))
    }

    // MARK: - Someone else moves the alias

    func testAliasMovedBySomeoneElseBetweenSteps_stopsWithoutRollingBack() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Linear10PercentEvery1Minute"))
        let driver = f.driver(deployment)
        let platform = f.platform
        try await driver.advance(until: { platform.appliedUpdates.count == 2 })
        let theirs = try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 2, weight: Weight(0.5)))
        f.platform.setAlias("live", of: "orders", routing: theirs)
        let final = try await driver.finish()

        XCTAssertEqual(f.platform.updates.count, 2, "no further updateAlias: not ours to overwrite")
        XCTAssertEqual(f.platform.currentAlias("live", of: "orders")?.routing, theirs)
        XCTAssertEqual(final.status, .stopped)
        XCTAssertFalse(final.rolledBack)
        guard case .aliasChangedExternally = final.phase.reason else { return XCTFail("\(final.phase)") }
    }

    func testAliasMovedBySomeoneElse_withTheRevisionIdUnchanged_isStillDetected() async throws {
        let f = Fixture()
        let deployment = try await f.prepare(f.request("Linear10PercentEvery1Minute"))
        let driver = f.driver(deployment)
        let platform = f.platform
        try await driver.advance(until: { platform.appliedUpdates.count == 2 })
        let theirs = AliasRouting.single(1)
        f.platform.setAlias("live", of: "orders", routing: theirs, keepingRevision: true)
        let final = try await driver.finish()

        XCTAssertEqual(f.platform.updates.count, 2, "the routing differs from what step 2 wrote, so step 3 is not taken")
        XCTAssertEqual(f.platform.currentAlias("live", of: "orders")?.routing, theirs)
        XCTAssertEqual(final.status, .stopped)
        guard case let .aliasChangedExternally(detail) = final.phase.reason else { return XCTFail("\(final.phase)") }
        XCTAssertTrue(detail.contains("found 1"), detail)
    }

    // MARK: - Platform notices

    func testPlatformNotices_areJournalledInOrderBeforeTheNextEvent() async throws {
        let f = Fixture()
        f.platform.addNotice("Lambda UpdateAlias: attempt 2 after ThrottlingException (waited 0.10 s)")
        let deployment = try await f.deploy(f.request("AllAtOnce"))

        XCTAssertEqual(deployment.status, .succeeded)
        let notices = deployment.events.filter { $0.kind == .platformNotice }.map(\.message)
        XCTAssertEqual(notices, ["Lambda UpdateAlias: attempt 2 after ThrottlingException (waited 0.10 s)"])
        XCTAssertEqual(f.platform.drainNotices(), [], "taken once")
    }

    // MARK: - Journal

    func testJournal_recordsEachDecisionBeforeTheAliasMoves() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let start = f.start
        f.alarms.script { ["Errors": $0.timeIntervalSince(start) >= 150 ? .alarm : .ok] }
        let journal = f.journal
        let journalled = Collected<Deployment?>()
        f.platform.whenUpdatingAlias { _ in journalled.append(journal.latest) }
        let deployment = try await f.deploy(f.request("Linear10PercentEvery1Minute", alarms: ["Errors"]))

        XCTAssertEqual(f.platform.updates.count, 4)
        let snapshots = journalled.values
        for step in 1...3 {
            let record = try XCTUnwrap(snapshots[step - 1])
            XCTAssertEqual(record.phase, .shifting(step: step - 1), "step \(step)")
            XCTAssertEqual(record.events.last?.kind, .shiftStarted, "step \(step)")
            XCTAssertEqual(record.events.last?.step, step)
        }
        let beforeRollback = try XCTUnwrap(snapshots[3])
        XCTAssertEqual(beforeRollback.phase, .rollingBack(reason: deployment.phase.reason!))
        XCTAssertEqual(beforeRollback.events.last?.kind, .rollbackStarted)
        // And each outcome after.
        XCTAssertEqual(f.journal.latest, deployment)
        for step in 1...3 {
            XCTAssertTrue(f.journal.records.contains { $0.events.last?.kind == .shifted && $0.events.last?.step == step }, "step \(step)")
        }
    }

    func testJournalUnwritableBeforeAStep_movesNoMoreTrafficForward_holdingForThePatience_thenRollsBack() async throws {
        let f = Fixture()
        f.journal.failSaves { record in record.events.contains { $0.kind == .shiftStarted && $0.step == 3 } }
        let deployment = try await f.deploy(f.request("Linear10PercentEvery1Minute"))

        // Step 3 is due at 120 s; it waits the engine's patience (60 s) for its journal write, then the rollback.
        XCTAssertEqual(f.moves, [Move(0, f.split(10)), Move(60, f.split(20)), Move(180, .single(1))])
        XCTAssertFalse(f.platform.updates.contains { $0.routing == f.split(30) }, "step 3 was never taken")
        XCTAssertEqual(deployment.status, .failed)
        XCTAssertTrue(deployment.rolledBack)
        guard case .journalUnwritable = deployment.phase.reason else { return XCTFail("\(deployment.phase)") }
    }

    // MARK: - Resume

    func testResume_fromShiftingStep2_reappliesThatStepAndContinuesToSuccess() async throws {
        let f = Fixture()
        var deployment = try await f.prepare(f.request("Linear10PercentEvery1Minute"))
        // A previous process applied steps 0 and 1, journalled step 2, and died.
        let alias = f.platform.setAlias("live", of: "orders", routing: f.split(20))
        deployment.phase = .shifting(step: 2)
        deployment.aliasRevisionId = alias.revisionId
        deployment.events = [DeploymentEvent(time: f.start, kind: .created, message: "created")]
        let final = try await f.finish(deployment)

        XCTAssertEqual(f.moves, (3...10).map { Move(Double($0 - 3) * 60, $0 == 10 ? .single(2) : f.split(Double($0) * 10)) })
        XCTAssertEqual(final.status, .succeeded)
        XCTAssertEqual(final.events.filter { $0.kind == .created }.count, 1, "no second Created event")
        XCTAssertEqual(final.events.first { $0.kind == .shiftStarted }?.step, 3)
    }

    func testResume_fromRollingBack_finishesTheRollback() async throws {
        let f = Fixture()
        var deployment = try await f.prepare(f.request("Linear10PercentEvery1Minute"))
        f.platform.setAlias("live", of: "orders", routing: f.split(30))
        deployment.phase = .rollingBack(reason: .processDied)
        deployment.events = [DeploymentEvent(time: f.start, kind: .rollbackStarted, message: "recovering")]
        let final = try await f.finish(deployment)

        XCTAssertEqual(f.moves, [Move(0, .single(1))])
        XCTAssertEqual(final.status, .stopped)
        XCTAssertTrue(final.rolledBack)
        XCTAssertEqual(final.phase.reason, .processDied)
    }

    func testRecover_afterDeathMidShift_namesTheStepItDiedIn_thenRollsBack() async throws {
        let f = Fixture()
        var deployment = try await f.prepare(f.request("Linear10PercentEvery1Minute"))
        let alias = f.platform.setAlias("live", of: "orders", routing: f.split(20))
        deployment.phase = .shifting(step: 1)
        deployment.aliasRevisionId = alias.revisionId
        deployment.events = [DeploymentEvent(time: f.start, kind: .created, message: "created")]
        let engine = f.engine, died = deployment
        let final = try await ClockDriver.engine(clock: f.clock, platform: f.platform, journal: f.journal) {
            await engine.recover(died, resume: false)
        }.finish()

        let message = try XCTUnwrap(final.events.first { $0.kind == .rollbackStarted }?.message)
        XCTAssertTrue(message.hasPrefix("recovering: the deploying process died in step 2; "), message)
        XCTAssertTrue(message.hasSuffix("; rolling back to version 1"), message)
        XCTAssertEqual(final.status, .stopped)
        XCTAssertTrue(final.rolledBack)
    }

    // MARK: - Event log

    func testEventLog_simpleCanary_kindsInOrder() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let updates = Collected<DeploymentUpdate>()
        let request = try f.request(alarms: ["Errors"], pre: "pre-check", post: "post-check")
        let deployment = try await f.deploy(request, observe: { updates.append($0) })

        XCTAssertEqual(deployment.events.map(\.kind), [
            .created, .hookStarted, .hookSucceeded, .alarmState, .shiftStarted, .shifted,
            .shiftStarted, .shifted, .hookStarted, .hookSucceeded, .succeeded,
        ])
        let shifts = deployment.events.filter { $0.kind == .shifted }
        XCTAssertEqual(shifts.map(\.step), [1, 2])
        XCTAssertEqual(shifts.map(\.weight), [10, 100])
        XCTAssertEqual(shifts.map(\.time), [f.at(0), f.at(300)])
        XCTAssertEqual(deployment.events.first { $0.kind == .alarmState }?.alarms, ["Errors": "OK"])
        // The observer saw every event, in order, and progress while holding.
        let observed = updates.values.compactMap { update -> DeploymentEvent? in
            if case let .event(event) = update { return event }
            return nil
        }
        XCTAssertEqual(observed, deployment.events)
        let progress = updates.values.compactMap { update -> DeploymentProgress? in
            if case let .holding(progress) = update { return progress }
            return nil
        }
        let first = try XCTUnwrap(progress.first)
        XCTAssertEqual(first.step, 1)
        XCTAssertEqual(first.stepCount, 2)
        XCTAssertEqual(first.weight, try Weight(percent: 10))
        XCTAssertEqual(first.remaining, 300)
        XCTAssertEqual(first.alarms, ["Errors": .ok])
        XCTAssertEqual(progress.last?.weight, .full)
    }

    func testDeployment_roundTripsThroughJSON() async throws {
        let f = Fixture()
        f.alarms.set("Errors", .ok)
        let start = f.start
        f.alarms.script { ["Errors": $0.timeIntervalSince(start) >= 30 ? .alarm : .ok] }
        let deployment = try await f.deploy(f.request(alarms: ["Errors"], pre: "pre-check"))

        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let decoded = try decoder.decode(Deployment.self, from: encoder.encode(deployment))
        XCTAssertEqual(decoded, deployment)
        XCTAssertEqual(decoded.status, .failed)
        XCTAssertTrue(decoded.rolledBack)
    }
}

// MARK: - Fixture

/// One alias move, as seconds from the start of the test and the routing it set.
struct Move: Equatable, CustomStringConvertible {
    var offset: TimeInterval
    var routing: AliasRouting

    init(_ offset: TimeInterval, _ routing: AliasRouting) {
        self.offset = offset
        self.routing = routing
    }

    var description: String { "\(offset.compact)s: \(routing)" }
}

/// The doubles on one manual clock, with `orders` versions 1 and 2, alias `live` at 1, and two hook functions.
final class Fixture: @unchecked Sendable {
    let clock = ManualClock()
    let platform: InMemoryPlatform
    let alarms: InMemoryAlarmSource
    let journal = InMemoryJournal()
    var engine: DeploymentEngine
    let start: Date

    init() {
        platform = InMemoryPlatform(clock: clock)
        alarms = InMemoryAlarmSource(clock: clock)
        engine = DeploymentEngine(platform: platform, alarms: alarms, journal: journal, clock: clock)
        start = clock.now
        platform.publish("orders", versions: [1, 2])
        platform.setAlias("live", of: "orders", routing: .single(1))
        platform.publish("pre-check", versions: [1])
        platform.publish("post-check", versions: [1])
    }

    func at(_ offset: TimeInterval) -> Date { start.addingTimeInterval(offset) }

    /// Version 1 with `percent` on version 2.
    func split(_ percent: Double) -> AliasRouting {
        try! AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 2, weight: Weight(percent: percent)))
    }

    /// Every applied `updateAlias`, as offsets from the start.
    var moves: [Move] {
        platform.appliedUpdates.map { Move($0.time.timeIntervalSince(start), $0.routing) }
    }

    func request(_ preference: String = "Canary10Percent5Minutes", alias: String = "live", target: Int = 2, alarms: [String] = [],
                 pre: String? = nil, post: String? = nil, hookTimeout: TimeInterval = DeploymentRequest.defaultHookTimeout,
                 bake: TimeInterval = 0, pollInterval: TimeInterval = 1, allowAlarming: Bool = false,
                 ignorePollAlarmFailure: Bool = false) throws -> DeploymentRequest {
        DeploymentRequest(functionName: "orders", alias: alias, targetVersion: target, preference: try DeploymentPreference.named(preference),
                          alarms: alarms, preTrafficHook: pre, postTrafficHook: post, hookTimeout: hookTimeout, bake: bake,
                          pollInterval: pollInterval, allowAlarming: allowAlarming, ignorePollAlarmFailure: ignorePollAlarmFailure)
    }

    /// The record `prepare` builds, failing the test unless it is ready.
    func prepare(_ request: DeploymentRequest) async throws -> Deployment {
        let preparation = try await engine.prepare(request, id: "d-TEST00001")
        guard case let .ready(deployment, _) = preparation else {
            throw ShiftCoreError.failed(reason: "expected a ready deployment, got \(preparation)")
        }
        return deployment
    }

    func driver(_ deployment: Deployment, interruption: Interruption = Interruption(),
                observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in }) -> ClockDriver<Deployment> {
        let engine = engine
        return ClockDriver.engine(clock: clock, platform: platform, journal: journal) {
            await engine.run(deployment, interruption: interruption, observe: observe)
        }
    }

    /// Runs `deployment` to its end, moving the clock whenever the engine waits.
    func finish(_ deployment: Deployment) async throws -> Deployment {
        try await driver(deployment).finish()
    }

    /// Prepares and runs `request` to its end.
    func deploy(_ request: DeploymentRequest, observe: @escaping @Sendable (DeploymentUpdate) -> Void = { _ in }) async throws -> Deployment {
        try await driver(prepare(request), observe: observe).finish()
    }
}

/// Values appended from any task.

/// `XCTAssertThrowsError` for async expressions.
private func XCTAssertThrowsErrorAsync<T>(_ expression: @autoclosure () async throws -> T, file: StaticString = #filePath, line: UInt = #line,
                                          _ handler: (Error) -> Void = { _ in }) async {
    do {
        _ = try await expression()
        XCTFail("expected an error", file: file, line: line)
    } catch {
        handler(error)
    }
}

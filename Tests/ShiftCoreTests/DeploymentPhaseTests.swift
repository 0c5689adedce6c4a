import Foundation
import ShiftCore
import XCTest

/// The lifecycle's transition function, case by case, and what each phase reports.
final class DeploymentPhaseTests: XCTestCase {
    private let alarm = RollbackReason.alarm(name: "Errors", reason: "3 > 1")
    private let stop = RollbackReason.stopRequested(detail: "by ops")

    private func plan(steps: Int = 2, pre: Bool = false, post: Bool = false, bake: Bool = false) -> DeploymentPlan {
        DeploymentPlan(stepCount: steps, hasPreTrafficHook: pre, hasPostTrafficHook: post, hasBake: bake)
    }

    // MARK: - Forward path

    func testCreated_withPreTrafficHook_goesToPreTraffic() {
        XCTAssertEqual(DeploymentPhase.created.next(after: .completed, plan: plan(pre: true)), .preTraffic)
    }

    func testCreated_withoutPreTrafficHook_goesStraightToFirstStep() {
        XCTAssertEqual(DeploymentPhase.created.next(after: .completed, plan: plan()), .shifting(step: 0))
    }

    func testPreTraffic_completed_goesToFirstStep() {
        XCTAssertEqual(DeploymentPhase.preTraffic.next(after: .completed, plan: plan(pre: true)), .shifting(step: 0))
    }

    func testShifting_completedBeforeLastStep_goesToNextStep() {
        XCTAssertEqual(DeploymentPhase.shifting(step: 0).next(after: .completed, plan: plan(steps: 10)), .shifting(step: 1))
        XCTAssertEqual(DeploymentPhase.shifting(step: 8).next(after: .completed, plan: plan(steps: 10)), .shifting(step: 9))
    }

    func testShifting_promotedToFull_goesToTheLastStep_andFromThereOnAsUsual() {
        XCTAssertEqual(DeploymentPhase.shifting(step: 0).next(after: .promotedToFull, plan: plan(steps: 10)), .shifting(step: 9))
        XCTAssertEqual(DeploymentPhase.shifting(step: 9).next(after: .promotedToFull, plan: plan(steps: 10, bake: true)), .baking)
        XCTAssertEqual(DeploymentPhase.baking.next(after: .promotedToFull, plan: plan(post: true, bake: true)), .postTraffic)
    }

    func testShifting_lastStepCompleted_withBake_goesToBaking() {
        XCTAssertEqual(DeploymentPhase.shifting(step: 1).next(after: .completed, plan: plan(post: true, bake: true)), .baking)
    }

    func testShifting_lastStepCompleted_withoutBake_goesToPostTraffic() {
        XCTAssertEqual(DeploymentPhase.shifting(step: 1).next(after: .completed, plan: plan(post: true)), .postTraffic)
    }

    func testShifting_lastStepCompleted_withoutBakeOrHook_succeeds() {
        XCTAssertEqual(DeploymentPhase.shifting(step: 1).next(after: .completed, plan: plan()), .succeeded)
        XCTAssertEqual(DeploymentPhase.shifting(step: 0).next(after: .completed, plan: plan(steps: 1)), .succeeded)
    }

    func testBaking_completed_goesToPostTrafficOrSucceeds() {
        XCTAssertEqual(DeploymentPhase.baking.next(after: .completed, plan: plan(post: true, bake: true)), .postTraffic)
        XCTAssertEqual(DeploymentPhase.baking.next(after: .completed, plan: plan(bake: true)), .succeeded)
    }

    func testPostTraffic_completed_succeeds() {
        XCTAssertEqual(DeploymentPhase.postTraffic.next(after: .completed, plan: plan(post: true)), .succeeded)
    }

    // MARK: - Failures and stops

    func testEveryActivePhase_failed_rollsBackForThatReason() {
        for phase in [DeploymentPhase.created, .preTraffic, .shifting(step: 0), .shifting(step: 1), .baking, .postTraffic] {
            XCTAssertEqual(phase.next(after: .failed(alarm), plan: plan()), .rollingBack(reason: alarm), "\(phase)")
        }
    }

    func testEveryActivePhase_stopWithoutRollback_stopsWhereItIs() {
        for phase in [DeploymentPhase.created, .preTraffic, .shifting(step: 1), .baking, .postTraffic] {
            XCTAssertEqual(phase.next(after: .stopWithoutRollback(stop), plan: plan()), .stopped(reason: stop), "\(phase)")
        }
    }

    func testActivePhase_rollbackFailedOutcome_endsAsRollbackFailedWithPlatformReason() {
        XCTAssertEqual(DeploymentPhase.shifting(step: 0).next(after: .rollbackFailed(detail: "boom"), plan: plan()),
                       .rollbackFailed(reason: .platformError(detail: "boom"), detail: "boom"))
    }

    // MARK: - Rolling back

    func testRollingBack_completed_isRolledBackForTheSameReason() {
        XCTAssertEqual(DeploymentPhase.rollingBack(reason: alarm).next(after: .completed, plan: plan()), .rolledBack(reason: alarm))
    }

    func testRollingBack_rollbackFailed_keepsTheOriginalReasonAndTheDetail() {
        XCTAssertEqual(DeploymentPhase.rollingBack(reason: alarm).next(after: .rollbackFailed(detail: "5 attempts failed"), plan: plan()),
                       .rollbackFailed(reason: alarm, detail: "5 attempts failed"))
    }

    func testRollingBack_failed_isRollbackFailedWithTheFailureDetail() {
        XCTAssertEqual(DeploymentPhase.rollingBack(reason: alarm).next(after: .failed(.platformError(detail: "x"), detail: "down"), plan: plan()),
                       .rollbackFailed(reason: alarm, detail: "down"))
    }

    func testRollingBack_stopWithoutRollback_keepsRollingBack() {
        XCTAssertEqual(DeploymentPhase.rollingBack(reason: alarm).next(after: .stopWithoutRollback(stop), plan: plan()), .rollingBack(reason: alarm))
    }

    func testFinalPhases_ignoreEveryOutcome() {
        let finals: [DeploymentPhase] = [.succeeded, .rolledBack(reason: alarm), .stopped(reason: stop), .rollbackFailed(reason: alarm, detail: "d")]
        let outcomes: [PhaseOutcome] = [.completed, .failed(alarm), .stopWithoutRollback(stop), .rollbackFailed(detail: "d")]
        for phase in finals {
            for outcome in outcomes {
                XCTAssertEqual(phase.next(after: outcome, plan: plan()), phase, "\(phase) after \(outcome)")
            }
        }
    }

    // MARK: - Status, rolledBack and reason

    func testStatus_mapsEachPhaseToCodeDeploysWords() {
        XCTAssertEqual(DeploymentPhase.created.status, .created)
        for phase in [DeploymentPhase.preTraffic, .shifting(step: 3), .baking, .postTraffic, .rollingBack(reason: alarm)] {
            XCTAssertEqual(phase.status, .inProgress, "\(phase)")
        }
        XCTAssertEqual(DeploymentPhase.succeeded.status, .succeeded)
        XCTAssertEqual(DeploymentPhase.stopped(reason: stop).status, .stopped)
        XCTAssertEqual(DeploymentPhase.rollbackFailed(reason: alarm, detail: "d").status, .rollbackFailed)
    }

    func testRolledBack_isFailedForFailures_andStoppedForStops() {
        for failure in [alarm, .alarmsUnreadable(detail: "d"), .hookFailed(hook: .preTraffic, detail: "d"),
                        .hookTimedOut(hook: .postTraffic, seconds: 3600), .platformError(detail: "d"), .journalUnwritable(detail: "d")] {
            XCTAssertEqual(DeploymentPhase.rolledBack(reason: failure).status, .failed, "\(failure)")
        }
        for stopping in [stop, .interrupted(signal: "SIGTERM"), .processDied, .aliasChangedExternally(detail: "d")] {
            XCTAssertEqual(DeploymentPhase.rolledBack(reason: stopping).status, .stopped, "\(stopping)")
        }
    }

    func testIsRolledBack_onlyForRolledBack() {
        XCTAssertTrue(DeploymentPhase.rolledBack(reason: alarm).isRolledBack)
        for phase in [DeploymentPhase.created, .preTraffic, .shifting(step: 0), .baking, .postTraffic, .rollingBack(reason: alarm),
                      .succeeded, .stopped(reason: stop), .rollbackFailed(reason: alarm, detail: "d")] {
            XCTAssertFalse(phase.isRolledBack, "\(phase)")
        }
    }

    func testReason_isKnownOnlyOnceRollingBackOrEnded() {
        XCTAssertEqual(DeploymentPhase.rollingBack(reason: alarm).reason, alarm)
        XCTAssertEqual(DeploymentPhase.rolledBack(reason: alarm).reason, alarm)
        XCTAssertEqual(DeploymentPhase.stopped(reason: stop).reason, stop)
        XCTAssertEqual(DeploymentPhase.rollbackFailed(reason: alarm, detail: "d").reason, alarm)
        for phase in [DeploymentPhase.created, .preTraffic, .shifting(step: 0), .baking, .postTraffic, .succeeded] {
            XCTAssertNil(phase.reason, "\(phase)")
        }
    }

    func testStatus_isFinalExactlyForEndedPhases() {
        XCTAssertFalse(DeploymentPhase.created.status.isFinal)
        XCTAssertFalse(DeploymentPhase.rollingBack(reason: alarm).status.isFinal)
        XCTAssertTrue(DeploymentPhase.rolledBack(reason: alarm).status.isFinal)
        XCTAssertTrue(DeploymentPhase.stopped(reason: stop).status.isFinal)
        XCTAssertTrue(DeploymentPhase.rollbackFailed(reason: alarm, detail: "d").status.isFinal)
        XCTAssertTrue(DeploymentPhase.succeeded.status.isFinal)
    }

    func testPhase_roundTripsThroughJSON() throws {
        let phases: [DeploymentPhase] = [.created, .preTraffic, .shifting(step: 4), .baking, .postTraffic, .rollingBack(reason: alarm),
                                         .succeeded, .rolledBack(reason: .interrupted(signal: "SIGINT")), .stopped(reason: stop),
                                         .rollbackFailed(reason: .hookTimedOut(hook: .preTraffic, seconds: 60), detail: "d")]
        let decoded = try JSONDecoder().decode([DeploymentPhase].self, from: JSONEncoder().encode(phases))
        XCTAssertEqual(decoded, phases)
    }
}

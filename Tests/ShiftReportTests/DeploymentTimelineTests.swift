import ShiftCore
@testable import ShiftReport
import XCTest

final class DeploymentTimelineTests: XCTestCase {
    typealias Fixture = ReportFixture

    func testWeights_followShiftedEvents_andDropToZeroWhenRolledBack() throws {
        let timeline = DeploymentTimeline(try Fixture.rolledBack())
        XCTAssertEqual(timeline.weights, [
            .init(time: Fixture.at(0), percent: 0),
            .init(time: Fixture.at(1.2), percent: 20),
            .init(time: Fixture.at(5.2), percent: 40),
            .init(time: Fixture.at(10.5), percent: 0),
        ])
        XCTAssertEqual(timeline.percent(at: Fixture.at(7)), 40)
        XCTAssertEqual(timeline.end, Fixture.at(10.5))
    }

    func testWeights_ignoreShiftStarted_whichIsOnlyTheIntention() throws {
        var deployment = try Fixture.rolledBack()
        deployment.events.removeAll { $0.kind == .shifted }
        XCTAssertEqual(DeploymentTimeline(deployment).weights.map(\.percent), [0])
    }

    func testWeights_whenSucceeded_endAtHundred() throws {
        var deployment = try Fixture.rolledBack()
        deployment.events.removeLast(3)
        deployment.events.append(DeploymentEvent(time: Fixture.at(9), kind: .succeeded, message: "succeeded"))
        deployment.phase = .succeeded
        deployment.completedAt = Fixture.at(9)
        XCTAssertEqual(DeploymentTimeline(deployment).weights.map(\.percent), [0, 20, 40, 100])
    }

    func testAlarmBands_runFromEachChangeToTheNext_andTheEnd() throws {
        let timeline = DeploymentTimeline(try Fixture.rolledBack())
        XCTAssertEqual(timeline.alarmBands, [
            .init(alarm: "api-errors", state: "OK", span: DateInterval(start: Fixture.at(1), end: Fixture.at(10))),
            .init(alarm: "api-errors", state: "ALARM", span: DateInterval(start: Fixture.at(10), end: Fixture.at(10.5))),
        ])
    }

    func testPauses_endAtResumeOrPromote_orStayOpenUntilTheEnd() throws {
        var deployment = try Fixture.rolledBack()
        deployment.events.insert(contentsOf: [
            DeploymentEvent(time: Fixture.at(2), kind: .paused, message: "paused by ann"),
            DeploymentEvent(time: Fixture.at(3), kind: .resumed, message: "resumed by ann"),
            DeploymentEvent(time: Fixture.at(6), kind: .paused, message: "analysis marginal: paused"),
        ], at: 6)
        deployment.events.removeLast(2)
        deployment.phase = .shifting(step: 1)
        deployment.completedAt = nil
        let timeline = DeploymentTimeline(deployment)
        XCTAssertEqual(timeline.pauses, [DateInterval(start: Fixture.at(2), end: Fixture.at(3)), DateInterval(start: Fixture.at(6), end: Fixture.at(10))])
    }

    func testMarkers_nameHooksAnalysesAndTheRollback() throws {
        var deployment = try Fixture.rolledBack()
        deployment.events.insert(DeploymentEvent(time: Fixture.at(8), kind: .analysisResult, message: "analysis", analysis: Fixture.verdict()), at: 7)
        let markers = DeploymentTimeline(deployment).markers
        XCTAssertEqual(markers.map(\.kind), [.hookPassed, .analysisFailed, .rollbackStarted, .rolledBack])
        XCTAssertEqual(markers.map(\.label), ["PreTraffic passed", "analysis 50", "rollback", "rolled back"])
    }
}

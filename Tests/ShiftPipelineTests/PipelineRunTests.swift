import ShiftCore
import ShiftPipeline
import XCTest

final class PipelineRunTests: XCTestCase {
    private func run(_ statuses: [StageStatus]) throws -> PipelineRun {
        let pipeline = try XCTUnwrap(PipelineParser.parse(PipelineParserTests.minimal + "  - {name: gate, type: approval}\n", file: "p.yml").pipeline)
        var run = PipelineRun(id: "p-test", pipeline: pipeline, file: "/p.yml", source: SourceRecord(kind: "directory", location: "/", revision: "x"), createdAt: Date())
        for (index, status) in statuses.enumerated() { run.stages[index].status = status }
        return run
    }

    func testNewRun_startsAtTheFirstStage() throws {
        XCTAssertEqual(try run([]).next, .stage(0))
    }

    func testFinishedStages_areNeverRepeated_theFirstUnfinishedIsNext() throws {
        XCTAssertEqual(try run([.succeeded, .running]).next, .stage(1), "a stage left running by a dead runner runs again")
        XCTAssertEqual(try run([.succeeded, .interrupted]).next, .stage(1))
        XCTAssertEqual(try run([.succeeded, .succeeded, .waiting]).next, .stage(2))
    }

    func testFailedRejectedOrTimedOutStage_stopsTheRun() throws {
        XCTAssertEqual(try run([.succeeded, .failed]).next, .stopped(at: 1))
        XCTAssertEqual(try run([.succeeded, .succeeded, .rejected]).next, .stopped(at: 2))
        XCTAssertEqual(try run([.succeeded, .succeeded, .timedOut]).next, .stopped(at: 2))
    }

    func testAllStagesSucceeded_finishesTheRun() throws {
        XCTAssertEqual(try run([.succeeded, .succeeded, .succeeded]).next, .finished)
    }

    func testStatus_dependsOnTheStagesAndOnWhetherAProcessHoldsTheRun() throws {
        XCTAssertEqual(try run([.succeeded, .running]).status(isLocked: true), .running)
        XCTAssertEqual(try run([.succeeded, .running]).status(isLocked: false), .interrupted, "running without a process means it died")
        XCTAssertEqual(try run([.succeeded, .succeeded, .waiting]).status(isLocked: false), .waiting)
        XCTAssertEqual(try run([.succeeded, .failed]).status(isLocked: false), .failed)
        XCTAssertEqual(try run([.succeeded, .succeeded, .succeeded]).status(isLocked: false), .succeeded)
    }
}

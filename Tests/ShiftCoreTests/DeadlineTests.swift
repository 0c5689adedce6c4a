import Foundation
import ShiftCore
import ShiftTestSupport
import XCTest

/// `withDeadline` against a manual clock: the first of the operation, the deadline and the caller's cancellation wins.
final class DeadlineTests: XCTestCase {
    private struct Boom: Error, Equatable {}

    /// Counts calls from any task.
    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        var value: Int { lock.withLock { count } }
        func increment() { lock.withLock { count += 1 } }
    }

    func testOperationFinishingFirst_returnsItsValue() async throws {
        let clock = ManualClock()
        let value = try await withDeadline(clock: clock, seconds: 10) { 42 }
        XCTAssertEqual(value, 42)
    }

    func testOperationFinishingFirst_leavesNothingWaitingOnTheClock() async throws {
        let clock = ManualClock()
        for _ in 0..<200 {
            _ = try await withDeadline(clock: clock, seconds: 10) {
                // Give the timer a chance to start sleeping before the operation wins.
                await Task.yield()
                return 1
            }
            XCTAssertEqual(clock.sleeperCount, 0, "the timer must be cancelled before the caller goes on")
        }
    }

    func testOperationThrowing_rethrows() async {
        let clock = ManualClock()
        do {
            _ = try await withDeadline(clock: clock, seconds: 10) { () async throws -> Int in throw Boom() }
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error as? Boom, Boom())
        }
    }

    func testDeadlinePassingFirst_returnsNil_exactlyAtTheDeadline() async throws {
        let clock = ManualClock()
        let start = clock.now
        let finishedAt = Counter()
        let call = Task {
            try await withDeadline(clock: clock, seconds: 60) { () async throws -> Int in
                try await clock.sleep(for: 600)
                finishedAt.increment()
                return 1
            }
        }
        // The timer and the operation both sleep.
        let bothAsleep = await clock.waitForSleepers(2)
        XCTAssertTrue(bothAsleep)
        XCTAssertEqual(clock.nextDeadline, start.addingTimeInterval(60))
        clock.advanceToNextDeadline()

        let value = try await call.value
        XCTAssertNil(value)
        XCTAssertEqual(clock.now, start.addingTimeInterval(60))
        // The operation was cancelled, so its sleep ended and it did not finish.
        XCTAssertEqual(clock.sleeperCount, 0)
        XCTAssertEqual(finishedAt.value, 0)
    }

    func testOperationIgnoringCancellation_isNotWaitedFor() async throws {
        let clock = ManualClock()
        let gate = Counter()
        let call = Task {
            try await withDeadline(clock: clock, seconds: 5) { () async -> Int in
                // Ignores cancellation: spins on real time until the test lets it go.
                while gate.value == 0 { try? await Task.sleep(nanoseconds: 1_000_000) }
                return 1
            }
        }
        let timerAsleep = await clock.waitForSleepers(1)
        XCTAssertTrue(timerAsleep)
        clock.advance(by: 5)
        let value = try await call.value
        XCTAssertNil(value, "returned at the deadline although the operation is still running")
        gate.increment()
    }

    func testCallerCancelled_throwsCancellationError() async throws {
        let clock = ManualClock()
        let call = Task {
            try await withDeadline(clock: clock, seconds: 60) { () async throws -> Int in
                try await clock.sleep(for: 600)
                return 1
            }
        }
        let bothAsleep = await clock.waitForSleepers(2)
        XCTAssertTrue(bothAsleep)
        call.cancel()
        do {
            _ = try await call.value
            XCTFail("expected CancellationError")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        // Both the timer and the operation were told to stop.
        let drained = await waitUntil { clock.sleeperCount == 0 }
        XCTAssertTrue(drained)
    }

    func testCallerAlreadyCancelled_neverStartsTheOperation() async throws {
        let clock = ManualClock()
        let started = Counter()
        let call = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await withDeadline(clock: clock, seconds: 60) { () async -> Int in
                started.increment()
                return 1
            }
        }
        do {
            _ = try await call.value
            XCTFail("expected CancellationError")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
        // Give a wrongly started operation time to run.
        try await Task.sleep(nanoseconds: 50_000_000)
        XCTAssertEqual(started.value, 0, "a hook must not be invoked for a deployment already interrupted")
        XCTAssertEqual(clock.sleeperCount, 0)
    }

    /// Polls `condition` in real time for up to a few seconds.
    private func waitUntil(_ condition: () -> Bool) async -> Bool {
        for _ in 0..<5_000 {
            if condition() { return true }
            try? await Task.sleep(nanoseconds: 1_000_000)
        }
        return condition()
    }
}

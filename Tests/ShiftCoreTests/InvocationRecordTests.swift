import Foundation
import ShiftCore
import XCTest

final class InvocationRecordTests: XCTestCase {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func records() -> [InvocationRecord] {
        [
            InvocationRecord(timestamp: start, alias: "live", executedVersion: "1", durationMilliseconds: 10, isError: false),
            InvocationRecord(timestamp: start.addingTimeInterval(1), alias: "live", executedVersion: "1", durationMilliseconds: 30, isError: true),
            InvocationRecord(timestamp: start.addingTimeInterval(2), alias: "live", executedVersion: "1", durationMilliseconds: 0, isError: false, isThrottle: true),
        ]
    }

    func testThrottle_isNotAnInvocationErrorOrDuration_onlyAThrottle() {
        XCTAssertEqual(records().samples(of: .invocations, alias: nil, version: nil).map(\.value), [1, 1])
        XCTAssertEqual(records().samples(of: .errors, alias: nil, version: nil).map(\.value), [0, 1])
        XCTAssertEqual(records().samples(of: .duration, alias: nil, version: nil).map(\.value), [10, 30])
        XCTAssertEqual(records().samples(of: .throttles, alias: nil, version: nil).map(\.value), [0, 0, 1])
    }

    func testSummary_countsThrottlesApart_andAveragesOnlyWhatRan() throws {
        let summary = try XCTUnwrap(MetricsSummary.summarize(records(), period: 60, since: start).first)
        XCTAssertEqual(summary.invocations, 2)
        XCTAssertEqual(summary.errors, 1)
        XCTAssertEqual(summary.throttles, 1)
        XCTAssertEqual(summary.durationAverage, 20)
    }

    func testReservedConcurrency_isValidated_andCanBeRemoved() throws {
        XCTAssertEqual(try FunctionChange(reservedConcurrency: 0).appliedReservedConcurrency(to: 5), 0)
        XCTAssertEqual(try FunctionChange().appliedReservedConcurrency(to: 5), 5)
        XCTAssertNil(try FunctionChange(removesReservedConcurrency: true).appliedReservedConcurrency(to: 5))
        XCTAssertThrowsError(try FunctionChange(reservedConcurrency: 1001).appliedReservedConcurrency(to: nil))
        XCTAssertThrowsError(try FunctionChange(reservedConcurrency: -1).appliedReservedConcurrency(to: nil))
    }
}

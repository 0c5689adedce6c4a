import Foundation
@testable import ShiftAWS
import ShiftCore
import XCTest

/// DescribeAlarms answers in CloudWatch's JSON 1.0 protocol: botocore's member names, timestamps as seconds since 1970.
final class CloudWatchClientTests: XCTestCase {
    func testDescribeAlarms_readsNameStateReasonAndTime() throws {
        let json = """
        {"CompositeAlarms": [], "MetricAlarms": [
          {"AlarmName": "orders-errors", "StateValue": "ALARM", "StateReason": "Threshold Crossed: 1 datapoint [5.0]",
           "StateUpdatedTimestamp": 1795626036.871, "MetricName": "Errors", "Namespace": "AWS/Lambda", "Period": 60, "Threshold": 1.0},
          {"AlarmName": "latency", "StateValue": "INSUFFICIENT_DATA", "StateReason": "Unchecked"}]}
        """
        let alarms = try CloudWatchClient.parseDescribeAlarms(Data(json.utf8))
        XCTAssertEqual(alarms.map(\.name), ["orders-errors", "latency"])
        XCTAssertEqual(alarms.map(\.state.value), [.alarm, .insufficientData])
        XCTAssertEqual(alarms[0].state.reason, "Threshold Crossed: 1 datapoint [5.0]")
        XCTAssertEqual(alarms[0].state.updatedAt, Timestamp.parse("2026-11-25T17:00:36.871Z"))
        XCTAssertEqual(alarms[0].metricName, "Errors")
    }

    func testDescribeAlarms_withNoAlarms_isEmpty() throws {
        XCTAssertEqual(try CloudWatchClient.parseDescribeAlarms(Data(#"{"MetricAlarms": []}"#.utf8)), [])
    }

    func testDescribeAlarms_notJSON_isAClearError() {
        XCTAssertThrowsError(try CloudWatchClient.parseDescribeAlarms(Data("<html>proxy error".utf8))) { error in
            XCTAssertEqual((error as? AWSPlatformError)?.category, .failed)
        }
    }

    func testDescribeAlarms_withAnUnknownState_isAClearError() {
        XCTAssertThrowsError(try CloudWatchClient.parseDescribeAlarms(Data(#"{"MetricAlarms": [{"AlarmName": "x", "StateValue": "MAYBE"}]}"#.utf8))) { error in
            XCTAssertEqual((error as? AWSPlatformError)?.category, .failed)
        }
    }

    func testDescribeAlarms_readsCompositeAlarmsToo() throws {
        let json = #"{"CompositeAlarms": [{"AlarmName": "orders-health", "StateValue": "ALARM", "StateReason": "child in ALARM"}], "MetricAlarms": []}"#
        let alarms = try CloudWatchClient.parseDescribeAlarms(Data(json.utf8))
        XCTAssertEqual(alarms.map(\.name), ["orders-health"])
        XCTAssertEqual(alarms.first?.state.value, .alarm)
    }
}

import Foundation
@testable import ShiftAWS
import ShiftCore
import XCTest

final class CloudWatchClientTests: XCTestCase {
    func testDescribeAlarms_readsNameStateReasonAndTime() throws {
        let xml = """
        <DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><DescribeAlarmsResult><CompositeAlarms/><MetricAlarms>
        <member><AlarmName>orders-errors</AlarmName><StateValue>ALARM</StateValue><StateReason>Threshold Crossed: 1 datapoint [5.0]</StateReason>
        <StateUpdatedTimestamp>2026-11-25T17:00:36.871Z</StateUpdatedTimestamp><MetricName>Errors</MetricName><Namespace>AWS/Lambda</Namespace></member>
        <member><AlarmName>latency</AlarmName><StateValue>INSUFFICIENT_DATA</StateValue><StateReason>Unchecked</StateReason></member>
        </MetricAlarms></DescribeAlarmsResult></DescribeAlarmsResponse>
        """
        let alarms = try CloudWatchClient.parseDescribeAlarms(Data(xml.utf8))
        XCTAssertEqual(alarms.map(\.name), ["orders-errors", "latency"])
        XCTAssertEqual(alarms.map(\.state.value), [.alarm, .insufficientData])
        XCTAssertEqual(alarms[0].state.reason, "Threshold Crossed: 1 datapoint [5.0]")
        XCTAssertEqual(alarms[0].state.updatedAt, Timestamp.parse("2026-11-25T17:00:36.871Z"))
        XCTAssertEqual(alarms[0].metricName, "Errors")
    }

    func testDescribeAlarms_withNoAlarms_isEmpty() throws {
        let xml = "<DescribeAlarmsResponse><DescribeAlarmsResult><MetricAlarms/></DescribeAlarmsResult></DescribeAlarmsResponse>"
        XCTAssertEqual(try CloudWatchClient.parseDescribeAlarms(Data(xml.utf8)), [])
    }

    func testDescribeAlarms_notXML_isAClearError() {
        XCTAssertThrowsError(try CloudWatchClient.parseDescribeAlarms(Data("<html>proxy error".utf8))) { error in
            XCTAssertEqual((error as? AWSPlatformError)?.category, .failed)
        }
    }

    func testDescribeAlarms_readsCompositeAlarmsToo() throws {
        let xml = """
        <DescribeAlarmsResponse><DescribeAlarmsResult>
        <CompositeAlarms><member><AlarmName>orders-health</AlarmName><StateValue>ALARM</StateValue><StateReason>child in ALARM</StateReason></member></CompositeAlarms>
        <MetricAlarms/></DescribeAlarmsResult></DescribeAlarmsResponse>
        """
        let alarms = try CloudWatchClient.parseDescribeAlarms(Data(xml.utf8))
        XCTAssertEqual(alarms.map(\.name), ["orders-health"])
        XCTAssertEqual(alarms.first?.state.value, .alarm)
    }
}

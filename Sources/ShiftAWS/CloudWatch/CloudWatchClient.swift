import Foundation
import ShiftCore

/// The CloudWatch calls shift makes, on the Query API (version 2010-08-01): form-encoded POSTs, XML answers.
public struct CloudWatchClient: Sendable {
    public let client: AWSServiceClient

    /// A client that sends through `client` (whose service is CloudWatch).
    public init(client: AWSServiceClient) {
        self.client = client
    }

    /// One metric alarm's identity and state, as DescribeAlarms reports it.
    public struct MetricAlarm: Sendable, Equatable {
        public var name: String
        public var state: AlarmState
        public var metricName: String?
        public var namespace: String?
    }

    /// DescribeAlarms for up to `batchSize` names a call (CloudWatch allows 100; shift asks for at most 10).
    /// Names CloudWatch does not know are absent from the answer.
    public func describeAlarms(named names: [String], batchSize: Int = 10) async throws -> [MetricAlarm] {
        var alarms: [MetricAlarm] = []
        var start = 0
        while start < names.count {
            let batch = names[start..<min(names.count, start + batchSize)]
            // Composite alarms too: CodeDeploy watches either kind by name.
            var parameters = [("Action", "DescribeAlarms"), ("Version", "2010-08-01"), ("AlarmTypes.member.1", "MetricAlarm"), ("AlarmTypes.member.2", "CompositeAlarm")]
            for (index, name) in batch.enumerated() {
                parameters.append(("AlarmNames.member.\(index + 1)", name))
            }
            let response = try await post(operation: "DescribeAlarms", parameters: parameters)
            alarms += try Self.parseDescribeAlarms(response.body)
            start += batchSize
        }
        return alarms
    }

    /// SetAlarmState: a drill; the state holds until CloudWatch next evaluates the alarm.
    public func setAlarmState(_ name: String, to value: AlarmStateValue, reason: String) async throws {
        _ = try await post(operation: "SetAlarmState", parameters: [
            ("Action", "SetAlarmState"), ("Version", "2010-08-01"),
            ("AlarmName", name), ("StateValue", value.rawValue), ("StateReason", reason),
        ])
    }

    private func post(operation: String, parameters: [(String, String)]) async throws -> HTTPResponse {
        let body = parameters.map { "\(SigV4Signer.uriEncode($0.0))=\(SigV4Signer.uriEncode($0.1))" }.joined(separator: "&")
        return try await client.send(
            operation: operation, method: "POST", path: "/",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8"], body: Data(body.utf8))
    }

    /// The metric and composite alarms of a DescribeAlarms answer.
    /// - Throws: `AWSPlatformError.malformedResponse` for a body that is not the expected XML.
    static func parseDescribeAlarms(_ data: Data) throws -> [MetricAlarm] {
        guard let result = XMLTree(parsing: data)?.child("DescribeAlarmsResult") else {
            throw AWSPlatformError.malformedResponse(service: "CloudWatch", operation: "DescribeAlarms", detail: "no DescribeAlarmsResult element")
        }
        let members = (result.child("MetricAlarms")?.children("member") ?? []) + (result.child("CompositeAlarms")?.children("member") ?? [])
        return try members.map { member in
            guard let name = member.text(of: "AlarmName"), let rawState = member.text(of: "StateValue"),
                  let value = AlarmStateValue(rawValue: rawState) else {
                throw AWSPlatformError.malformedResponse(service: "CloudWatch", operation: "DescribeAlarms", detail: "an alarm without AlarmName or a known StateValue")
            }
            let updated = member.text(of: "StateUpdatedTimestamp").flatMap(Timestamp.parse) ?? Date(timeIntervalSince1970: 0)
            return MetricAlarm(
                name: name, state: AlarmState(value: value, reason: member.text(of: "StateReason") ?? "", updatedAt: updated),
                metricName: member.text(of: "MetricName"), namespace: member.text(of: "Namespace"))
        }
    }
}

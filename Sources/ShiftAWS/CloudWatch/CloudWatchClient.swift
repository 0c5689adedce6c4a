import Foundation
import ShiftCore

/// The CloudWatch calls shift makes, on its JSON 1.0 API (version 2010-08-01; botocore's model lists `json` among
/// CloudWatch's protocols): JSON in, JSON out, no XML parser linked.
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

    /// DescribeAlarms for up to `batchSize` names a call (CloudWatch allows 100).
    /// Names CloudWatch does not know are absent from the answer.
    public func describeAlarms(named names: [String], batchSize: Int = 100) async throws -> [MetricAlarm] {
        var alarms: [MetricAlarm] = []
        var start = 0
        while start < names.count {
            let batch = Array(names[start..<min(names.count, start + batchSize)])
            // Composite alarms too: CodeDeploy watches either kind by name.
            let answer = try await client.call(
                DescribeAlarmsOutput.self, operation: "DescribeAlarms",
                body: ["AlarmNames": batch, "AlarmTypes": ["MetricAlarm", "CompositeAlarm"]])
            alarms += try Self.alarms(in: answer)
            start += batchSize
        }
        return alarms
    }

    /// SetAlarmState: a drill; the state holds until CloudWatch next evaluates the alarm.
    public func setAlarmState(_ name: String, to value: AlarmStateValue, reason: String) async throws {
        struct Empty: Decodable {}
        _ = try await client.call(
            Empty.self, operation: "SetAlarmState", body: ["AlarmName": name, "StateValue": value.rawValue, "StateReason": reason])
    }

    /// One metric's datapoints, oldest first.
    public struct MetricSeries: Sendable, Equatable {
        public var timestamps: [Date]
        public var values: [Double]
    }

    /// GetMetricData for one metric (a MetricStat query): its `statistic` per `period` seconds between `start`
    /// and `end`, following NextToken. CloudWatch leaves out periods without data.
    /// - Throws: the client's errors; `AWSPlatformError.malformedResponse` for timestamps and values that do not pair up.
    public func metricData(namespace: String, metric: String, dimensions: [(name: String, value: String)], statistic: String,
                           period: Int, start: Date, end: Date) async throws -> MetricSeries {
        var body: [String: Any] = [
            "MetricDataQueries": [[
                "Id": "m0", "ReturnData": true,
                "MetricStat": [
                    "Metric": ["Namespace": namespace, "MetricName": metric, "Dimensions": dimensions.map { ["Name": $0.name, "Value": $0.value] }],
                    "Period": period, "Stat": statistic,
                ] as [String: Any],
            ] as [String: Any]],
            // The JSON protocol sends timestamps as seconds since 1970.
            "StartTime": start.timeIntervalSince1970, "EndTime": end.timeIntervalSince1970, "ScanBy": "TimestampAscending",
        ]
        var points: [(Date, Double)] = []
        while true {
            let answer = try await client.call(GetMetricDataOutput.self, operation: "GetMetricData", body: body)
            for result in answer.MetricDataResults ?? [] {
                let timestamps = result.Timestamps ?? [], values = result.Values ?? []
                guard timestamps.count == values.count else {
                    throw AWSPlatformError.malformedResponse(service: "CloudWatch", operation: "GetMetricData", detail: "\(timestamps.count) timestamps for \(values.count) values")
                }
                points += zip(timestamps.map { Date(timeIntervalSince1970: $0) }, values)
            }
            guard let token = answer.NextToken, !token.isEmpty else { break }
            body["NextToken"] = token
        }
        points.sort { $0.0 < $1.0 }
        return MetricSeries(timestamps: points.map(\.0), values: points.map(\.1))
    }

    /// The part of GetMetricData's answer shift reads, with botocore's member names.
    struct GetMetricDataOutput: Decodable {
        struct Result: Decodable {
            var Id: String?
            var Timestamps: [Double]?
            var Values: [Double]?
            var StatusCode: String?
        }

        var MetricDataResults: [Result]?
        var NextToken: String?
    }

    /// The part of DescribeAlarms' answer shift reads, with botocore's member names.
    struct DescribeAlarmsOutput: Decodable {
        struct Alarm: Decodable {
            var AlarmName: String?
            var StateValue: String?
            var StateReason: String?
            /// Seconds since 1970, as the JSON protocol sends timestamps.
            var StateUpdatedTimestamp: Double?
            var MetricName: String?
            var Namespace: String?
        }

        var MetricAlarms: [Alarm]?
        var CompositeAlarms: [Alarm]?
    }

    /// The metric and composite alarms of a DescribeAlarms answer.
    /// - Throws: `AWSPlatformError.malformedResponse` for an alarm without a name or a known state.
    static func alarms(in answer: DescribeAlarmsOutput) throws -> [MetricAlarm] {
        try ((answer.MetricAlarms ?? []) + (answer.CompositeAlarms ?? [])).map { alarm in
            guard let name = alarm.AlarmName, let rawState = alarm.StateValue, let value = AlarmStateValue(rawValue: rawState) else {
                throw AWSPlatformError.malformedResponse(service: "CloudWatch", operation: "DescribeAlarms", detail: "an alarm without AlarmName or a known StateValue")
            }
            let updated = Date(timeIntervalSince1970: alarm.StateUpdatedTimestamp ?? 0)
            return MetricAlarm(
                name: name, state: AlarmState(value: value, reason: alarm.StateReason ?? "", updatedAt: updated),
                metricName: alarm.MetricName, namespace: alarm.Namespace)
        }
    }

    /// The alarms of a DescribeAlarms answer's body.
    /// - Throws: `AWSPlatformError.malformedResponse` for a body that is not DescribeAlarms' JSON.
    static func parseDescribeAlarms(_ data: Data) throws -> [MetricAlarm] {
        try alarms(in: try AWSServiceClient.decode(DescribeAlarmsOutput.self, from: data, service: "CloudWatch", operation: "DescribeAlarms"))
    }
}

import Foundation
import ShiftCore

/// `AlarmCatalog` and `MetricsCatalog` on AWS: CloudWatch's alarms are read and drilled (SetAlarmState); they are
/// defined, listed and deleted with CloudWatch itself, and Lambda's metrics are read there too.
extension AWSPlatform: AlarmCatalog, MetricsCatalog {
    /// - Throws: `AWSPlatformError.unsupported`: alarms on AWS are defined in CloudWatch.
    public func putAlarm(_ definition: AlarmDefinition, description: String) async throws -> AlarmDetails {
        throw AWSPlatformError.unsupported(operation: "defining alarm \(definition.name)", hint: "define CloudWatch alarms with 'aws cloudwatch put-metric-alarm' or your infrastructure code; shift reads them by name")
    }

    public func describeAlarm(_ name: String) async throws -> AlarmDetails {
        guard let alarm = try await cloudWatch.describeAlarms(named: [name]).first else {
            throw ShiftCoreError.notFound(kind: "CloudWatch alarm", name: name, hint: "check its name and the account's region (\(region))")
        }
        return AlarmDetails(name: alarm.name, state: alarm.state, namespace: alarm.namespace, metricName: alarm.metricName)
    }

    /// - Throws: `AWSPlatformError.unsupported`: shift reads CloudWatch alarms by name only.
    public func describeAlarms() async throws -> [AlarmDetails] {
        throw AWSPlatformError.unsupported(operation: "listing alarms", hint: "list them with 'aws cloudwatch describe-alarms'; shift reads CloudWatch alarms by name")
    }

    /// - Throws: `AWSPlatformError.unsupported`: alarms on AWS are deleted in CloudWatch.
    public func deleteAlarm(_ name: String) async throws {
        throw AWSPlatformError.unsupported(operation: "deleting alarm \(name)", hint: "delete CloudWatch alarms with 'aws cloudwatch delete-alarms' or your infrastructure code")
    }

    public func setAlarmState(_ name: String, to value: AlarmStateValue, reason: String) async throws -> AlarmDetails {
        try await cloudWatch.setAlarmState(name, to: value, reason: reason)
        return try await describeAlarm(name)
    }

    /// - Throws: `AWSPlatformError.unsupported`: Lambda's metrics live in CloudWatch, not in shift.
    public func metrics(of function: String, alias: String?, version: String?, since start: Date, period: TimeInterval) async throws -> [MetricsSummary] {
        throw AWSPlatformError.unsupported(operation: "metrics of \(function)", hint: "read Lambda's metrics in CloudWatch (namespace AWS/Lambda), or use a local account")
    }
}

import ArgumentParser
import Foundation
import ShiftCore

struct AlarmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alarm",
        abstract: "Alarms on recorded metrics, with CloudWatch's semantics.",
        subcommands: [Put.self, Get.self, List.self, Delete.self, SetState.self]
    )

    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "put",
            abstract: "Create or replace an alarm.",
            discussion: "Evaluated at each period boundary over complete periods: ALARM when --datapoints-to-alarm of the last --evaluation-periods datapoints breach.")

        @Argument(help: "The alarm's name.") var name: String
        @Option(help: "The function whose metrics it watches.") var function: String
        @Option(help: "Only invocations through this alias.") var alias: String?
        @Option(parsing: .unconditional, help: "Only invocations that ran this version.") var version: Int?
        @Option(help: "Invocations, Errors, Duration or Throttles.") var metric: MetricName
        @Option(help: "Sum, Average, Minimum, Maximum, SampleCount or pNN (e.g. p99).") var statistic: String
        @Option(parsing: .unconditional, help: "Length of a datapoint: whole seconds, or 1m, 5m, 1h (1s to 1d).") var period: String
        @Option(name: .customLong("evaluation-periods"), parsing: .unconditional, help: "How many datapoints to look at.") var evaluationPeriods: Int
        @Option(name: .customLong("datapoints-to-alarm"), parsing: .unconditional, help: "How many of them must breach (default: all).") var datapointsToAlarm: Int?
        @Option(parsing: .unconditional, help: "The threshold.") var threshold: Double
        @Option(help: "GreaterThanThreshold, GreaterThanOrEqualToThreshold, LessThanThreshold or LessThanOrEqualToThreshold.") var comparison: ComparisonOperator
        @Option(name: .customLong("treat-missing-data"), help: "missing, notBreaching, breaching or ignore.") var treatMissingData: MissingDataTreatment = .missing
        @Option(help: "Free text.") var description: String = ""
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if alias != nil && version != nil { throw ValidationError("Give --alias or --version, not both.") }
        }

        func run() async throws {
            let definition = try AlarmDefinition(
                name: name, functionName: function, alias: alias, version: version, metric: metric,
                statistic: try Statistic(parsing: statistic), period: try DurationBounds.period.parse(period, field: "--period"), evaluationPeriods: evaluationPeriods,
                datapointsToAlarm: datapointsToAlarm ?? evaluationPeriods, threshold: threshold,
                comparison: comparison, treatMissingData: treatMissingData)
            let alarm = try await global.platform().alarms.putAlarm(definition, description: description)
            try AlarmRender.show(alarm, global: global, verb: "saved")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show an alarm and its current state (evaluated if due).")

        @Argument(help: "The alarm's name.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try AlarmRender.show(try await global.platform().alarms.describeAlarm(name), global: global, verb: nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the account's alarms with their states.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let alarms = try await global.platform().alarms.describeAlarms()
            if global.isJSON {
                try Output.json(["MetricAlarms": alarms.map(MetricAlarmView.init)])
                return
            }
            var rows = [["ALARM", "STATE", "SINCE", "WATCHES", "RULE"]]
            for alarm in alarms {
                rows.append([alarm.name, alarm.state.value.rawValue, Timestamp.format(alarm.state.updatedAt), AlarmRender.watches(alarm), alarm.definition.map(AlarmRender.rule) ?? "-"])
            }
            Output.table(rows)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete an alarm.")

        @Argument(help: "The alarm's name.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await global.platform().alarms.deleteAlarm(name)
            if !global.isJSON { Output.line("deleted alarm \(name)") }
        }
    }

    struct SetState: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-state",
            abstract: "Set an alarm's state by hand, for drills (as CloudWatch's SetAlarmState).",
            discussion: "The state holds until the next evaluation (the next period boundary) changes it.")

        @Argument(help: "The alarm's name.") var name: String
        @Option(help: "OK, ALARM or INSUFFICIENT_DATA.") var state: AlarmStateValue
        @Option(help: "Why, for the record.") var reason: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let alarm = try await global.platform().alarms.setAlarmState(name, to: state, reason: reason)
            try AlarmRender.show(alarm, global: global, verb: "set")
        }
    }
}

extension ComparisonOperator: ExpressibleByArgument {}
extension MissingDataTreatment: ExpressibleByArgument {}
extension AlarmStateValue: ExpressibleByArgument {}

/// DescribeAlarms' MetricAlarm, for `--output json`; what the platform does not report is left out.
struct MetricAlarmView: Encodable {
    struct Dimension: Encodable {
        var Name: String
        var Value: String
    }

    var AlarmName: String
    var AlarmDescription: String?
    var Namespace: String?
    var MetricName: String?
    var Dimensions: [Dimension]?
    var Statistic: String?
    var ExtendedStatistic: String?
    var Period: Int?
    var EvaluationPeriods: Int?
    var DatapointsToAlarm: Int?
    var Threshold: Double?
    var ComparisonOperator: String?
    var TreatMissingData: String?
    var StateValue: String
    var StateReason: String
    var StateUpdatedTimestamp: Date

    init(_ alarm: AlarmDetails) {
        AlarmName = alarm.name
        Namespace = alarm.namespace
        MetricName = alarm.metricName
        StateValue = alarm.state.value.rawValue
        StateReason = alarm.state.reason
        StateUpdatedTimestamp = alarm.state.updatedAt
        guard let definition = alarm.definition else { return }
        AlarmDescription = alarm.description
        Namespace = "AWS/Lambda"
        MetricName = definition.metric.rawValue
        var dimensions = [Dimension(Name: "FunctionName", Value: definition.functionName)]
        if let alias = definition.alias { dimensions.append(Dimension(Name: "Resource", Value: "\(definition.functionName):\(alias)")) }
        if let version = definition.version { dimensions.append(Dimension(Name: "ExecutedVersion", Value: String(version))) }
        Dimensions = dimensions
        if case .percentile = definition.statistic { ExtendedStatistic = definition.statistic.description } else { Statistic = definition.statistic.description }
        Period = Int(definition.period)
        EvaluationPeriods = definition.evaluationPeriods
        DatapointsToAlarm = definition.datapointsToAlarm
        Threshold = definition.threshold
        ComparisonOperator = definition.comparison.rawValue
        TreatMissingData = definition.treatMissingData.rawValue
    }
}

/// How an alarm is shown: its rule where the platform defines it, else the metric it watches.
enum AlarmRender {
    static func show(_ alarm: AlarmDetails, global: GlobalOptions, verb: String?) throws {
        if global.isJSON {
            try Output.json(MetricAlarmView(alarm))
            return
        }
        if let verb { Output.note("\(verb) alarm \(alarm.name)") }
        Output.line("alarm:   \(alarm.name)")
        Output.line("state:   \(alarm.state.value.rawValue) since \(Timestamp.format(alarm.state.updatedAt))")
        Output.line("reason:  \(alarm.state.reason)")
        if alarm.definition != nil || alarm.metricName != nil { Output.line("watches: \(watches(alarm))") }
        if let definition = alarm.definition { Output.line("rule:    \(rule(definition))") }
    }

    static func watches(_ alarm: AlarmDetails) -> String {
        guard let definition = alarm.definition else { return "\(alarm.namespace ?? "") \(alarm.metricName ?? "-")" }
        let qualifier = definition.alias.map { ":\($0)" } ?? definition.version.map { ":\($0)" } ?? ""
        return "\(definition.functionName)\(qualifier) \(definition.metric.rawValue)"
    }

    static func rule(_ definition: AlarmDefinition) -> String {
        "\(definition.statistic) \(definition.comparison.rawValue) \(definition.threshold.compact) for \(definition.datapointsToAlarm) of \(definition.evaluationPeriods) x \(definition.period.compact)s (missing: \(definition.treatMissingData.rawValue))"
    }
}

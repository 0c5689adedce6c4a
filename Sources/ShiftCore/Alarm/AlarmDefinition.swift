import Foundation

/// A metric alarm on one function's metric, with CloudWatch's settings and CloudWatch's limits.
///
/// The throwing initializer keeps invalid alarms from existing, and decoding goes through it.
/// Error fields are named like the flags of `aws cloudwatch put-metric-alarm` (`--datapoints-to-alarm`).
public struct AlarmDefinition: Codable, Equatable, Sendable {
    /// The alarm's name: 1 to 255 ASCII characters.
    public let name: String
    /// The function whose metric the alarm watches.
    public let functionName: String
    /// Watch only invocations through this alias. At most one of `alias` and `version`; neither watches every invocation.
    public let alias: String?
    /// Watch only invocations of this published version (1 or more). At most one of `alias` and `version`.
    public let version: Int?
    /// The metric watched.
    public let metric: MetricName
    /// How each period's samples become one datapoint.
    public let statistic: Statistic
    /// The length of one period in seconds: a whole number greater than 0.
    public let period: TimeInterval
    /// N: how many of the most recent periods are evaluated; at least 1.
    public let evaluationPeriods: Int
    /// M: how many of the N datapoints must breach for `ALARM`; from 1 to `evaluationPeriods`.
    public let datapointsToAlarm: Int
    /// The value each datapoint is compared with.
    public let threshold: Double
    /// Which side of `threshold` breaches.
    public let comparison: ComparisonOperator
    /// What periods without samples count as.
    public let treatMissingData: MissingDataTreatment

    /// CloudWatch's limit on `period × evaluationPeriods`: one day.
    public static let maximumEvaluationSeconds: TimeInterval = 86_400
    /// CloudWatch's limit on the length of an alarm name.
    public static let maximumNameLength = 255

    /// Validates every setting against CloudWatch's rules.
    /// - Throws: `ShiftCoreError.invalidValue` naming the flag at fault (e.g. `--datapoints-to-alarm`) and the accepted
    ///   values when: the name is empty, longer than 255 characters or not ASCII; the function name is empty; the alias
    ///   is empty; the version is below 1; both alias and version are given; the period is not a whole number of
    ///   seconds from 1 to 86400; `evaluationPeriods` is below 1; `datapointsToAlarm` is outside 1…`evaluationPeriods`;
    ///   `period × evaluationPeriods` exceeds one day; a percentile is outside (0, 100); the threshold is not finite.
    public init(
        name: String,
        functionName: String,
        alias: String? = nil,
        version: Int? = nil,
        metric: MetricName,
        statistic: Statistic,
        period: TimeInterval,
        evaluationPeriods: Int,
        datapointsToAlarm: Int,
        threshold: Double,
        comparison: ComparisonOperator,
        treatMissingData: MissingDataTreatment = .missing
    ) throws {
        try Self.validateName(name)
        guard !functionName.isEmpty else {
            throw ShiftCoreError.invalidValue(field: "--function-name", value: functionName, expected: "the name of a function")
        }
        if let alias, alias.isEmpty {
            throw ShiftCoreError.invalidValue(field: "--alias", value: alias, expected: "an alias name, or no --alias to watch every invocation")
        }
        if let version, version < 1 {
            throw ShiftCoreError.invalidValue(field: "--version", value: String(version), expected: "a published version number, 1 or more")
        }
        if let alias, let version {
            throw ShiftCoreError.invalidValue(
                field: "--alias", value: "\(alias) with --version \(version)",
                expected: "at most one of --alias and --version (give neither to watch every invocation of the function)")
        }
        guard period.isFinite, period > 0, period == period.rounded() else {
            throw ShiftCoreError.invalidValue(field: "--period", value: Self.format(period), expected: "a whole number of seconds greater than 0, e.g. 60")
        }
        guard period <= Self.maximumEvaluationSeconds else {
            throw ShiftCoreError.invalidValue(field: "--period", value: Self.format(period), expected: "at most 86400 seconds (one day), as CloudWatch requires")
        }
        guard evaluationPeriods >= 1 else {
            throw ShiftCoreError.invalidValue(field: "--evaluation-periods", value: String(evaluationPeriods), expected: "a whole number of periods, 1 or more")
        }
        guard datapointsToAlarm >= 1, datapointsToAlarm <= evaluationPeriods else {
            throw ShiftCoreError.invalidValue(
                field: "--datapoints-to-alarm", value: String(datapointsToAlarm),
                expected: "from 1 to --evaluation-periods (\(evaluationPeriods))")
        }
        guard period * Double(evaluationPeriods) <= Self.maximumEvaluationSeconds else {
            let mostPeriods = Int(Self.maximumEvaluationSeconds / period)
            throw ShiftCoreError.invalidValue(
                field: "--evaluation-periods", value: String(evaluationPeriods),
                expected: "at most \(mostPeriods) with --period \(Self.format(period)): CloudWatch limits periods × period to one day (86400 seconds)")
        }
        if case let .percentile(percent) = statistic, !Statistic.isValidPercentile(percent) {
            throw ShiftCoreError.invalidValue(field: "--statistic", value: statistic.description, expected: Statistic.acceptedForms)
        }
        guard threshold.isFinite else {
            throw ShiftCoreError.invalidValue(field: "--threshold", value: String(threshold), expected: "a finite number")
        }
        self.name = name
        self.functionName = functionName
        self.alias = alias
        self.version = version
        self.metric = metric
        self.statistic = statistic
        self.period = period
        self.evaluationPeriods = evaluationPeriods
        self.datapointsToAlarm = datapointsToAlarm
        self.threshold = threshold
        self.comparison = comparison
        self.treatMissingData = treatMissingData
    }

    private static func validateName(_ name: String) throws {
        guard !name.isEmpty else {
            throw ShiftCoreError.invalidValue(field: "--alarm-name", value: name, expected: "a name of 1 to \(maximumNameLength) ASCII characters")
        }
        guard name.unicodeScalars.allSatisfy(\.isASCII) else {
            throw ShiftCoreError.invalidValue(field: "--alarm-name", value: name, expected: "only ASCII characters, as CloudWatch requires")
        }
        guard name.unicodeScalars.count <= maximumNameLength else {
            throw ShiftCoreError.invalidValue(
                field: "--alarm-name", value: "\(name.prefix(32))… (\(name.unicodeScalars.count) characters)",
                expected: "at most \(maximumNameLength) characters")
        }
    }

    /// 60 -> "60", 1.5 -> "1.5".
    private static func format(_ seconds: TimeInterval) -> String {
        if seconds.isFinite, seconds == seconds.rounded(), abs(seconds) < 1e15 { return String(Int64(seconds)) }
        return String(seconds)
    }

    private enum CodingKeys: String, CodingKey {
        case name, functionName, alias, version, metric, statistic, period
        case evaluationPeriods, datapointsToAlarm, threshold, comparison, treatMissingData
    }

    /// Decodes, then validates as the initializer does. As in `PutMetricAlarm`, a missing `datapointsToAlarm`
    /// means `evaluationPeriods` and a missing `treatMissingData` means `missing`.
    /// - Throws: `DecodingError` for malformed input; `ShiftCoreError.invalidValue` for values the initializer rejects.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let evaluationPeriods = try container.decode(Int.self, forKey: .evaluationPeriods)
        try self.init(
            name: try container.decode(String.self, forKey: .name),
            functionName: try container.decode(String.self, forKey: .functionName),
            alias: try container.decodeIfPresent(String.self, forKey: .alias),
            version: try container.decodeIfPresent(Int.self, forKey: .version),
            metric: try container.decode(MetricName.self, forKey: .metric),
            statistic: try container.decode(Statistic.self, forKey: .statistic),
            period: try container.decode(TimeInterval.self, forKey: .period),
            evaluationPeriods: evaluationPeriods,
            datapointsToAlarm: try container.decodeIfPresent(Int.self, forKey: .datapointsToAlarm) ?? evaluationPeriods,
            threshold: try container.decode(Double.self, forKey: .threshold),
            comparison: try container.decode(ComparisonOperator.self, forKey: .comparison),
            treatMissingData: try container.decodeIfPresent(MissingDataTreatment.self, forKey: .treatMissingData) ?? .missing
        )
    }

    /// Encodes every setting under its property name; `alias` and `version` only when present.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(functionName, forKey: .functionName)
        try container.encodeIfPresent(alias, forKey: .alias)
        try container.encodeIfPresent(version, forKey: .version)
        try container.encode(metric, forKey: .metric)
        try container.encode(statistic, forKey: .statistic)
        try container.encode(period, forKey: .period)
        try container.encode(evaluationPeriods, forKey: .evaluationPeriods)
        try container.encode(datapointsToAlarm, forKey: .datapointsToAlarm)
        try container.encode(threshold, forKey: .threshold)
        try container.encode(comparison, forKey: .comparison)
        try container.encode(treatMissingData, forKey: .treatMissingData)
    }
}

import Foundation

/// Decides an alarm's state from metric samples the way CloudWatch does: a pure function of its inputs.
///
/// Follows the Amazon CloudWatch User Guide, "Configuring how CloudWatch alarms treat missing data"
/// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/alarms-and-missing-data.html; text in
/// github.com/awsdocs/amazon-cloudwatch-user-guide, doc_source/AlarmThatSendsEmail.md):
///
/// 1. Periods are aligned to multiples of `period` since the Unix epoch. Each period [start, start + period) with
///    samples yields one datapoint, the `statistic` of its samples; a period without samples is *missing*.
/// 2. CloudWatch retrieves an *evaluation range* longer than the N (`evaluationPeriods`) periods evaluated, "in case
///    some of the most recent data points are missing". Its examples use 5 periods for N = 3; the guide says the exact
///    length depends on the period and resolution but gives no formula, so we use N + 2 (`evaluationRange(for:)`).
/// 3. If the range holds at least N real datapoints, the N most recent real ones are evaluated, reaching back past
///    gaps; the missing-data treatment is not consulted. ALARM when at least M (`datapointsToAlarm`) breach, else OK.
/// 4. Otherwise all real datapoints are evaluated together with the most recent missing ones, as few as make N
///    ("CloudWatch uses missing data points only as few times as possible"), filled by the treatment:
///    - `breaching` / `notBreaching`: the filled datapoints count as breaching / not breaching; then as in 3.
///    - `missing`: all missing is INSUFFICIENT_DATA; M real breaching is ALARM; else any real non-breaching is OK;
///      else (only breaching datapoints, fewer than M) ALARM when the oldest breaching one is at least M
///      datapoints back among the N evaluated ("Avoiding premature transitions to alarm state"), else
///      INSUFFICIENT_DATA.
///    - `ignore`: as `missing`, except that where `missing` would go to INSUFFICIENT_DATA or to the early ALARM,
///      the alarm keeps its current state.
public enum AlarmEvaluator {
    /// How many periods before the N evaluated ones the evaluation range also covers.
    ///
    /// The guide's worked examples (N = 3, range 5) imply 2; CloudWatch does not publish the rule for other periods.
    public static let extraPeriodsInEvaluationRange = 2

    /// The number of periods retrieved for one evaluation: `evaluationPeriods` + `extraPeriodsInEvaluationRange`.
    public static func evaluationRange(for definition: AlarmDefinition) -> Int {
        definition.evaluationPeriods + extraPeriodsInEvaluationRange
    }

    /// The instant of the latest evaluation at or before `now`: periods are aligned to multiples of `period` since the Unix epoch.
    public static func evaluationInstant(for definition: AlarmDefinition, at now: Date) -> Date {
        let period = definition.period
        return Date(timeIntervalSince1970: (now.timeIntervalSince1970 / period).rounded(.down) * period)
    }

    /// Evaluates `definition` at `instant` over the complete periods of the evaluation range that end at `instant`.
    ///
    /// `instant` is taken as given; pass `evaluationInstant(for:at:)` to align it as CloudWatch does.
    /// `samples` must be sorted by timestamp: the window is found by binary search, so only samples inside it are read.
    /// Samples before the range or at or after `instant` are ignored. `current` is the alarm's state before this
    /// evaluation; only the `ignore` treatment uses it, to keep that state when the datapoints cannot decide.
    public static func evaluate(
        _ definition: AlarmDefinition,
        samples: some RandomAccessCollection<MetricSample>,
        at instant: Date,
        current: AlarmStateValue
    ) -> AlarmEvaluation {
        let range = datapoints(for: definition, samples: samples, at: instant)
        let (value, reason) = verdict(for: definition, range: range, current: current)
        return AlarmEvaluation(value: value, reason: reason, datapoints: range.map(\.value))
    }

    /// One period's datapoint: its start and its statistic, nil when the period had no samples.
    struct Datapoint: Equatable {
        var start: Date
        var value: Double?
    }

    /// The datapoints of the evaluation range ending at `instant`, oldest first.
    static func datapoints(
        for definition: AlarmDefinition,
        samples: some RandomAccessCollection<MetricSample>,
        at instant: Date
    ) -> [Datapoint] {
        let count = evaluationRange(for: definition)
        let period = definition.period
        let starts = (0...count).map { instant.addingTimeInterval(-Double(count - $0) * period) }
        var values = [[Double]](repeating: [], count: count)
        let window = firstIndex(in: samples, notBefore: starts[0])..<firstIndex(in: samples, notBefore: instant)
        for sample in samples[window] {
            // Division finds the period; the comparisons settle samples that rounding put next to a boundary.
            var index = min(max(Int(sample.timestamp.timeIntervalSince(starts[0]) / period), 0), count - 1)
            while index + 1 < count, sample.timestamp >= starts[index + 1] { index += 1 }
            while index > 0, sample.timestamp < starts[index] { index -= 1 }
            values[index].append(sample.value)
        }
        return (0..<count).map { Datapoint(start: starts[$0], value: definition.statistic.aggregate(values[$0])) }
    }

    /// The first position in `samples` (sorted by timestamp) whose timestamp is at or after `date`.
    static func firstIndex<Samples: RandomAccessCollection<MetricSample>>(
        in samples: Samples, notBefore date: Date
    ) -> Samples.Index {
        var low = samples.startIndex
        var remaining = samples.count
        while remaining > 0 {
            let half = remaining / 2
            let middle = samples.index(low, offsetBy: half)
            if samples[middle].timestamp < date {
                low = samples.index(after: middle)
                remaining -= half + 1
            } else {
                remaining = half
            }
        }
        return low
    }

    /// The state and reason for the evaluation range `range` (oldest first), by the rules in the type's documentation.
    static func verdict(
        for definition: AlarmDefinition, range: [Datapoint], current: AlarmStateValue
    ) -> (AlarmStateValue, String) {
        let needed = definition.evaluationPeriods
        let real = range.filter { $0.value != nil }

        // Enough real datapoints, gaps or not: "the value you set for how to treat missing data is not needed".
        if real.count >= needed {
            return countedVerdict(
                for: definition, real: Array(real.suffix(needed)), filled: 0, filledAreBreaching: false, unknown: 0,
                rangeCount: range.count)
        }

        // Fill the most recent missing periods, only as many as make N.
        let filled = Array(range.filter { $0.value == nil }.suffix(needed - real.count))
        switch definition.treatMissingData {
        case .breaching:
            return countedVerdict(
                for: definition, real: real, filled: filled.count, filledAreBreaching: true, unknown: 0, rangeCount: range.count)
        case .notBreaching:
            return countedVerdict(
                for: definition, real: real, filled: filled.count, filledAreBreaching: false, unknown: 0, rangeCount: range.count)
        case .missing, .ignore:
            let isIgnore = definition.treatMissingData == .ignore
            guard !real.isEmpty else {
                return isIgnore
                    ? (current, retainedReason(for: definition, current: current, real: real, unknown: filled.count))
                    : (.insufficientData, allMissingReason(for: definition, range: range))
            }
            let breachingCount = real.filter { isBreaching($0, definition) }.count
            // The real datapoints decide on their own: M breaching, or fewer than M with a non-breaching one among them.
            if breachingCount >= definition.datapointsToAlarm || breachingCount < real.count {
                return countedVerdict(
                    for: definition, real: real, filled: 0, filledAreBreaching: false, unknown: filled.count, rangeCount: range.count)
            }
            // Only breaching datapoints, fewer than M: the rest are unknown.
            if isIgnore {
                return (current, retainedReason(for: definition, current: current, real: real, unknown: filled.count))
            }
            let evaluated = (real + filled).sorted { $0.start < $1.start }
            let oldestBreachAge = needed - (evaluated.firstIndex { $0.value != nil } ?? needed)
            if oldestBreachAge >= definition.datapointsToAlarm {
                return (.alarm, earlyAlarmReason(for: definition, real: real, unknown: filled.count, oldestBreachAge: oldestBreachAge))
            }
            return (.insufficientData, tooRecentReason(for: definition, real: real, unknown: filled.count))
        }
    }

    /// ALARM when at least M of the evaluated datapoints breach, else OK.
    private static func countedVerdict(
        for definition: AlarmDefinition,
        real: [Datapoint],
        filled: Int,
        filledAreBreaching: Bool,
        unknown: Int,
        rangeCount: Int
    ) -> (AlarmStateValue, String) {
        let breaching = real.filter { isBreaching($0, definition) }
        let notBreaching = real.filter { !isBreaching($0, definition) }
        let breachingCount = breaching.count + (filledAreBreaching ? filled : 0)
        let value: AlarmStateValue = breachingCount >= definition.datapointsToAlarm ? .alarm : .ok
        if real.isEmpty, filled > 0 {
            return (value, noDatapointsReason(periods: rangeCount, filled: filled, filledAreBreaching: filledAreBreaching))
        }
        let reason = value == .alarm
            ? thresholdCrossedReason(
                for: definition, toAlarm: true, listed: breaching, filled: filledAreBreaching ? filled : 0, unknown: unknown)
            : thresholdCrossedReason(
                for: definition, toAlarm: false, listed: notBreaching, filled: filledAreBreaching ? 0 : filled, unknown: unknown)
        return (value, reason)
    }

    /// Whether a real datapoint breaches; a missing one never does.
    static func isBreaching(_ datapoint: Datapoint, _ definition: AlarmDefinition) -> Bool {
        guard let value = datapoint.value else { return false }
        return definition.comparison.isBreaching(value, threshold: definition.threshold)
    }
}

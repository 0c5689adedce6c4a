import Foundation

/// State reasons in the style of CloudWatch's `StateReason`, e.g.
/// "Threshold Crossed: 2 out of the last 3 datapoints [5.0 (01/01/24 12:00:10), 4.0 (01/01/24 12:00:05)] were greater
/// than the threshold (1.0) (minimum 2 datapoints for OK -> ALARM transition)."
/// Datapoints are listed most recent first, each stamped with the start of its period in UTC, as CloudWatch does.
extension AlarmEvaluator {
    /// The evaluated datapoints decided by counting: CloudWatch's "Threshold Crossed" line.
    static func thresholdCrossedReason(
        for definition: AlarmDefinition,
        toAlarm: Bool,
        listed: [Datapoint],
        filled: Int,
        unknown: Int
    ) -> String {
        let needed = definition.evaluationPeriods
        let count = listed.count + filled
        var text = needed == 1
            ? "Threshold Crossed: \(counted(count, "datapoint"))"
            : "Threshold Crossed: \(count) out of the last \(needed) datapoints"
        if !listed.isEmpty { text += " \(list(listed))" }
        if filled > 0 { text += " and \(counted(filled, "missing datapoint")) treated as [\(toAlarm ? "Breaching" : "NonBreaching")]" }
        text += " \(wasOrWere(count)) \(toAlarm ? "" : "not ")\(definition.comparison.phrase) the threshold (\(definition.threshold))"
        if unknown > 0 { text += " and \(unknown) \(wasOrWere(unknown)) missing" }
        if needed > 1, toAlarm {
            text += " (minimum \(counted(definition.datapointsToAlarm, "datapoint")) for OK -> ALARM transition)"
        } else if needed > 1, unknown == 0 {
            text += " (minimum \(counted(needed - definition.datapointsToAlarm + 1, "datapoint")) for ALARM -> OK transition)"
        }
        return text + "."
    }

    /// No real datapoint in the range and the treatment filled them all: CloudWatch's own wording.
    static func noDatapointsReason(periods: Int, filled: Int, filledAreBreaching: Bool) -> String {
        "Threshold Crossed: no datapoints were received for \(counted(periods, "period")) and "
            + "\(counted(filled, "missing datapoint")) \(wasOrWere(filled)) treated as [\(filledAreBreaching ? "Breaching" : "NonBreaching")]."
    }

    /// Every period of the range is missing and missing data is `missing`.
    static func allMissingReason(for definition: AlarmDefinition, range: [Datapoint]) -> String {
        let end = (range.last?.start ?? Date(timeIntervalSince1970: 0)).addingTimeInterval(definition.period)
        let start = range.first?.start ?? end
        return "Insufficient Data: \(counted(range.count, "datapoint")) \(wasOrWere(range.count)) unknown "
            + "(no samples from \(timestamp(start)) to \(timestamp(end)))."
    }

    /// Missing data is `ignore` and the real datapoints cannot decide.
    static func retainedReason(for definition: AlarmDefinition, current: AlarmStateValue, real: [Datapoint], unknown: Int) -> String {
        var text = "Retained \(current.rawValue): \(unknown) out of the last \(definition.evaluationPeriods) datapoints "
            + "\(wasOrWere(unknown)) missing and missing data is ignored"
        if !real.isEmpty {
            text += "; \(counted(real.count, "datapoint")) \(list(real)) \(wasOrWere(real.count)) \(definition.comparison.phrase) "
                + "the threshold (\(definition.threshold)), fewer than the \(definition.datapointsToAlarm) needed for ALARM"
        }
        return text + "."
    }

    /// Only breaching datapoints, fewer than M, but the oldest is old enough: CloudWatch does not wait for more.
    static func earlyAlarmReason(for definition: AlarmDefinition, real: [Datapoint], unknown: Int, oldestBreachAge: Int) -> String {
        "Threshold Crossed: \(real.count) out of the last \(definition.evaluationPeriods) datapoints \(list(real)) "
            + "\(wasOrWere(real.count)) \(definition.comparison.phrase) the threshold (\(definition.threshold)) and \(unknown) "
            + "\(wasOrWere(unknown)) missing; the oldest breaching datapoint is \(counted(oldestBreachAge, "datapoint")) back, at least "
            + "\(definition.datapointsToAlarm), and none since was within the threshold."
    }

    /// Only breaching datapoints, fewer than M, and too recent to alarm early; missing data is `missing`.
    static func tooRecentReason(for definition: AlarmDefinition, real: [Datapoint], unknown: Int) -> String {
        "Insufficient Data: \(real.count) out of the last \(definition.evaluationPeriods) datapoints \(list(real)) "
            + "\(wasOrWere(real.count)) \(definition.comparison.phrase) the threshold (\(definition.threshold)) and \(unknown) "
            + "\(wasOrWere(unknown)) missing; ALARM needs \(definition.datapointsToAlarm) breaching, or the oldest breaching "
            + "at least \(counted(definition.datapointsToAlarm, "datapoint")) back."
    }

    /// "[5.0 (01/01/24 12:00:10), 4.0 (01/01/24 12:00:05)]": most recent first, as CloudWatch lists them.
    static func list(_ datapoints: [Datapoint]) -> String {
        "[" + datapoints.reversed().map { "\($0.value.map { "\($0)" } ?? "missing") (\(timestamp($0.start)))" }.joined(separator: ", ") + "]"
    }

    /// "dd/MM/yy HH:mm:ss" in UTC, CloudWatch's format in state reasons.
    ///
    /// Computed by `Timestamp`'s calendar arithmetic, so the result never depends on a locale or time zone.
    static func timestamp(_ date: Date) -> String {
        let (days, secondOfDay) = Timestamp.floorDivision(Int(date.timeIntervalSince1970.rounded(.down)), 86_400)
        let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
        return "\(twoDigits(day))/\(twoDigits(month))/\(twoDigits(year % 100)) "
            + "\(twoDigits(secondOfDay / 3_600)):\(twoDigits(secondOfDay % 3_600 / 60)):\(twoDigits(secondOfDay % 60))"
    }

    private static func twoDigits(_ number: Int) -> String {
        let magnitude = abs(number)
        return magnitude < 10 ? "0\(magnitude)" : "\(magnitude)"
    }

    /// "1 datapoint", "3 datapoints".
    private static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    private static func wasOrWere(_ count: Int) -> String {
        count == 1 ? "was" : "were"
    }
}

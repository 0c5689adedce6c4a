/// The three states of a CloudWatch metric alarm, spelled as CloudWatch's `StateValue`.
public enum AlarmStateValue: String, Codable, CaseIterable, Sendable {
    /// The metric is within the threshold.
    case ok = "OK"
    /// The metric is outside the threshold.
    case alarm = "ALARM"
    /// The alarm has just started or has too little data to decide.
    case insufficientData = "INSUFFICIENT_DATA"
}

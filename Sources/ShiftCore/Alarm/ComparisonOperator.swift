/// How an alarm compares a datapoint with its threshold, named as CloudWatch's `ComparisonOperator` names it.
public enum ComparisonOperator: String, Codable, CaseIterable, Sendable {
    /// Breaching when the datapoint is above the threshold.
    case greaterThanThreshold = "GreaterThanThreshold"
    /// Breaching when the datapoint is at or above the threshold.
    case greaterThanOrEqualToThreshold = "GreaterThanOrEqualToThreshold"
    /// Breaching when the datapoint is below the threshold.
    case lessThanThreshold = "LessThanThreshold"
    /// Breaching when the datapoint is at or below the threshold.
    case lessThanOrEqualToThreshold = "LessThanOrEqualToThreshold"

    /// Whether `value` is on the alarming side of `threshold`. A NaN value never breaches.
    public func isBreaching(_ value: Double, threshold: Double) -> Bool {
        switch self {
        case .greaterThanThreshold: return value > threshold
        case .greaterThanOrEqualToThreshold: return value >= threshold
        case .lessThanThreshold: return value < threshold
        case .lessThanOrEqualToThreshold: return value <= threshold
        }
    }

    /// The relation as CloudWatch words it in a state reason: "... were greater than the threshold (1.0)".
    var phrase: String {
        switch self {
        case .greaterThanThreshold: return "greater than"
        case .greaterThanOrEqualToThreshold: return "greater than or equal to"
        case .lessThanThreshold: return "less than"
        case .lessThanOrEqualToThreshold: return "less than or equal to"
        }
    }
}

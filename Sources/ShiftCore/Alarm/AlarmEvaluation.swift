/// The verdict of one alarm evaluation: the state the alarm should be in, why, and the datapoints behind it.
public struct AlarmEvaluation: Equatable, Sendable {
    /// The state the alarm should be in after this evaluation.
    public var value: AlarmStateValue
    /// One human line in the style of CloudWatch's `StateReason`, with UTC times.
    public var reason: String
    /// One datapoint per period of the evaluation range, oldest first; nil where the period had no samples.
    public var datapoints: [Double?]

    /// A verdict as given.
    public init(value: AlarmStateValue, reason: String, datapoints: [Double?]) {
        self.value = value
        self.reason = reason
        self.datapoints = datapoints
    }
}

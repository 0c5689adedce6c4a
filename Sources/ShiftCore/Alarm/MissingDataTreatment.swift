/// What an alarm does with periods that have no samples, as CloudWatch's `TreatMissingData` spells it.
///
/// CloudWatch consults the treatment only when the evaluation range holds fewer real datapoints than
/// `evaluationPeriods`; see `AlarmEvaluator` for the rules.
public enum MissingDataTreatment: String, Codable, CaseIterable, Sendable {
    /// The default: missing datapoints count neither way; all missing is `INSUFFICIENT_DATA`.
    case missing
    /// Missing datapoints count as within the threshold.
    case notBreaching
    /// Missing datapoints count as breaching the threshold.
    case breaching
    /// Missing datapoints keep the alarm in its current state when the real ones cannot decide.
    case ignore
}

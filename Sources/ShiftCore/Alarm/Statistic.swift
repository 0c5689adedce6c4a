/// How an alarm reduces the samples of one period to one datapoint, spelled as CloudWatch spells it.
///
/// CloudWatch's `Statistic` names ("Sum", "Average", "Minimum", "Maximum", "SampleCount") and its
/// `ExtendedStatistic` percentiles ("p99", "p99.9") share one type here; both print and decode as that string.
public enum Statistic: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The sum of the values.
    case sum
    /// The arithmetic mean of the values.
    case average
    /// The lowest value.
    case minimum
    /// The highest value.
    case maximum
    /// The number of values.
    case sampleCount
    /// The value below which the given percent of values fall, in (0, 100): `.percentile(99)` is "p99".
    case percentile(Double)

    /// The accepted forms, for error messages.
    static let acceptedForms = "one of Sum, Average, Minimum, Maximum, SampleCount, or a percentile p<n> with 0 < n < 100, e.g. p99 or p99.9"

    /// Parses CloudWatch's spelling: "Sum", "Average", "Minimum", "Maximum", "SampleCount", "p99", "p99.9", "p50".
    /// - Throws: `ShiftCoreError.invalidValue` with field "statistic" naming the accepted forms when `text` is none of them.
    public init(parsing text: String) throws {
        switch text {
        case "Sum": self = .sum
        case "Average": self = .average
        case "Minimum": self = .minimum
        case "Maximum": self = .maximum
        case "SampleCount": self = .sampleCount
        default:
            guard let percent = Self.percent(in: text), Self.isValidPercentile(percent) else {
                throw ShiftCoreError.invalidValue(field: "statistic", value: text, expected: Self.acceptedForms)
            }
            self = .percentile(percent)
        }
    }

    /// "Sum", "SampleCount", "p99", "p99.9".
    public var description: String {
        switch self {
        case .sum: return "Sum"
        case .average: return "Average"
        case .minimum: return "Minimum"
        case .maximum: return "Maximum"
        case .sampleCount: return "SampleCount"
        case let .percentile(percent):
            if percent.isFinite, percent == percent.rounded(), abs(percent) < 1e15 { return "p\(Int64(percent))" }
            return "p\(percent)"
        }
    }

    /// Reduces the samples of one period to one datapoint; nil when there are none (the period is missing).
    ///
    /// Percentiles use the nearest-rank method: the value at rank ⌈p/100 × n⌉ of the ascending values,
    /// so the result is always one of the samples (p50 of [1, 2, 3, 4] is 2, p99 of 1…100 is 99).
    /// A percent outside (0, 100), which `AlarmDefinition` rejects, gives the lowest or highest value; NaN gives nil.
    public func aggregate(_ values: some Collection<Double>) -> Double? {
        guard !values.isEmpty else { return nil }
        switch self {
        case .sum: return values.reduce(0, +)
        case .average: return values.reduce(0, +) / Double(values.count)
        case .minimum: return values.min()
        case .maximum: return values.max()
        case .sampleCount: return Double(values.count)
        case let .percentile(percent):
            guard !percent.isNaN else { return nil }
            let sorted = values.sorted()
            let exactRank = percent * Double(sorted.count) / 100
            // 99.9 % of 1000 must be rank 999, not 1000 because binary floating point made it 999.0000000001.
            let nearestWhole = exactRank.rounded()
            let rank = abs(exactRank - nearestWhole) <= 1e-9 * max(1, exactRank) ? nearestWhole : exactRank.rounded(.up)
            return sorted[Int(min(max(rank, 1), Double(sorted.count))) - 1]
        }
    }

    /// Whether a percentile is in the open range (0, 100) that CloudWatch accepts as pNN.
    static func isValidPercentile(_ percent: Double) -> Bool {
        percent.isFinite && percent > 0 && percent < 100
    }

    /// The number after "p" when `text` is "p" followed by plain decimal digits with at most one point.
    private static func percent(in text: String) -> Double? {
        guard text.hasPrefix("p") else { return nil }
        let number = text.dropFirst()
        // Double(_:) would also take "1e2", "inf" or "0x1p6"; CloudWatch only writes plain decimals.
        let isPlainDecimal = !number.isEmpty
            && number.first != "."
            && number.last != "."
            && number.filter { $0 == "." }.count <= 1
            && number.allSatisfy { $0 == "." || ("0"..."9").contains($0) }
        guard isPlainDecimal else { return nil }
        return Double(number)
    }

    /// Decodes CloudWatch's spelling, e.g. "p99".
    /// - Throws: `ShiftCoreError.invalidValue` as `init(parsing:)` does; `DecodingError` when the value is not a string.
    public init(from decoder: Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes CloudWatch's spelling, `description`.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

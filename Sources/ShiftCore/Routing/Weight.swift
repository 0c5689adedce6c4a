/// A share of traffic in [0, 1], as Lambda's `AdditionalVersionWeights` holds it.
///
/// A throwing initializer keeps out-of-range weights from existing.
public struct Weight: Codable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The share, in [0, 1].
    public let value: Double

    /// - Throws: `ShiftCoreError.invalidValue` when `value` is outside [0, 1] or not a number.
    public init(_ value: Double, field: String = "weight") throws {
        guard value.isFinite, value >= 0, value <= 1 else {
            throw ShiftCoreError.invalidValue(field: field, value: Self.format(value), expected: "a number from 0 to 1, e.g. 0.1 for 10 %")
        }
        self.value = value
    }

    /// A share given in percent, e.g. `10` for 10 %.
    /// - Throws: `ShiftCoreError.invalidValue` when `percent` is outside [0, 100].
    public init(percent: Double, field: String = "percent") throws {
        guard percent.isFinite, percent >= 0, percent <= 100 else {
            throw ShiftCoreError.invalidValue(field: field, value: Self.format(percent), expected: "a percentage from 0 to 100")
        }
        self.value = percent / 100
    }

    private init(unchecked value: Double) { self.value = value }

    /// No traffic.
    public static let zero = Weight(unchecked: 0)
    /// All traffic.
    public static let full = Weight(unchecked: 1)

    /// The share in percent, to a millionth of a percent: a weight made from a whole percentage reads back as that
    /// whole number. `value` keeps the nearest binary fraction (0.57 for 57 %), and 0.57 * 100 is
    /// 56.99999999999999 in binary floating point; CodeDeploy's percentages are integers, and so are a named
    /// preference's here.
    public var percent: Double { (value * 100 * Self.percentResolution).rounded() / Self.percentResolution }

    /// Steps per percent that `percent` and `description` resolve: a millionth of a percent.
    private static let percentResolution: Double = 1_000_000

    /// The rest of the traffic: `1 - self`.
    public var complement: Weight { Weight(unchecked: max(0, 1 - value)) }

    public static func < (lhs: Weight, rhs: Weight) -> Bool { lhs.value < rhs.value }

    /// "10%", "2.5%", from `percent`.
    public var description: String { "\(Self.format(percent))%" }

    public init(from decoder: Decoder) throws {
        let value = try decoder.singleValueContainer().decode(Double.self)
        try self.init(value)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    static func format(_ number: Double) -> String { number.compact }
}

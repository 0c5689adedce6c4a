import Foundation

/// The steps by which a deployment moves traffic to the target version, ending at 100 %.
///
/// A throwing initializer keeps bad schedules from existing, decoding included:
/// - at least one step;
/// - weights strictly increase from the 0 % a deployment starts at, so the first step is above 0 %;
/// - the last step is exactly 100 % and holds 0 (the bake after 100 % is a separate deployment option);
/// - every hold is finite and 0 or more;
/// - the time from the first to the last traffic shift (the sum of the holds) is at most 2,880 minutes,
///   CodeDeploy's quota for an AWS Lambda canary or linear deployment
///   ("Maximum number of minutes between the first and last traffic shift", CodeDeploy quotas).
public struct TrafficSchedule: Codable, Equatable, Sendable {
    /// The steps in order. The first is applied when shifting starts; each next one after the previous hold.
    public let steps: [TrafficStep]

    /// CodeDeploy's limit on the time between the first and the last traffic shift: 2,880 minutes (48 hours).
    public static let maximumTotalDuration: TimeInterval = 2_880 * 60

    /// A schedule of `steps`.
    /// - Throws: `ShiftCoreError.invalidValue` naming the first step that breaks a rule
    ///   (field `steps[i].weight`, `steps[i].hold`, or `steps` for the list as a whole).
    public init(steps: [TrafficStep]) throws {
        if let violation = Self.firstViolation(in: steps) {
            throw ShiftCoreError.invalidValue(field: violation.field, value: violation.value, expected: violation.expected)
        }
        self.steps = steps
    }

    /// Decodes `{"steps": [...]}` and applies the same rules as `init(steps:)`.
    /// - Throws: `ShiftCoreError.invalidValue` for a schedule that breaks a rule; `DecodingError` for malformed data.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(steps: container.decode([TrafficStep].self, forKey: .steps))
    }

    private enum CodingKeys: String, CodingKey {
        case steps
    }

    /// When a step is applied and the weight it sets.
    public struct TimelineEntry: Codable, Equatable, Sendable {
        /// Seconds from the start of shifting (the first step) to this step.
        public let offset: TimeInterval
        /// The share of traffic on the target version from this instant.
        public let weight: Weight

        /// An entry for a step applied `offset` seconds after shifting starts, setting `weight`.
        public init(offset: TimeInterval, weight: Weight) {
            self.offset = offset
            self.weight = weight
        }
    }

    /// Every step as (offset from the start of shifting, weight): the first at 0, the last at `totalDuration`
    /// plus the timed pauses. A pause until promoted and an analysis count as no time: the offsets are the earliest.
    public var timeline: [TimelineEntry] {
        var offset: TimeInterval = 0
        return steps.map { step in
            defer { offset += step.hold + step.gates.reduce(0) { $0 + ($1.kind == .pause ? $1.duration ?? 0 : 0) } }
            return TimelineEntry(offset: offset, weight: step.weight)
        }
    }

    /// Whether any step has an `analysis` line: then analyses run there only, not after every step.
    public var hasAnalysisGate: Bool {
        steps.contains { $0.gates.contains { $0.kind == .analysis } }
    }

    /// Seconds from the first traffic shift to the last (100 %): the sum of the holds.
    public var totalDuration: TimeInterval {
        steps.reduce(0) { $0 + $1.hold }
    }

    /// Seconds from the start of shifting until step `index` is applied: the holds of the steps before it.
    ///
    /// A recovering deployment uses this to find where a recorded step index sits in time.
    /// - Precondition: `index` is a valid index into `steps`.
    public func offset(ofStep index: Int) -> TimeInterval {
        precondition(steps.indices.contains(index), "step \(index) is outside 0..<\(steps.count)")
        return steps[..<index].reduce(0) { $0 + $1.hold }
    }
}

/// A rule of `TrafficSchedule` that a list of steps breaks, and where.
///
/// Kept apart from the error so that step-list files can report it at the offending line.
struct ScheduleViolation: Equatable {
    /// What the rule is about.
    enum Subject: Equatable {
        /// The list as a whole: empty, or longer than the limit.
        case schedule
        /// One step's weight.
        case weight
        /// One step's hold.
        case hold
        /// One step's pause and analysis lines.
        case gates
    }

    /// The step at fault; `nil` when there is no step to blame (an empty list).
    let stepIndex: Int?
    let subject: Subject
    let value: String
    let expected: String

    /// The field for `ShiftCoreError.invalidValue`: `steps[2].weight`, `steps[0].hold`, or `steps`.
    var field: String {
        switch (subject, stepIndex) {
        case let (.weight, index?): return "steps[\(index)].weight"
        case let (.hold, index?): return "steps[\(index)].hold"
        case let (.gates, index?): return "steps[\(index)].gates"
        default: return "steps"
        }
    }
}

extension TrafficSchedule {
    /// The first rule `steps` breaks, in step order, or `nil` when they make a valid schedule.
    static func firstViolation(in steps: [TrafficStep]) -> ScheduleViolation? {
        guard let lastIndex = steps.indices.last else {
            return ScheduleViolation(
                stepIndex: nil, subject: .schedule, value: "[]",
                expected: "at least one step, the last at 100%")
        }
        var previous = Weight.zero
        var elapsed: TimeInterval = 0
        for (index, step) in steps.enumerated() {
            guard step.hold.isFinite, step.hold >= 0 else {
                return ScheduleViolation(
                    stepIndex: index, subject: .hold, value: step.hold.compact,
                    expected: "a finite number of seconds, 0 or more")
            }
            guard step.weight > previous else {
                let expected = index == 0
                    ? "more than 0%: every step must move traffic to the target version"
                    : "more than the previous step's \(previous.description): weights must strictly increase"
                return ScheduleViolation(stepIndex: index, subject: .weight, value: step.weight.description, expected: expected)
            }
            previous = step.weight
            // The last step's hold is not shifting time; it must be 0, checked below with a clearer message.
            guard index < lastIndex else { break }
            elapsed += step.hold
            if elapsed > maximumTotalDuration {
                return ScheduleViolation(
                    stepIndex: index, subject: .schedule,
                    value: "\(DurationParser.format(elapsed)) from the first to the last shift",
                    expected: "at most 2880 minutes (48h) from the first to the last traffic shift, CodeDeploy's limit")
            }
        }
        let last = steps[lastIndex]
        guard last.gates.isEmpty else {
            return ScheduleViolation(
                stepIndex: lastIndex, subject: .gates, value: last.gates.map(\.description).joined(separator: ", "),
                expected: "no pause or analysis after the last step: they stand between two steps, before 100%")
        }
        guard last.weight == .full else {
            return ScheduleViolation(
                stepIndex: lastIndex, subject: .weight, value: last.weight.description,
                expected: "100% on the last step: a schedule ends with all traffic on the target version")
        }
        guard last.hold == 0 else {
            return ScheduleViolation(
                stepIndex: lastIndex, subject: .hold, value: DurationParser.format(last.hold),
                expected: "0 on the last step: the bake time after 100% is a separate deployment option")
        }
        return nil
    }
}

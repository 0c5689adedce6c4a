import Foundation

/// How a deployment moves traffic: a name people recognise and the schedule it stands for.
///
/// Follows CodeDeploy's deployment configurations for the AWS Lambda compute platform
/// ("Deployment configurations on an AWS Lambda compute platform", CodeDeploy User Guide):
/// - **Canary** (`TimeBasedCanary`: canaryPercentage, canaryInterval): P % at once, hold N, then the rest.
/// - **Linear** (`TimeBasedLinear`: linearPercentage, linearInterval): P % "at the start of each increment",
///   so the first increment at t = 0 and one more every interval; 100 % is the last step, capped at 100 %
///   when P does not divide 100. `Linear10PercentEvery1Minute` reaches 100 % at 9 minutes.
/// - **AllAtOnce**: 100 % at once.
///
/// CodeDeploy's quotas apply to every form: at most 99 % in one increment, and at most 2,880 minutes
/// between the first and the last traffic shift. Intervals may also be given in seconds, which CodeDeploy
/// lacks, so that demos and tests run fast.
public struct DeploymentPreference: Codable, Equatable, Sendable {
    /// The canonical name, e.g. `Canary10Percent5Minutes` (without the `CodeDeployDefault.Lambda` prefix),
    /// or `Custom(steps.txt)` for a step-list file.
    public let name: String
    /// The steps the name stands for.
    public let schedule: TrafficSchedule

    /// A preference called `name` that follows `schedule`.
    public init(name: String, schedule: TrafficSchedule) {
        self.name = name
        self.schedule = schedule
    }

    /// The prefix CodeDeploy gives its predefined Lambda configurations.
    public static let codeDeployPrefix = "CodeDeployDefault.Lambda"

    /// CodeDeploy's nine predefined Lambda configurations, without the prefix.
    public static let predefinedNames = [
        "Canary10Percent5Minutes",
        "Canary10Percent10Minutes",
        "Canary10Percent15Minutes",
        "Canary10Percent30Minutes",
        "Linear10PercentEvery1Minute",
        "Linear10PercentEvery2Minutes",
        "Linear10PercentEvery3Minutes",
        "Linear10PercentEvery10Minutes",
        "AllAtOnce",
    ]

    /// The most traffic CodeDeploy shifts in one canary or linear increment.
    public static let maximumIncrementPercent = 99

    // MARK: - Names

    /// The preference a name stands for.
    ///
    /// Accepts the nine predefined names (`predefinedNames`), each also with the `CodeDeployDefault.Lambda`
    /// prefix, and the custom forms `Canary<P>Percent<N><unit>` and `Linear<P>PercentEvery<N><unit>`, where
    /// P and N are positive whole numbers and the unit is `Minute`, `Minutes`, `Second` or `Seconds`.
    /// - Throws: `ShiftCoreError.invalidValue` with field `--preference` when the name is unknown, the
    ///   percentage is not 1 to 99, the interval is 0, or the schedule would take more than 2,880 minutes.
    public static func named(_ name: String) throws -> DeploymentPreference {
        if name.hasPrefix(codeDeployPrefix) {
            let bare = String(name.dropFirst(codeDeployPrefix.count))
            // CodeDeploy reserves the prefix for its own configurations; a custom one never carries it.
            guard predefinedNames.contains(bare) else {
                throw invalidName(name, expected: """
                    one of the predefined configurations after \(codeDeployPrefix): \(predefinedNames.joined(separator: ", ")); \
                    custom forms such as Canary5Percent7Minutes take no prefix
                    """)
            }
            return try named(bare)
        }
        if name == "AllAtOnce" {
            return DeploymentPreference(name: name, schedule: try TrafficSchedule(steps: [TrafficStep(weight: .full)]))
        }
        if let match = name.wholeMatch(of: /Canary([0-9]+)Percent([0-9]+)(Minutes?|Seconds?)/) {
            return try canary(name: name, percent: match.1, interval: match.2, unit: match.3)
        }
        if let match = name.wholeMatch(of: /Linear([0-9]+)PercentEvery([0-9]+)(Minutes?|Seconds?)/) {
            return try linear(name: name, percent: match.1, interval: match.2, unit: match.3)
        }
        throw invalidName(name, expected: """
            one of \(predefinedNames.joined(separator: ", ")) (each also as \(codeDeployPrefix)<name>), \
            or Canary<P>Percent<N>Minutes or Linear<P>PercentEvery<N>Minutes \
            (unit Minute, Minutes, Second or Seconds), e.g. Canary10Percent30Seconds
            """)
    }

    /// Canary: `percent` at t = 0, held for the interval, then 100 %.
    private static func canary(name: String, percent: Substring, interval: Substring, unit: Substring) throws -> DeploymentPreference {
        let percent = try increment(percent, name: name, expected: "a canary increment of 1 to 99 percent, e.g. Canary10Percent5Minutes")
        let hold = try intervalSeconds(interval, unit: unit, name: name, expected: "a canary interval of at least 1 minute or 1 second, e.g. Canary10Percent5Minutes")
        try checkTotal(hold, name: name, advice: "use a shorter interval")
        return DeploymentPreference(name: name, schedule: try TrafficSchedule(steps: [
            TrafficStep(weight: try Weight(percent: Double(percent)), hold: hold),
            TrafficStep(weight: .full),
        ]))
    }

    /// Linear: `percent` at t = 0 and `percent` more every interval; the last step is 100 % and holds 0.
    private static func linear(name: String, percent: Substring, interval: Substring, unit: Substring) throws -> DeploymentPreference {
        let percent = try increment(percent, name: name, expected: "a linear increment of 1 to 99 percent, e.g. Linear10PercentEvery1Minute")
        let hold = try intervalSeconds(interval, unit: unit, name: name, expected: "a linear interval of at least 1 minute or 1 second, e.g. Linear10PercentEvery1Minute")
        let stepCount = (100 + percent - 1) / percent
        try checkTotal(Double(stepCount - 1) * hold, name: name, advice: "use a larger percentage or a shorter interval")
        let steps = try (1...stepCount).map { index in
            TrafficStep(
                weight: try Weight(percent: Double(min(percent * index, 100))),
                hold: index < stepCount ? hold : 0)
        }
        return DeploymentPreference(name: name, schedule: try TrafficSchedule(steps: steps))
    }

    /// The increment in percent, 1 to 99 (CodeDeploy's "maximum percentage of traffic shifted in one increment").
    private static func increment(_ digits: Substring, name: String, expected: String) throws -> Int {
        // Digits too many for an Int are out of range like any other large number.
        guard let percent = Int(digits), (1...maximumIncrementPercent).contains(percent) else {
            throw invalidName(name, expected: expected)
        }
        return percent
    }

    /// The interval in seconds, at least one unit. Kept as a `Double` so that huge numbers cannot overflow.
    private static func intervalSeconds(_ digits: Substring, unit: Substring, name: String, expected: String) throws -> TimeInterval {
        guard let count = Double(digits), count >= 1 else { throw invalidName(name, expected: expected) }
        return count * (unit.hasPrefix("Minute") ? 60 : 1)
    }

    private static func checkTotal(_ total: TimeInterval, name: String, advice: String) throws {
        guard total <= TrafficSchedule.maximumTotalDuration else {
            throw invalidName(name, expected: """
                at most 2880 minutes (48h) from the first to the last traffic shift, CodeDeploy's limit, \
                but this takes \(DurationParser.format(total)); \(advice)
                """)
        }
    }

    private static func invalidName(_ name: String, expected: String) -> ShiftCoreError {
        .invalidValue(field: "--preference", value: name, expected: expected)
    }

    // MARK: - Step-list files

    /// A preference read from a step-list file: one step per line, `<percent>% <hold>`.
    ///
    /// ```
    /// # canary, then half, then all
    /// 5%   2m
    /// 50%  10m    # a comment may follow a step
    /// 100%
    /// ```
    /// Percentages may have decimals (`2.5%`); holds use `DurationParser` syntax (`30s`, `5m`, `1h`, `1m30s`,
    /// `90`); the last step may omit its hold. Blank lines and `#` comments are ignored.
    ///
    /// Between two steps, after the first one's hold, lines may stand: `pause` (hold until
    /// `shift deployment promote`), `pause 10m` (a timed pause that promote ends early) and `analysis` (run the
    /// deployment's canary analysis as a gate there; a deployment without an analysis refuses such a list).
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - file: the path shown in errors; its last component names the preference, `Custom(<name>)`.
    /// - Throws: `ShiftCoreError.invalidFileValue` with the 1-based line of the step at fault and field
    ///   `percent` or `hold` for a malformed step, or `steps` for a schedule rule (weights not increasing,
    ///   last step not 100 % or holding, more than 2,880 minutes, no steps at all).
    public static func parseStepList(_ text: String, file: String) throws -> DeploymentPreference {
        var steps: [TrafficStep] = []
        var stepLines: [Int] = []
        var stepsWithoutHold: [Int] = []

        // `isNewline` also splits "\r\n", which Swift treats as one Character.
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, line) in lines.enumerated() {
            let lineNumber = offset + 1
            let content = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            guard !content.isEmpty else { continue }
            if let gate = try stepGate(content, file: file, line: lineNumber) {
                guard !steps.isEmpty else {
                    throw ShiftCoreError.invalidFileValue(
                        file: file, line: lineNumber, field: gate.kind.rawValue, value: content,
                        expected: "a step such as '10% 5m' before it: a \(gate.kind.rawValue) line stands between two steps")
                }
                steps[steps.count - 1].gates.append(gate)
                continue
            }
            let percentText = String(content.prefix { !$0.isWhitespace })
            let holdText = content.dropFirst(percentText.count).trimmingCharacters(in: .whitespaces)

            let weight = try stepWeight(percentText, file: file, line: lineNumber)
            var hold: TimeInterval = 0
            if holdText.isEmpty {
                stepsWithoutHold.append(steps.count)
            } else {
                do {
                    hold = try DurationParser.parse(duration: holdText, field: "hold")
                } catch {
                    throw ShiftCoreError.invalidFileValue(
                        file: file, line: lineNumber, field: "hold", value: holdText, expected: DurationParser.expectedForm)
                }
            }
            steps.append(TrafficStep(weight: weight, hold: hold))
            stepLines.append(lineNumber)
        }

        guard !steps.isEmpty else {
            throw ShiftCoreError.invalidFileValue(
                file: file, line: 1, field: "steps", value: "",
                expected: "at least one step per line such as '10% 5m', the last one '100%'")
        }
        if let index = stepsWithoutHold.first(where: { $0 < steps.count - 1 }) {
            throw ShiftCoreError.invalidFileValue(
                file: file, line: stepLines[index], field: "hold", value: "",
                expected: "a hold after the percentage, e.g. '\(steps[index].weight.description) 5m'; only the last step may omit it")
        }
        if let gate = steps.last?.gates.first {
            throw ShiftCoreError.invalidFileValue(
                file: file, line: gate.line ?? stepLines[steps.count - 1], field: gate.kind.rawValue, value: gate.description,
                expected: "a step after it: pause and analysis lines stand between two steps, before the last one (100%)")
        }
        if let violation = TrafficSchedule.firstViolation(in: steps) {
            throw ShiftCoreError.invalidFileValue(
                file: file, line: violation.stepIndex.map { stepLines[$0] } ?? 1, field: "steps",
                value: violation.value, expected: violation.expected)
        }
        let fileName = file.split(separator: "/").last.map(String.init) ?? file
        return DeploymentPreference(name: "Custom(\(fileName))", schedule: try TrafficSchedule(steps: steps))
    }

    /// `pause`, `pause <duration>` or `analysis`; nil when the line is a step.
    private static func stepGate(_ content: String, file: String, line: Int) throws -> StepGate? {
        let words = content.split(whereSeparator: \.isWhitespace)
        switch words.first {
        case "analysis":
            guard words.count == 1 else {
                throw ShiftCoreError.invalidFileValue(
                    file: file, line: line, field: "analysis", value: content,
                    expected: "'analysis' alone: the analysis is the deployment's own")
            }
            return StepGate(.analysis, line: line)
        case "pause":
            guard words.count > 1 else { return StepGate(.pause, line: line) }
            let text = words.dropFirst().joined(separator: " ")
            guard let duration = try? DurationParser.parse(duration: text, field: "pause"), duration > 0 else {
                throw ShiftCoreError.invalidFileValue(
                    file: file, line: line, field: "pause", value: text,
                    expected: "'pause' alone (until promoted) or 'pause' and a duration above 0, e.g. 'pause 10m'")
            }
            return StepGate(.pause, duration: duration, line: line)
        default:
            return nil
        }
    }

    /// `10%` or `2.5%`: above 0 and at most 100.
    private static func stepWeight(_ text: String, file: String, line: Int) throws -> Weight {
        guard text.hasSuffix("%"), text.dropLast().wholeMatch(of: /[0-9]+(\.[0-9]+)?/) != nil,
              let percent = Double(text.dropLast())
        else {
            throw ShiftCoreError.invalidFileValue(
                file: file, line: line, field: "percent", value: text,
                expected: "a percentage such as 10% at the start of the line, then a hold such as 5m")
        }
        guard percent > 0, percent <= 100 else {
            throw ShiftCoreError.invalidFileValue(
                file: file, line: line, field: "percent", value: text, expected: "a percentage above 0% and at most 100%")
        }
        return try Weight(percent: percent)
    }

    // MARK: - Description

    /// One line for people: "100% at once", "10% for 5m, then 100%", "+10% every 1m over 9m",
    /// or each step for other shapes: "5% for 2m, 50% for 10m, then 100%".
    public var summary: String {
        let steps = schedule.steps
        guard steps.count > 1 else { return "100% at once" }
        let first = steps[0]
        if steps.count > 2, isLinear, !steps.contains(where: { !$0.gates.isEmpty }) {
            return "+\(first.weight.description) every \(DurationParser.format(first.hold)) over \(DurationParser.format(schedule.totalDuration))"
        }
        let holds = steps.dropLast().map { step in
            (["\(step.weight.description) for \(DurationParser.format(step.hold))"] + step.gates.map(\.description)).joined(separator: ", ")
        }
        return holds.joined(separator: ", ") + ", then 100%"
    }

    /// Equal increments (the last one capped at 100 %) and equal holds: the shape of a linear preference.
    private var isLinear: Bool {
        let steps = schedule.steps
        let increment = steps[0].weight.percent
        let hold = steps[0].hold
        return steps.indices.allSatisfy { index in
            let expected = min(increment * Double(index + 1), 100)
            return abs(steps[index].weight.percent - expected) < 1e-9
                && (index == steps.count - 1 || steps[index].hold == hold)
        }
    }
}

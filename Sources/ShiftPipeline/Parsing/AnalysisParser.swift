import Foundation
import ShiftCore
import Yams

/// Reads an analysis (`shift deploy --analysis FILE`, or inline as `analysis:` on a pipeline deploy entry) into a
/// `CanaryAnalysis`, reporting every problem with `file:line:column`, its field path and what would fix it.
/// Unknown keys are refused (with a suggestion for a near miss).
public struct AnalysisParser {
    /// The keys of an analysis.
    public static let keys = ["metrics", "interval", "pass", "marginal", "confidence"]
    /// The keys of one metric.
    public static let metricKeys = ["name", "metric", "namespace", "statistic", "direction", "critical", "allowedIncrease", "allowedDecrease",
                                    "mustHaveData", "weight", "group"]

    let reader: NodeReader

    /// Parses `text`, reporting positions against `file` (the name as the user gave it).
    /// - Returns: the analysis when the text has no issues, and every issue in file order.
    public static func parse(_ text: String, file: String) -> (analysis: CanaryAnalysis?, issues: [FileIssue]) {
        if let (line, column) = NestingDepth.firstExcess(in: text) {
            return (nil, [FileIssue(file: file, line: line, column: column, field: "", message: "nests deeper than \(NestingDepth.maximum) levels (an analysis needs 3); flatten the file")])
        }
        let reader = NodeReader(file: file)
        let analysis: CanaryAnalysis?
        do {
            if let root = try Yams.compose(yaml: text) {
                analysis = AnalysisParser(reader: reader).analysis(root, "")
            } else {
                reader.report(nil, "", "the file is empty; expected a mapping with metrics (and interval, pass, marginal, confidence)")
                analysis = nil
            }
        } catch {
            reader.report(nil, "", PipelineParser.syntaxMessage(error), at: PipelineParser.syntaxMark(error))
            analysis = nil
        }
        let issues = reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return (issues.isEmpty ? analysis : nil, issues)
    }

    /// Reads and parses the file at `path`.
    /// - Throws: `PipelineError.unreadableAnalysisFile`; `PipelineError.invalidAnalysisFile` listing every issue.
    public static func load(path: String) throws -> CanaryAnalysis {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw PipelineError.unreadableAnalysisFile(file: path, detail: exists ? "permission denied or not a file" : "no such file")
        }
        let outcome = parse(String(decoding: data, as: UTF8.self), file: path)
        guard let analysis = outcome.analysis else { throw PipelineError.invalidAnalysisFile(file: path, issues: outcome.issues) }
        return analysis
    }

    /// The analysis at `node`, `path` its field path (empty at the top of a file); nil when anything is wrong
    /// (reported).
    func analysis(_ node: Node, _ path: String) -> CanaryAnalysis? {
        guard let fields = reader.fields(node, path, allowed: Self.keys, required: ["metrics"], expected: "a mapping with metrics (and interval, pass, marginal, confidence)") else { return nil }
        let defaults = CanaryAnalysis(metrics: [])
        var valid = true
        func score(_ key: String, _ fallback: Double) -> Double {
            guard let node = fields[key] else { return fallback }
            guard let value = reader.number(node, fields.path(key), expected: "a score from 0 to 100"), (0...100).contains(value) else {
                if case let .scalar(scalar) = node, let value = Double(scalar.string), value.isFinite {
                    reader.report(node, fields.path(key), "is '\(scalar.string)'; expected a score from 0 to 100")
                }
                valid = false
                return fallback
            }
            return value
        }
        let pass = score("pass", defaults.pass), marginal = score("marginal", defaults.marginal)
        if valid, marginal > pass {
            reader.report(fields["marginal"] ?? fields["pass"] ?? node, fields.path(fields["marginal"] != nil ? "marginal" : "pass"),
                          "is above pass (\(marginal.compact) > \(pass.compact)); expected marginal <= pass")
            valid = false
        }
        var confidence = defaults.confidence
        if let node = fields["confidence"] {
            let expected = "a probability between 0.5 and 1, e.g. 0.98 (both excluded)"
            if let value = reader.number(node, fields.path("confidence"), expected: expected) {
                if value > 0.5, value < 1 { confidence = value } else {
                    reader.report(node, fields.path("confidence"), "is '\(value.compact)'; expected \(expected)")
                    valid = false
                }
            } else { valid = false }
        }
        var interval: TimeInterval?
        if let node = fields["interval"] {
            interval = reader.duration(node, fields.path("interval"), within: .period)
            if interval == nil { valid = false }
        }
        var metrics: [CanaryMetric] = []
        if let node = fields["metrics"] {
            guard case let .sequence(sequence) = node, !sequence.isEmpty else {
                reader.report(node, fields.path("metrics"), "is \(NodeReader.describe(node)); expected a list of at least one metric (name, metric, ...)")
                return nil
            }
            var names: Set<String> = []
            for (index, item) in sequence.enumerated() {
                let itemPath = "\(fields.path("metrics"))[\(index)]"
                guard let metric = self.metric(item, itemPath) else { valid = false; continue }
                if !names.insert(metric.name).inserted {
                    reader.report(item, "\(itemPath).name", "'\(metric.name)' names another metric too; give each metric its own name")
                    valid = false
                }
                metrics.append(metric)
            }
        }
        guard valid, !metrics.isEmpty else { return nil }
        return CanaryAnalysis(metrics: metrics, interval: interval, pass: pass, marginal: marginal, confidence: confidence)
    }

    private func metric(_ node: Node, _ path: String) -> CanaryMetric? {
        guard let fields = reader.fields(node, path, allowed: Self.metricKeys, required: ["name", "metric"],
                                         expected: "a metric: a mapping with name, metric and optionally \(Self.metricKeys.dropFirst(2).joined(separator: ", "))") else { return nil }
        var valid = true
        func text(_ key: String, _ expected: String) -> String? {
            guard let node = fields[key] else { return nil }
            guard let value = reader.string(node, fields.path(key), expected: expected) else { valid = false; return nil }
            guard !value.trimmingCharacters(in: .whitespaces).isEmpty, value.count <= 255, !value.contains(where: \.isNewline) else {
                reader.report(node, fields.path(key), "is '\(value.prefix(60))'; expected \(expected) (1 to 255 characters on one line)")
                valid = false
                return nil
            }
            return value
        }
        func flag(_ key: String) -> Bool {
            guard let node = fields[key] else { return false }
            guard let value = reader.boolean(node, fields.path(key)) else { valid = false; return false }
            return value
        }
        func ratio(_ key: String, below one: Bool) -> Double? {
            guard let node = fields[key] else { return nil }
            let expected = one ? "a ratio from 0 to 1, e.g. 0.1 for 10 %" : "a ratio of 0 or more, e.g. 0.1 for 10 %"
            guard let value = reader.number(node, fields.path(key), expected: expected) else { valid = false; return nil }
            guard value >= 0, !one || value <= 1 else {
                reader.report(node, fields.path(key), "is '\(value.compact)'; expected \(expected)")
                valid = false
                return nil
            }
            return value
        }
        let name = text("name", "the metric's name in verdicts")
        let metric = text("metric", "a metric: Errors, Duration or Throttles locally, a CloudWatch metric name on AWS")
        let namespace = text("namespace", "a CloudWatch namespace, e.g. AWS/Lambda")
        let statistic = text("statistic", "a statistic, e.g. Average, Sum, p50 or p99")
        let group = text("group", "a group name")
        var direction = CanaryMetric.Direction.increase
        if let node = fields["direction"], let value = reader.string(node, fields.path("direction"), expected: "increase, decrease or either") {
            if let parsed = CanaryMetric.Direction(rawValue: value) { direction = parsed } else {
                reader.report(node, fields.path("direction"), "is '\(value.prefix(60))'; expected increase, decrease or either (the direction that is bad)")
                valid = false
            }
        } else if fields["direction"] != nil { valid = false }
        let critical = flag("critical"), mustHaveData = flag("mustHaveData")
        let allowedIncrease = ratio("allowedIncrease", below: false), allowedDecrease = ratio("allowedDecrease", below: true)
        var weight = 1.0
        if let node = fields["weight"] {
            let expected = "a weight above 0, e.g. 1"
            if let value = reader.number(node, fields.path("weight"), expected: expected), value > 0 { weight = value } else {
                if case let .scalar(scalar) = node, let value = Double(scalar.string), value.isFinite {
                    reader.report(node, fields.path("weight"), "is '\(scalar.string)'; expected \(expected)")
                }
                valid = false
            }
        }
        if let statistic, !Self.isStatistic(statistic) {
            reader.report(fields["statistic"], fields.path("statistic"), "is '\(statistic.prefix(60))'; expected Average, Sum, Minimum, Maximum, SampleCount or a percentile p0 to p100 (e.g. p99, p99.9)")
            valid = false
        }
        guard valid, let name, let metric else { return nil }
        return CanaryMetric(name: name, metric: metric, namespace: namespace, statistic: statistic, direction: direction, critical: critical,
                            allowedIncrease: allowedIncrease, allowedDecrease: allowedDecrease, mustHaveData: mustHaveData, weight: weight, group: group)
    }

    /// CloudWatch's statistics: the five named ones and percentiles `pNN(.N)`.
    static func isStatistic(_ text: String) -> Bool {
        if ["Average", "Sum", "Minimum", "Maximum", "SampleCount"].contains(text) { return true }
        guard text.first == "p", let value = Double(text.dropFirst()), text.dropFirst().allSatisfy({ $0.isNumber || $0 == "." }) else { return false }
        return (0...100).contains(value)
    }
}

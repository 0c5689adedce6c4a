import ShiftCore
import ShiftPipeline
import XCTest

final class AnalysisParserTests: XCTestCase {
    /// The package's `Examples/analysis/` directory.
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/analysis")

    private func issues(_ text: String) -> [String] {
        AnalysisParser.parse(text, file: "a.yaml").issues.map(\.description)
    }

    func testExamples_parse() throws {
        let latency = try AnalysisParser.load(path: Self.examples.appendingPathComponent("latency.yaml").path)
        XCTAssertEqual(latency, CanaryAnalysis(metrics: [
            CanaryMetric(name: "latency", metric: "Duration", statistic: "p50", direction: .increase, allowedIncrease: 0.25, mustHaveData: true, weight: 2),
            CanaryMetric(name: "errors", metric: "Errors", direction: .increase, critical: true),
        ], interval: 60, pass: 95, marginal: 75, confidence: 0.98))
        let lambda = try AnalysisParser.load(path: Self.examples.appendingPathComponent("lambda.yaml").path)
        XCTAssertEqual(lambda.metrics.map(\.group), ["latency", "latency", nil, nil])
        XCTAssertEqual(lambda.interval, 600)
    }

    func testDefaults_whenOnlyMetricsAreGiven() throws {
        let analysis = try XCTUnwrap(AnalysisParser.parse("metrics: [{name: e, metric: Errors}]", file: "a.yaml").analysis)
        XCTAssertEqual(analysis, CanaryAnalysis(metrics: [CanaryMetric(name: "e", metric: "Errors")]))
        XCTAssertEqual(analysis.pass, 95)
        XCTAssertEqual(analysis.marginal, 75)
        XCTAssertEqual(analysis.confidence, 0.98)
        XCTAssertNil(analysis.interval)
    }

    func testUnknownKey_isRefused_withPositionAndSuggestion() {
        XCTAssertEqual(issues("metrics: [{name: e, metric: Errors}]\nmarginl: 50\n"),
                       ["a.yaml:2:1: marginl: is not a known field; expected one of metrics, interval, pass, marginal, confidence (did you mean 'marginal'?)"])
        XCTAssertEqual(issues("metrics:\n  - name: e\n    metric: Errors\n    critcal: true\n"),
                       ["a.yaml:4:5: metrics[0].critcal: is not a known field; expected one of name, metric, namespace, statistic, direction, critical, allowedIncrease, allowedDecrease, mustHaveData, weight, group (did you mean 'critical'?)"])
    }

    func testEveryBadValue_isReported_withItsPosition() {
        let text = """
            pass: 101
            confidence: 1
            interval: 2d
            metrics:
              - name: e
                metric: Errors
                direction: up
                allowedDecrease: 1.5
                weight: 0
                statistic: p101
              - name: e
                metric: Duration

            """
        XCTAssertEqual(issues(text), [
            "a.yaml:1:7: pass: is '101'; expected a score from 0 to 100",
            "a.yaml:2:13: confidence: is '1'; expected a probability between 0.5 and 1, e.g. 0.98 (both excluded)",
            "a.yaml:3:11: interval: is '2d'; expected a duration from 1s to 1d, e.g. 90 (seconds), 0.5, 30s, 5m, 1h30m or 7d",
            "a.yaml:7:16: metrics[0].direction: is 'up'; expected increase, decrease or either (the direction that is bad)",
            "a.yaml:8:22: metrics[0].allowedDecrease: is '1.5'; expected a ratio from 0 to 1, e.g. 0.1 for 10 %",
            "a.yaml:9:13: metrics[0].weight: is '0'; expected a weight above 0, e.g. 1",
            "a.yaml:10:16: metrics[0].statistic: is 'p101'; expected Average, Sum, Minimum, Maximum, SampleCount or a percentile p0 to p100 (e.g. p99, p99.9)",
        ])
    }

    func testTwoMetricsWithOneName_areRefused() {
        XCTAssertEqual(issues("metrics:\n  - {name: e, metric: Errors}\n  - {name: e, metric: Duration}\n"),
                       ["a.yaml:3:5: metrics[1].name: 'e' names another metric too; give each metric its own name"])
    }

    func testMarginalAbovePass_isRefused() {
        XCTAssertEqual(issues("pass: 50\nmarginal: 60\nmetrics: [{name: e, metric: Errors}]"),
                       ["a.yaml:2:11: marginal: is above pass (60 > 50); expected marginal <= pass"])
    }

    func testMissingOrEmptyMetrics_isRefused() {
        XCTAssertEqual(issues("pass: 90\n"), ["a.yaml:1:1: metrics: is missing; it is required"])
        XCTAssertEqual(issues("metrics: []\n"), ["a.yaml:1:10: metrics: is a list; expected a list of at least one metric (name, metric, ...)"])
        XCTAssertEqual(issues("metrics:\n  - {metric: Errors}\n"), ["a.yaml:2:5: metrics[0].name: is missing; it is required"])
    }

    func testEmptyFileAndBadSyntax_areOneLineEach() {
        XCTAssertEqual(issues(""), ["a.yaml:1:1: (top level): the file is empty; expected a mapping with metrics (and interval, pass, marginal, confidence)"])
        let syntax = issues("metrics: [\n")
        XCTAssertEqual(syntax.count, 1)
        XCTAssertTrue(syntax[0].hasPrefix("a.yaml:"), syntax[0])
        XCTAssertTrue(syntax[0].contains("is not valid YAML or JSON"), syntax[0])
    }

    func testUnreadableFile_isBadInput_namingIt() {
        XCTAssertThrowsError(try AnalysisParser.load(path: "/nonexistent/analysis.yaml")) { error in
            XCTAssertEqual((error as? PipelineError)?.category, .badInput)
            XCTAssertEqual((error as? LocalizedError)?.errorDescription, "cannot read analysis file /nonexistent/analysis.yaml: no such file")
        }
    }

    func testPipelineDeployEntry_takesAnInlineAnalysis_andReportsItsErrorsInThePipelineFile() throws {
        let pipeline = PipelineParserTests.minimal.replacingOccurrences(
            of: "{function: api, alias: live, preference: AllAtOnce}",
            with: "{function: api, alias: live, preference: AllAtOnce, analysis: {pass: 90, metrics: [{name: errors, metric: Errors, critical: true}]}}")
        let parsed = PipelineParser.parse(pipeline, file: "p.yml")
        XCTAssertEqual(parsed.issues, [])
        guard case let .deploy(stage)? = parsed.pipeline?.stages.last?.kind else { return XCTFail("no deploy stage") }
        XCTAssertEqual(stage.functions.first?.analysis, CanaryAnalysis(metrics: [CanaryMetric(name: "errors", metric: "Errors", critical: true)], pass: 90))
        let bad = PipelineParser.parse(pipeline.replacingOccurrences(of: "critical: true", with: "critical: maybe"), file: "p.yml")
        XCTAssertEqual(bad.issues.map(\.description), ["p.yml:16:133: stages[1].functions[0].analysis.metrics[0].critical: is 'maybe'; expected true or false"])
    }
}

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ShiftCore
@testable import ShiftReport
import XCTest

final class TimelineChartTests: XCTestCase {
    typealias Fixture = ReportFixture

    /// The `points` attribute of the first `<polyline class="CLASS">`, as numbers.
    private func polyline(_ svg: String, class name: String) throws -> [(x: Double, y: Double)] {
        let marker = "<polyline class=\"\(name)\" points=\""
        let start = try XCTUnwrap(svg.range(of: marker), "no polyline \(name)").upperBound
        let end = try XCTUnwrap(svg[start...].firstIndex(of: "\""))
        return try svg[start..<end].split(separator: " ").map { pair in
            let parts = pair.split(separator: ",").compactMap { Double($0) }
            guard parts.count == 2 else { throw XCTSkip("bad point \(pair)") }
            return (parts[0], parts[1])
        }
    }

    func testWeightPolyline_pointsMatchTheJournalsWeights() throws {
        let report = DeploymentReport(deployment: try Fixture.rolledBack(), metrics: Fixture.metrics())
        let chart = report.chart
        let points = try polyline(report.svg(), class: "weight")
        // Back from pixels to (seconds since start, percent): a step line through 0 → 20 → 40 → 0.
        let top = chart.weightY(100), bottom = chart.weightY(0)
        let span = TimelineChart.plotRight - TimelineChart.plotLeft
        let read = points.map { point in
            (seconds: ((point.x - TimelineChart.plotLeft) / span * chart.domain.duration * 10).rounded() / 10,
             percent: ((bottom - point.y) / (bottom - top) * 100).rounded())
        }
        XCTAssertEqual(read.map(\.seconds), [0, 1.2, 1.2, 5.2, 5.2, 10.5, 10.5, 10.5])
        XCTAssertEqual(read.map(\.percent), [0, 0, 20, 20, 40, 40, 0, 0])
    }

    func testMetricPanels_drawOneLinePerVersion_originalDashedTargetSolid() throws {
        let svg = DeploymentReport(deployment: try Fixture.rolledBack(), metrics: Fixture.metrics()).svg()
        XCTAssertEqual(svg.components(separatedBy: "<polyline class=\"series original\"").count - 1, 3, "invocations, error rate, latency")
        XCTAssertEqual(svg.components(separatedBy: "<polyline class=\"series target\"").count - 1, 3)
        // Version 2 fails half its calls: its error-rate points sit at 50 %, the original's at 0.
        let errorRate = try polyline(svg.components(separatedBy: ">Error rate<")[1], class: "series target")
        XCTAssertEqual(Set(errorRate.map(\.y)).count, 1, "a constant 50 % error rate is a flat line")
    }

    func testMetricsUnavailable_saysSoInsteadOfEmptyPanels() throws {
        let svg = DeploymentReport(deployment: try Fixture.rolledBack(), metrics: [], metricsUnavailable: "metrics of api are not supported on AWS").svg()
        XCTAssertTrue(svg.contains("Metrics not available: metrics of api are not supported on AWS"), svg)
        XCTAssertFalse(svg.contains("<polyline class=\"series original\""))
        XCTAssertTrue(svg.contains("<polyline class=\"weight\""), "the journal's part is still drawn")
    }

    func testAlarmBands_areDrawnHatchedForAlarm_withTheStateWritten() throws {
        let svg = DeploymentReport(deployment: try Fixture.rolledBack(), metrics: []).svg()
        XCTAssertTrue(svg.contains("class=\"band-ok\""))
        XCTAssertTrue(svg.contains("class=\"band-alarm\""))
        XCTAssertTrue(svg.contains("fill:url(#shift-hatch-alarm)"), "ALARM is told apart by a pattern, not colour alone")
    }

    func testSVG_isWellFormedXML() throws {
        var deployment = try Fixture.rolledBack(function: "a<b>&\"c'", alarm: "x<y")
        deployment.events.insert(DeploymentEvent(time: Fixture.at(8), kind: .analysisResult, message: "analysis", analysis: Fixture.verdict()), at: 7)
        let svg = DeploymentReport(deployment: deployment, metrics: Fixture.metrics()).svg()
        let parser = XMLParser(data: Data(svg.utf8))
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "") line \(parser.lineNumber)")
    }

    func testTicks_areRoundAndCoverTheLargestValue() {
        XCTAssertEqual(TimelineChart.ticks(upTo: 100), [0, 50, 100])
        XCTAssertEqual(TimelineChart.ticks(upTo: 37), [0, 10, 20, 30, 40])
        let small = TimelineChart.ticks(upTo: 0.8)
        XCTAssertEqual(small.count, 5)
        XCTAssertEqual(small.last ?? 0, 0.8, accuracy: 1e-9)
        XCTAssertEqual(TimelineChart.ticks(upTo: 0), [0, 1])
        XCTAssertEqual(TimelineChart.timeStep(for: 10.5), 2)
        XCTAssertEqual(TimelineChart.timeStep(for: 5400), 600)
    }
}

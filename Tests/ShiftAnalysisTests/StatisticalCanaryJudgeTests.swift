import Foundation
import ShiftCore
import XCTest
@testable import ShiftAnalysis

final class StatisticalCanaryJudgeTests: XCTestCase {
    /// Samples per (metric, version); records what was asked.
    actor Samples: CanarySampleSource {
        var values: [String: [Double]]
        var asked: [String] = []

        init(_ values: [String: [Double]]) { self.values = values }

        func canarySamples(of metric: CanaryMetric, function: String, alias: String, version: Int, window: DateInterval) async throws -> [Double] {
            asked.append("\(function):\(alias) \(metric.metric) v\(version) \(Int(window.duration))s")
            return values["\(metric.metric) v\(version)"] ?? []
        }
    }

    func testJudge_readsBothVersionsOfEveryMetric_andScoresThem() async throws {
        let latencies = (0..<60).map { (index: Int) -> Double in 100 + Double((index * 7) % 60) }
        let samples = Samples(["Duration v1": latencies, "Duration v2": latencies.map { $0 * 3 },
                               "Errors v1": Array(repeating: 0, count: 60), "Errors v2": Array(repeating: 0, count: 60)])
        let analysis = CanaryAnalysis(metrics: [CanaryMetric(name: "latency", metric: "Duration"), CanaryMetric(name: "errors", metric: "Errors")])
        let verdict = try await StatisticalCanaryJudge(samples: samples).judge(analysis, function: "orders", alias: "live", baselineVersion: 1, canaryVersion: 2,
                                                                               window: DateInterval(start: Date(timeIntervalSince1970: 0), duration: 300))
        let asked = await samples.asked
        XCTAssertEqual(asked, ["orders:live Duration v1 300s", "orders:live Duration v2 300s", "orders:live Errors v1 300s", "orders:live Errors v2 300s"])
        XCTAssertEqual(verdict.results.map(\.classification), [.high, .pass])
        XCTAssertEqual(verdict.score, 50)
        XCTAssertEqual(verdict.decision, .fail)
        XCTAssertTrue(verdict.summary.contains("latency High: higher: canary median"), verdict.summary)
    }
}

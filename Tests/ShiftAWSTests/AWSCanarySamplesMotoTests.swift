import Foundation
import ShiftAWS
import ShiftCore
import ShiftTestSupport
import XCTest

/// The AWS platform's canary samples against a real moto server: datapoints put with PutMetricData (as Lambda
/// publishes them, with FunctionName, Resource and ExecutedVersion) read back per version with GetMetricData.
final class AWSCanarySamplesMotoTests: XCTestCase {
    var moto: MotoServer!
    var platform: AWSPlatform!
    /// Unique per test: moto's state is shared by every test of the run.
    var function: String!

    override func setUpWithError() throws {
        try super.setUpWithError()
        do {
            (moto, _) = try MotoServer.shared()
        } catch let unavailable as MotoServer.Unavailable {
            throw XCTSkip(unavailable.description)
        }
        platform = try AWSPlatform(settings: AccountSettings(platform: .aws, endpointURL: moto.endpoint.absoluteString), environment: MotoServer.environment)
        function = "shift-canary-\(Int.random(in: 100_000...999_999))"
    }

    /// Puts one datapoint per minute of `values` for `version` of `function` through `live`, the first minute
    /// `start`.
    func put(_ metric: String, version: Int, values: [Double], start: Date) async throws {
        struct Empty: Decodable {}
        let data: [[String: Any]] = values.enumerated().map { index, value in
            ["MetricName": metric, "Value": value, "Timestamp": start.addingTimeInterval(Double(index) * 60).timeIntervalSince1970,
             "Dimensions": [["Name": "FunctionName", "Value": function!], ["Name": "Resource", "Value": "\(function!):live"],
                            ["Name": "ExecutedVersion", "Value": String(version)]]]
        }
        _ = try await platform.cloudWatch.client.call(Empty.self, operation: "PutMetricData", body: ["Namespace": "AWS/Lambda", "MetricData": data])
    }

    func testSamples_arePerPeriodValuesOfTheVersion_throughTheAlias() async throws {
        let minute = (Date().timeIntervalSince1970 / 60).rounded(.down) * 60
        let start = Date(timeIntervalSince1970: minute - 600)
        try await put("Duration", version: 1, values: [100, 110, 105, 98, 102], start: start)
        try await put("Duration", version: 2, values: [300, 330, 310, 305, 320], start: start)
        let window = DateInterval(start: start, end: start.addingTimeInterval(600))
        let latency = CanaryMetric(name: "latency", metric: "Duration", statistic: "Average")
        let baseline = try await platform.canarySamples(of: latency, function: function, alias: "live", version: 1, window: window)
        let canary = try await platform.canarySamples(of: latency, function: function, alias: "live", version: 2, window: window)
        XCTAssertEqual(baseline, [100, 110, 105, 98, 102])
        XCTAssertEqual(canary, [300, 330, 310, 305, 320])
        let other = try await platform.canarySamples(of: latency, function: function, alias: "live", version: 3, window: window)
        XCTAssertEqual(other, [], "no datapoints for version 3: no samples, never a made-up 0")
    }

    func testMetricData_returnsEveryPeriodOfTheWindow_oldestFirst() async throws {
        let minute = (Date().timeIntervalSince1970 / 60).rounded(.down) * 60
        let start = Date(timeIntervalSince1970: minute - 900)
        let before: [Double] = [100, 110, 105, 98, 102, 99, 101, 104, 97, 103]
        try await put("Duration", version: 1, values: before, start: start)
        try await put("Duration", version: 2, values: before.map { $0 * 3 }, start: start)
        let series = try await platform.cloudWatch.metricData(
            namespace: "AWS/Lambda", metric: "Duration",
            dimensions: [("FunctionName", function), ("Resource", "\(function!):live"), ("ExecutedVersion", "2")].map { (name: $0.0, value: $0.1) },
            statistic: "Average", period: 60, start: start, end: start.addingTimeInterval(900))
        XCTAssertEqual(series.values.count, 10)
        XCTAssertEqual(series.timestamps.first, start)
    }
}

import Foundation
import ShiftAnalysis
import ShiftCore
import ShiftLocal
import ShiftStorage

/// One canary analysis over 100,000 recorded invocations per version (Duration and Errors), against the time to
/// read those samples from the metrics log, in the same run.
///
/// The log is written as `MetricsLog` writes it (one line per invocation, both versions interleaved through the
/// alias, one millisecond apart), in one file, without a lock per line.
enum AnalysisBenchmark {
    static let perVersion = 100_000
    static let runs = 3

    static func run(scratch: URL) async throws {
        let state = try StateDirectory(root: scratch.appendingPathComponent("analysis-state"), account: "default")
        let platform = LocalPlatform(state: state, clock: SystemClock(), processEnvironment: [:])
        let code = scratch.appendingPathComponent("analysis-code")
        try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
        try Data("#!/bin/sh\ncat\n".utf8).write(to: code.appendingPathComponent("handler.sh"))
        _ = try await platform.createFunction("orders", code: code, configuration: try FunctionConfiguration(handler: "./handler.sh"), creation: FunctionCreation())
        _ = try await platform.publish("orders", description: "")
        _ = try await platform.updateFunction("orders", change: FunctionChange(timeout: 4))
        _ = try await platform.publish("orders", description: "")

        let now = Date()
        let start = now.addingTimeInterval(-Double(2 * perVersion) / 1000 - 1)
        var text = ""
        text.reserveCapacity(2 * perVersion * 40)
        for index in 0..<(2 * perVersion) {
            let version = index % 2 + 1
            // Version 2 a little slower (5 %) and with a few more errors: a realistic close call.
            let duration = (Double((index * 7919) % 1000) / 10 + 20) * (version == 2 ? 1.05 : 1)
            let isError = (index * 104729) % (version == 2 ? 150 : 200) == 0
            text += MetricsLog.line(for: InvocationRecord(timestamp: start.addingTimeInterval(Double(index) / 1000), alias: "live",
                                                          executedVersion: String(version), durationMilliseconds: duration, isError: isError))
        }
        let log = platform.metricsLog(of: "orders")
        try FileManager.default.createDirectory(at: log.directory, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: log.directory.appendingPathComponent("metrics.tsv"))
        let bytes = text.utf8.count

        let analysis = CanaryAnalysis(metrics: [CanaryMetric(name: "latency", metric: "Duration", allowedIncrease: 0.1),
                                                CanaryMetric(name: "errors", metric: "Errors", critical: true)])
        // A second of margin: the log keeps milliseconds, so the first record may round to just before `start`.
        let window = DateInterval(start: start.addingTimeInterval(-1), end: now)
        let judge = StatisticalCanaryJudge(samples: platform)
        var readTimes: [Double] = [], statisticsTimes: [Double] = [], judgeTimes: [Double] = []
        var verdict: CanaryVerdict?
        for _ in 0..<runs {
            // Reading: what the judge reads, each metric and version once.
            var samples: [[Double]] = []
            readTimes.append(try await time {
                samples = []
                for metric in analysis.metrics {
                    for version in [1, 2] {
                        samples.append(try await platform.canarySamples(of: metric, function: "orders", alias: "live", version: version, window: window))
                    }
                }
            })
            precondition(samples.allSatisfy { $0.count == perVersion }, "expected \(perVersion) samples per version, read \(samples.map(\.count))")
            // Statistics alone: classification and score of the samples read.
            statisticsTimes.append(await time {
                let classifier = CanaryMetricClassifier(confidence: analysis.confidence)
                let results = analysis.metrics.enumerated().map { index, metric in
                    classifier.classify(metric, baseline: samples[2 * index], canary: samples[2 * index + 1])
                }
                _ = CanaryScorer.verdict(results, of: analysis)
            })
            judgeTimes.append(try await time {
                verdict = try await judge.judge(analysis, function: "orders", alias: "live", baselineVersion: 1, canaryVersion: 2, window: window)
            })
        }
        let read = Benchmark.median(readTimes), statistics = Benchmark.median(statisticsTimes), whole = Benchmark.median(judgeTimes)
        print("""

        canary analysis over \(perVersion) invocations per version (Duration and Errors; log \(bytes / 1024 / 1024) MiB): median of \(runs)
          read the samples (4 reads)           \(Benchmark.milliseconds(read))
          statistics (2 metrics, classify, score) \(Benchmark.milliseconds(statistics))
          the whole judge (read + statistics)  \(Benchmark.milliseconds(whole))
          statistics / read                    \(String(format: "%.2f", statistics / read))x
          verdict: \(verdict?.summary ?? "-")
        """)
    }

    static func time(_ body: () async throws -> Void) async rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

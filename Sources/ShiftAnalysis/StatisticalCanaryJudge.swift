import Foundation
import ShiftCore

/// The canary judge of both platforms: reads each metric's samples for the two versions from the platform,
/// classifies them (`CanaryMetricClassifier`) and scores the results (`CanaryScorer`).
public struct StatisticalCanaryJudge: CanaryJudge {
    public let samples: any CanarySampleSource

    public init(samples: any CanarySampleSource) {
        self.samples = samples
    }

    /// - Throws: what the sample source throws.
    public func judge(_ analysis: CanaryAnalysis, function: String, alias: String, baselineVersion: Int, canaryVersion: Int, window: DateInterval) async throws -> CanaryVerdict {
        let classifier = CanaryMetricClassifier(confidence: analysis.confidence)
        var results: [CanaryMetricResult] = []
        for metric in analysis.metrics {
            let baseline = try await samples.canarySamples(of: metric, function: function, alias: alias, version: baselineVersion, window: window)
            let canary = try await samples.canarySamples(of: metric, function: function, alias: alias, version: canaryVersion, window: window)
            results.append(classifier.classify(metric, baseline: baseline, canary: canary))
        }
        return CanaryScorer.verdict(results, of: analysis)
    }
}

import Foundation
import ShiftCore

/// A `CanaryJudge` whose verdicts a test scripts: each call gets the next decision of `decisions` (the last one
/// repeats), or throws when that decision is nil. Records every window it was asked about.
public final class ScriptedJudge: CanaryJudge, @unchecked Sendable {
    /// What one call was asked.
    public struct Call: Equatable, Sendable {
        public var baselineVersion: Int
        public var canaryVersion: Int
        public var window: DateInterval

        public init(baselineVersion: Int, canaryVersion: Int, window: DateInterval) {
            self.baselineVersion = baselineVersion
            self.canaryVersion = canaryVersion
            self.window = window
        }
    }

    // Guarded by `lock`.
    private let lock = NSLock()
    private var decisions: [CanaryVerdict.Decision?]
    private var log: [Call] = []

    /// A judge answering `decisions` in order; nil throws as unreadable samples would.
    public init(_ decisions: [CanaryVerdict.Decision?]) {
        self.decisions = decisions
    }

    /// Every call so far, oldest first.
    public var calls: [Call] { lock.withLock { log } }

    /// A verdict with `decision` and a summary naming it, as a real judge would phrase one.
    public static func verdict(_ decision: CanaryVerdict.Decision) -> CanaryVerdict {
        let score: Double = switch decision { case .pass: 100; case .marginal: 80; case .fail: 0 }
        let result = CanaryMetricResult(name: "latency", classification: decision == .pass ? .pass : .high, critical: false,
                                        baselineCount: 100, canaryCount: 100, baselineMedian: 10, canaryMedian: decision == .pass ? 10 : 30,
                                        reason: "scripted \(decision.rawValue)")
        return CanaryVerdict(score: score, decision: decision, results: [result], summary: "score \(Int(score)): latency scripted \(decision.rawValue)")
    }

    /// - Throws: `ShiftCoreError.failed` when the scripted decision is nil.
    public func judge(_ analysis: CanaryAnalysis, function: String, alias: String, baselineVersion: Int, canaryVersion: Int, window: DateInterval) async throws -> CanaryVerdict {
        let decision: CanaryVerdict.Decision? = lock.withLock {
            log.append(Call(baselineVersion: baselineVersion, canaryVersion: canaryVersion, window: window))
            return decisions.count > 1 ? decisions.removeFirst() : decisions.first ?? nil
        }
        guard let decision else { throw ShiftCoreError.failed(reason: "the samples could not be read (scripted)") }
        return Self.verdict(decision)
    }
}

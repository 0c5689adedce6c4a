import Foundation
import ShiftCore

/// Deployments written the way the engine journals them, on a fixed clock: `at(seconds)` is that long after the start.
enum ReportFixture {
    static let start = Date(timeIntervalSince1970: 1_790_000_000)

    static func at(_ seconds: TimeInterval) -> Date { start.addingTimeInterval(seconds) }

    /// `api:live` from version 1 to 2 with Linear20PercentEvery4Seconds and one alarm, rolled back at 40 % when
    /// the alarm fired at +10 s.
    static func rolledBack(function: String = "api", alarm: String = "api-errors", hookMessage: String? = nil, reason: String = "Errors >= 3") throws -> Deployment {
        let request = DeploymentRequest(functionName: function, alias: "live", targetVersion: 2, preference: try .named("Linear20PercentEvery4Seconds"),
                                        alarms: [alarm], preTrafficHook: "smoke-test")
        var deployment = Deployment(id: "d-ABCDEFGH1", request: request, originalVersion: 1, createdAt: start, aliasRevisionId: nil)
        deployment.events = [
            DeploymentEvent(time: at(0), kind: .created, message: "deployment d-ABCDEFGH1: \(function):live from version 1 to 2"),
            DeploymentEvent(time: at(0.1), kind: .hookStarted, message: "PreTraffic hook smoke-test started"),
            DeploymentEvent(time: at(1), kind: .hookSucceeded, message: hookMessage ?? "PreTraffic hook smoke-test passed in 900 ms"),
            DeploymentEvent(time: at(1), kind: .alarmState, message: "alarms: \(alarm) OK", alarms: [alarm: "OK"]),
            DeploymentEvent(time: at(1.1), kind: .shiftStarted, message: "step 1/5", step: 1, weight: 20),
            DeploymentEvent(time: at(1.2), kind: .shifted, message: "step 1/5: routes 80/20", step: 1, weight: 20),
            DeploymentEvent(time: at(5.2), kind: .shifted, message: "step 2/5: routes 60/40", step: 2, weight: 40),
            DeploymentEvent(time: at(10), kind: .alarmState, message: "alarms: \(alarm) ALARM", alarms: [alarm: "ALARM"]),
            DeploymentEvent(time: at(10), kind: .rollbackStarted, message: "rolling back to version 1: alarm \(alarm) is in ALARM: \(reason)"),
            DeploymentEvent(time: at(10.5), kind: .rolledBack, message: "rolled back: \(function):live is at version 1 (100%)"),
        ]
        deployment.phase = .rolledBack(reason: .alarm(name: alarm, reason: reason))
        deployment.completedAt = at(10.5)
        deployment.updatedAt = at(10.5)
        return deployment
    }

    /// Per-second metrics of both versions over the rolled-back deployment: version 2 fails half its calls.
    static func metrics(extra: [InvocationRecord] = []) -> [MetricsSummary] {
        let records = (0..<11).flatMap { second -> [InvocationRecord] in
            let time = at(Double(second) + 0.5)
            var records = (0..<16).map { _ in InvocationRecord(timestamp: time, alias: "live", executedVersion: "1", durationMilliseconds: 12, isError: false) }
            if second >= 2 {
                records += (0..<4).map { InvocationRecord(timestamp: time, alias: "live", executedVersion: "2", durationMilliseconds: 30, isError: $0 < 2) }
            }
            return records
        }
        return MetricsSummary.summarize(records + extra, period: 1, since: at(-1))
    }

    /// An analysis verdict as the engine journals it.
    static func verdict(reason: String = "target median 36 ms vs 12 ms") -> CanaryVerdict {
        CanaryVerdict(score: 50, decision: .fail, results: [
            CanaryMetricResult(name: "latency", classification: .high, critical: true, baselineCount: 120, canaryCount: 30, baselineMedian: 12.25, canaryMedian: 36.5,
                               u: 3412, p: 0.000012, shift: 24.1, shiftLower: 22.5, shiftUpper: 25.75, effectSize: 3.02, reason: reason),
            CanaryMetricResult(name: "errors", classification: .pass, critical: false, baselineCount: 120, canaryCount: 30, baselineMedian: 0, canaryMedian: 0,
                               u: 1800, p: 1, shift: 0, shiftLower: 0, shiftUpper: 0, effectSize: 1, reason: "no difference"),
        ], summary: "score 50: latency is High (medians 12.25 vs 36.5 ms, U 3412, p 1.2e-05, effect size 3.02)")
    }
}

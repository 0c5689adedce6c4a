import Foundation
import ShiftCore

/// What a deployment's journal says happened, in the shapes a chart draws: the weight on the target version over
/// time, each alarm's states as bands, pauses as spans, and the moments worth a marker (hooks, promotions,
/// analyses, the rollback). Derived from the events alone, so a report reads the same on every platform.
public struct DeploymentTimeline: Equatable, Sendable {
    /// From this time on (until the next point), `percent` of the alias's traffic went to the target version.
    public struct WeightPoint: Equatable, Sendable {
        public var time: Date
        public var percent: Double

        public init(time: Date, percent: Double) {
            self.time = time
            self.percent = percent
        }
    }

    /// One alarm in one state over a span.
    public struct AlarmBand: Equatable, Sendable {
        public var alarm: String
        /// `OK`, `ALARM` or `INSUFFICIENT_DATA`, as the journal recorded it.
        public var state: String
        public var span: DateInterval
    }

    /// A moment worth a marker on the chart.
    public struct Marker: Equatable, Sendable {
        public enum Kind: String, Sendable {
            case hookPassed, hookFailed, paused, resumed, promoted, recovered, analysisPassed, analysisMarginal, analysisFailed, stopRequested, rollbackStarted, rolledBack, rollbackFailed, stopped, succeeded

            /// Whether it reports something going wrong.
            public var isFailure: Bool {
                switch self {
                case .hookFailed, .analysisFailed, .stopRequested, .rollbackStarted, .rolledBack, .rollbackFailed, .stopped: return true
                case .hookPassed, .paused, .resumed, .promoted, .recovered, .analysisPassed, .analysisMarginal, .succeeded: return false
                }
            }
        }

        public var time: Date
        public var kind: Kind
        /// A few words for the chart ("PreTraffic passed", "analysis 62").
        public var label: String
        /// The journal's message, for a tooltip.
        public var detail: String
    }

    /// When the deployment was created.
    public var start: Date
    /// When it ended, or its last journal write while it runs.
    public var end: Date
    /// Where the weight changed, oldest first; the first point is the start, at 0 %.
    public var weights: [WeightPoint]
    public var alarmBands: [AlarmBand]
    /// Spans during which the deployment was paused (until resumed, promoted, or its end).
    public var pauses: [DateInterval]
    public var markers: [Marker]

    /// Reads `deployment`'s events.
    public init(_ deployment: Deployment) {
        let events = deployment.events
        start = deployment.createdAt
        end = max(deployment.completedAt ?? events.last?.time ?? deployment.updatedAt, deployment.createdAt)
        weights = Self.weights(of: deployment)
        alarmBands = Self.alarmBands(of: deployment, until: end)
        pauses = Self.pauses(in: events, until: end)
        markers = events.compactMap(Self.marker(for:))
    }

    /// The percentage on the target version at `time`.
    public func percent(at time: Date) -> Double {
        weights.last { $0.time <= time }?.percent ?? 0
    }

    /// Weight changes: a `Shifted` event sets its weight (the alias was moved and read back), a `RolledBack`
    /// event sets 0, a `Succeeded` one 100. A rollback that failed leaves the last known weight.
    static func weights(of deployment: Deployment) -> [WeightPoint] {
        var points = [WeightPoint(time: deployment.createdAt, percent: 0)]
        for event in deployment.events {
            let percent: Double?
            switch event.kind {
            case .shifted: percent = event.weight
            case .rolledBack: percent = 0
            case .succeeded: percent = 100
            default: percent = nil
            }
            guard let percent, percent != points.last?.percent else { continue }
            points.append(WeightPoint(time: max(event.time, deployment.createdAt), percent: min(max(percent, 0), 100)))
        }
        return points
    }

    /// Each watched alarm's state from each `AlarmState` event until the next change (or `end`).
    static func alarmBands(of deployment: Deployment, until end: Date) -> [AlarmBand] {
        let readings = deployment.events.filter { $0.kind == .alarmState && $0.alarms != nil }
        var names = deployment.request.alarms
        for reading in readings {
            for name in (reading.alarms ?? [:]).keys.sorted() where !names.contains(name) { names.append(name) }
        }
        var bands: [AlarmBand] = []
        for name in names {
            var open: (state: String, since: Date)?
            for reading in readings {
                guard let state = reading.alarms?[name], state != open?.state else { continue }
                if let current = open { bands.append(AlarmBand(alarm: name, state: current.state, span: DateInterval(start: current.since, end: max(reading.time, current.since)))) }
                open = (state, reading.time)
            }
            if let current = open { bands.append(AlarmBand(alarm: name, state: current.state, span: DateInterval(start: current.since, end: max(end, current.since)))) }
        }
        return bands
    }

    /// From each `Paused` event to the `Resumed` or `Promoted` one after it, or to `end`.
    static func pauses(in events: [DeploymentEvent], until end: Date) -> [DateInterval] {
        var spans: [DateInterval] = []
        var since: Date?
        for event in events {
            switch event.kind {
            case .paused where since == nil: since = event.time
            case .resumed, .promoted, .rollbackStarted, .stopped, .succeeded:
                if let start = since { spans.append(DateInterval(start: start, end: max(event.time, start))) }
                since = nil
            default: break
            }
        }
        if let start = since { spans.append(DateInterval(start: start, end: max(end, start))) }
        return spans
    }

    static func marker(for event: DeploymentEvent) -> Marker? {
        func marker(_ kind: Marker.Kind, _ label: String) -> Marker { Marker(time: event.time, kind: kind, label: label, detail: event.message) }
        switch event.kind {
        case .hookSucceeded: return marker(.hookPassed, "\(hookName(event.message)) passed")
        case .hookFailed: return marker(.hookFailed, "\(hookName(event.message)) failed")
        case .paused: return marker(.paused, "paused")
        case .resumed: return marker(.resumed, "resumed")
        case .promoted: return marker(.promoted, "promoted")
        case .recovered: return marker(.recovered, "recovered")
        case .analysisResult:
            guard let verdict = event.analysis else { return marker(.analysisMarginal, "analysis") }
            let kind: Marker.Kind = switch verdict.decision {
            case .pass: .analysisPassed
            case .marginal: .analysisMarginal
            case .fail: .analysisFailed
            }
            return marker(kind, "analysis \(verdict.score.rounded().compact)")
        case .stopRequested: return marker(.stopRequested, "stop requested")
        case .rollbackStarted: return marker(.rollbackStarted, "rollback")
        case .rolledBack: return marker(.rolledBack, "rolled back")
        case .rollbackFailed: return marker(.rollbackFailed, "ROLLBACK FAILED")
        case .stopped: return marker(.stopped, "stopped")
        case .succeeded: return marker(.succeeded, "succeeded")
        case .created, .note, .warning, .hookStarted, .shiftStarted, .shifted, .alarmState, .rollbackAttemptFailed, .platformNotice, .analysisStarted:
            return nil
        }
    }

    /// "PreTraffic" or "PostTraffic": hook events' messages start with the hook's name.
    private static func hookName(_ message: String) -> String {
        message.hasPrefix(LifecycleHook.postTraffic.rawValue) ? LifecycleHook.postTraffic.rawValue : LifecycleHook.preTraffic.rawValue
    }
}

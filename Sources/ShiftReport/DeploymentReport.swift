import Foundation
import ShiftCore

/// A deployment's report: pure functions from the journal (a `Deployment`) and the platform's metrics over its
/// window to one self-contained HTML page (`html()`) or the chart alone (`svg()`).
///
/// No I/O and no clock: the caller reads the deployment and its metrics (`metricsWindow(of:)` says which) and
/// writes the result. Every text from a user, a function or the journal is masked and escaped (``Markup``).
public struct DeploymentReport: Sendable {
    public var deployment: Deployment
    /// The platform's metrics of the deployment's function through its alias, per period and version.
    public var metrics: [MetricsSummary]
    /// Why there are no metrics, when the platform could not give them (e.g. an AWS account: Lambda's metrics
    /// are in CloudWatch); the report then shows what the journal has and says so.
    public var metricsUnavailable: String?
    public var markup: Markup

    public init(deployment: Deployment, metrics: [MetricsSummary], metricsUnavailable: String? = nil, masker: SecretMasker = SecretMasker()) {
        self.deployment = deployment
        self.metrics = metrics
        self.metricsUnavailable = metricsUnavailable
        self.markup = Markup(masker: masker)
    }

    /// Where to read a deployment's metrics from, and in which periods: about thirty periods over its span,
    /// starting one period before it so the first period is whole.
    public static func metricsWindow(of deployment: Deployment) -> (since: Date, period: TimeInterval) {
        let timeline = DeploymentTimeline(deployment)
        let length = period(for: timeline.end.timeIntervalSince(timeline.start))
        return (timeline.start.addingTimeInterval(-length), length)
    }

    /// A round period that cuts `duration` into at most about thirty.
    static func period(for duration: TimeInterval) -> TimeInterval {
        let periods: [TimeInterval] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400]
        return periods.first { duration / $0 <= 30 } ?? 86400
    }

    public var timeline: DeploymentTimeline { DeploymentTimeline(deployment) }

    /// The chart drawn from the journal and the metrics.
    public var chart: TimelineChart {
        let timeline = DeploymentTimeline(deployment)
        let period = Self.metricsWindow(of: deployment).period
        let window = DateInterval(start: timeline.start, end: max(timeline.end, timeline.start))
        let series = VersionSeries.series(of: metrics, period: period, window: window, original: deployment.originalVersion, target: deployment.request.targetVersion)
        return TimelineChart(deployment: deployment, timeline: timeline, series: series, period: period, metricsUnavailable: metricsUnavailable, markup: markup)
    }

    /// The chart alone: a standalone SVG document, for a CI artifact or a pull request.
    public func svg() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + chart.svg()
    }

    /// The whole report: one HTML page with inline CSS and SVG, readable with no script and no network.
    public func html() -> String {
        ReportPage(report: self).html()
    }
}

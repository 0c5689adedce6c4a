import Foundation
import ShiftCore

/// The report's chart as one SVG document: the weight on the target version over time, markers for hooks,
/// pauses, promotions, analyses and the rollback, each alarm's states as bands, and per version invocations,
/// error rate and latency per period, all on one time axis.
///
/// Readable without colour: the original version is a dashed line with round marks, the target a solid one
/// with square marks; ALARM bands are hatched; failures are square markers, successes round ones. Colours are
/// the Okabe-Ito palette, with a dark variant under `prefers-color-scheme: dark`.
public struct TimelineChart: Sendable {
    public static let width: Double = 960
    /// Left of the plots: panel titles and tick labels.
    public static let plotLeft: Double = 150
    public static let plotRight: Double = width - 28
    static let weightHeight: Double = 150
    static let metricHeight: Double = 96
    static let laneHeight: Double = 22
    static let gap: Double = 26
    static let markerRowHeight: Double = 17

    let deployment: Deployment
    let timeline: DeploymentTimeline
    let series: [VersionSeries]
    let period: TimeInterval
    /// Why metrics are missing, when they are.
    let metricsUnavailable: String?
    let markup: Markup

    /// The time axis: the deployment's start to its end (at least a second).
    public var domain: DateInterval {
        DateInterval(start: timeline.start, end: max(timeline.end, timeline.start.addingTimeInterval(1)))
    }

    /// The horizontal position of `date`, clamped to the plot.
    public func x(_ date: Date) -> Double {
        let share = date.timeIntervalSince(domain.start) / domain.duration
        return Self.plotLeft + min(max(share, 0), 1) * (Self.plotRight - Self.plotLeft)
    }

    /// The vertical position of a weight (percent) in the weight panel.
    public func weightY(_ percent: Double) -> Double {
        layout.weightTop + Self.weightHeight * (1 - percent / 100)
    }

    /// Where each part of the chart starts, top to bottom.
    struct Layout {
        var markerTop: Double
        var markerRows: Int
        var weightTop: Double
        var alarmTop: Double
        var metricsTop: Double
        var axisTop: Double
        var height: Double
    }

    var layout: Layout {
        let markerTop: Double = 92
        let rows = markerPlacements.map(\.row).max().map { $0 + 1 } ?? 1
        let weightTop = markerTop + Double(rows) * Self.markerRowHeight + 12
        let alarmCount = alarmNames.count
        let alarmTop = weightTop + Self.weightHeight + Self.gap
        let alarmHeight = alarmCount == 0 ? 0 : Double(alarmCount) * Self.laneHeight + Self.gap
        let metricsTop = alarmTop + alarmHeight
        let metricsHeight = metricsUnavailable != nil || series.isEmpty ? 34 : 3 * (Self.metricHeight + Self.gap)
        let axisTop = metricsTop + metricsHeight
        return Layout(markerTop: markerTop, markerRows: rows, weightTop: weightTop, alarmTop: alarmTop, metricsTop: metricsTop, axisTop: axisTop, height: axisTop + 44)
    }

    var alarmNames: [String] {
        var names: [String] = []
        for band in timeline.alarmBands where !names.contains(band.alarm) { names.append(band.alarm) }
        for name in deployment.request.alarms where !names.contains(name) { names.append(name) }
        return names
    }

    /// The chart alone, as a standalone SVG document (with its own styles).
    public func svg() -> String {
        let layout = layout
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"shift-chart\" viewBox=\"0 0 \(f(Self.width)) \(f(layout.height))\" width=\"\(f(Self.width))\" height=\"\(f(layout.height))\" role=\"img\" aria-labelledby=\"shift-chart-title\">\n"
        out += "<title id=\"shift-chart-title\">\(markup.text(title))</title>\n"
        out += "<style>\(ReportStyle.chart)</style>\n"
        out += definitions
        out += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"\(f(Self.width))\" height=\"\(f(layout.height))\" rx=\"8\"/>\n"
        out += header
        out += markerLines(layout)
        out += weightPanel(layout)
        out += alarmLanes(layout)
        out += metricPanels(layout)
        out += timeAxis(layout)
        out += markers(layout)
        out += "</svg>\n"
        return out
    }

    var title: String {
        let request = deployment.request
        return "\(deployment.id): \(request.functionName):\(request.alias), version \(deployment.originalVersion) → \(request.targetVersion), \(deployment.status.rawValue)\(deployment.rolledBack ? " (rolled back)" : "")"
    }

    // MARK: Parts

    private var definitions: String {
        """
        <defs>
        <pattern id="shift-hatch-alarm" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" class="hatch-alarm-bg"/><rect width="2.5" height="6" class="hatch-alarm-fg"/></pattern>
        <pattern id="shift-hatch-pause" patternUnits="userSpaceOnUse" width="8" height="8" patternTransform="rotate(-45)"><rect width="2" height="8" class="hatch-pause"/></pattern>
        <pattern id="shift-dots-insufficient" patternUnits="userSpaceOnUse" width="5" height="5"><rect width="5" height="5" class="dots-bg"/><circle cx="2.5" cy="2.5" r="1" class="dots-fg"/></pattern>
        </defs>

        """
    }

    private var header: String {
        let request = deployment.request
        var out = "<text class=\"title\" x=\"20\" y=\"30\">\(markup.text("\(request.functionName):\(request.alias)"))  <tspan class=\"subtle\">\(markup.text(deployment.id))</tspan></text>\n"
        let span = ReportFormat.duration(timeline.end.timeIntervalSince(timeline.start))
        let status = "\(deployment.status.rawValue)\(deployment.rolledBack ? ", rolled back" : "")"
        out += "<text class=\"subtitle\" x=\"20\" y=\"52\">version \(deployment.originalVersion) → \(request.targetVersion) · \(markup.text(request.preference.name)) · <tspan class=\"status \(deployment.status == .succeeded ? "good" : "bad")\">\(markup.text(status))</tspan> · \(markup.text(span)) from \(markup.text(Timestamp.format(timeline.start)))</text>\n"
        // Legend: what each line, mark and band means.
        var x: Double = 20
        let y: Double = 74
        func item(_ shape: String, _ label: String) {
            out += "<g class=\"legend\" transform=\"translate(\(f(x)) \(f(y)))\">\(shape)<text x=\"30\" y=\"4\">\(markup.text(label))</text></g>\n"
            x += 48 + Double(label.count) * 7
        }
        item("<line class=\"series original\" x1=\"0\" y1=\"0\" x2=\"24\" y2=\"0\"/><circle class=\"mark original\" cx=\"12\" cy=\"0\" r=\"3.5\"/>", "version \(deployment.originalVersion) (original)")
        item("<line class=\"series target\" x1=\"0\" y1=\"0\" x2=\"24\" y2=\"0\"/><rect class=\"mark target\" x=\"8.5\" y=\"-3.5\" width=\"7\" height=\"7\"/>", "version \(request.targetVersion) (target)")
        if !alarmNames.isEmpty {
            item("<rect class=\"band-alarm\" x=\"0\" y=\"-7\" width=\"24\" height=\"14\"/>", "ALARM")
            item("<rect class=\"band-ok\" x=\"0\" y=\"-7\" width=\"24\" height=\"14\"/>", "OK")
        }
        if !timeline.pauses.isEmpty { item("<rect class=\"pause\" x=\"0\" y=\"-7\" width=\"24\" height=\"14\"/>", "paused") }
        return out
    }

    /// A dashed line through every panel at each marker's time.
    private func markerLines(_ layout: Layout) -> String {
        timeline.markers.map { marker in
            let position = f(x(marker.time))
            return "<line class=\"marker-line \(marker.kind.isFailure ? "bad" : "neutral")\" x1=\"\(position)\" y1=\"\(f(layout.weightTop - 6))\" x2=\"\(position)\" y2=\"\(f(layout.axisTop))\"/>\n"
        }.joined()
    }

    private func weightPanel(_ layout: Layout) -> String {
        let top = layout.weightTop
        var out = panelTitle("Traffic to v\(deployment.request.targetVersion)", unit: "% of requests", top: top)
        out += grid(top: top, height: Self.weightHeight, ticks: [0, 25, 50, 75, 100], maximum: 100) { "\(Int($0))%" }
        for pause in timeline.pauses {
            let left = x(pause.start), right = max(x(pause.end), left + 2)
            out += "<rect class=\"pause\" x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(right - left))\" height=\"\(f(Self.weightHeight))\"><title>paused for \(markup.text(ReportFormat.duration(pause.duration)))</title></rect>\n"
        }
        let points = weightPolyline
        let area = points + [(x(domain.end), weightY(0)), (x(domain.start), weightY(0))]
        out += "<polygon class=\"weight-area\" points=\"\(pointList(area))\"/>\n"
        out += "<polyline class=\"weight\" points=\"\(pointList(points))\"/>\n"
        for point in timeline.weights.dropFirst() {
            out += "<circle class=\"weight-step\" cx=\"\(f(x(point.time)))\" cy=\"\(f(weightY(point.percent)))\" r=\"3\"><title>\(markup.text("+\(ReportFormat.offset(point.time.timeIntervalSince(timeline.start))): \(ReportFormat.number(point.percent))% to version \(deployment.request.targetVersion)"))</title></circle>\n"
        }
        return out
    }

    /// The weight as a step line: flat while held, vertical where the alias moved, on to the end of the axis.
    public var weightPolyline: [(x: Double, y: Double)] {
        var points: [(x: Double, y: Double)] = []
        for (index, point) in timeline.weights.enumerated() {
            if index > 0 { points.append((x(point.time), weightY(timeline.weights[index - 1].percent))) }
            points.append((x(point.time), weightY(point.percent)))
        }
        points.append((x(domain.end), weightY(timeline.weights.last?.percent ?? 0)))
        return points
    }

    private func alarmLanes(_ layout: Layout) -> String {
        var out = ""
        for (index, name) in alarmNames.enumerated() {
            let top = layout.alarmTop + Double(index) * Self.laneHeight
            let shown = name.count > 20 ? String(name.prefix(19)) + "…" : name
            out += "<text class=\"lane-label\" x=\"\(f(Self.plotLeft - 8))\" y=\"\(f(top + 15))\">\(markup.text(shown))<title>alarm \(markup.text(name))</title></text>\n"
            out += "<rect class=\"lane\" x=\"\(f(Self.plotLeft))\" y=\"\(f(top + 2))\" width=\"\(f(Self.plotRight - Self.plotLeft))\" height=\"\(f(Self.laneHeight - 4))\"/>\n"
            for band in timeline.alarmBands where band.alarm == name {
                let left = x(band.span.start), right = max(x(band.span.end), left + 2)
                let kind = band.state == AlarmStateValue.alarm.rawValue ? "alarm" : band.state == AlarmStateValue.ok.rawValue ? "ok" : "insufficient"
                out += "<rect class=\"band-\(kind)\" x=\"\(f(left))\" y=\"\(f(top + 2))\" width=\"\(f(right - left))\" height=\"\(f(Self.laneHeight - 4))\"><title>\(markup.text("\(name): \(band.state) from +\(ReportFormat.offset(band.span.start.timeIntervalSince(timeline.start))) for \(ReportFormat.duration(band.span.duration))"))</title></rect>\n"
                if right - left > Double(band.state.count) * 7 + 8 {
                    out += "<text class=\"band-label \(kind)\" x=\"\(f(left + 5))\" y=\"\(f(top + 15))\">\(markup.text(band.state))</text>\n"
                }
            }
        }
        if !alarmNames.isEmpty {
            out += "<text class=\"panel-title\" x=\"20\" y=\"\(f(layout.alarmTop - 8))\">Alarms</text>\n"
        }
        return out
    }

    private func metricPanels(_ layout: Layout) -> String {
        if let reason = metricsUnavailable {
            return "<text class=\"note\" x=\"\(f(Self.plotLeft))\" y=\"\(f(layout.metricsTop + 16))\">Metrics not available: \(markup.text(reason))</text>\n"
        }
        if series.isEmpty {
            return "<text class=\"note\" x=\"\(f(Self.plotLeft))\" y=\"\(f(layout.metricsTop + 16))\">No invocations were recorded through the alias during the deployment.</text>\n"
        }
        let periodText = ReportFormat.offset(period)
        var out = ""
        var top = layout.metricsTop + 14
        out += metricPanel("Invocations", unit: "per \(periodText)", top: top) { Double($0.invocations) }
        top += Self.metricHeight + Self.gap
        out += metricPanel("Error rate", unit: "% of invocations", top: top, minimumMaximum: 1) { $0.errorRate }
        top += Self.metricHeight + Self.gap
        out += metricPanel("Latency", unit: "average, ms", top: top) { $0.durationAverage }
        return out
    }

    private func metricPanel(_ title: String, unit: String, top: Double, minimumMaximum: Double = 0, value: (VersionSeries.Point) -> Double?) -> String {
        let largest = series.flatMap { $0.points.compactMap(value) }.max() ?? 0
        let ticks = Self.ticks(upTo: max(largest, minimumMaximum))
        let maximum = ticks.last ?? 1
        var out = panelTitle(title, unit: unit, top: top)
        out += grid(top: top, height: Self.metricHeight, ticks: ticks, maximum: maximum) { ReportFormat.number($0) }
        func y(_ v: Double) -> Double { top + Self.metricHeight * (1 - v / maximum) }
        for line in series {
            let points = line.points.compactMap { point in value(point).map { (x(point.time), y($0), point, $0) } }
            if points.count > 1 {
                out += "<polyline class=\"series \(line.role.rawValue)\" points=\"\(pointList(points.map { ($0.0, $0.1) }))\"/>\n"
            }
            for (px, py, point, v) in points {
                let tip = markup.text("version \(line.version), +\(ReportFormat.offset(point.time.timeIntervalSince(timeline.start))): \(title.lowercased()) \(ReportFormat.number(v)) (\(point.invocations) invocations, \(point.errors) errors)")
                switch line.role {
                case .original: out += "<circle class=\"mark original\" cx=\"\(f(px))\" cy=\"\(f(py))\" r=\"3.5\"><title>\(tip)</title></circle>\n"
                case .target: out += "<rect class=\"mark target\" x=\"\(f(px - 3.5))\" y=\"\(f(py - 3.5))\" width=\"7\" height=\"7\"><title>\(tip)</title></rect>\n"
                case .other: out += "<circle class=\"mark other\" cx=\"\(f(px))\" cy=\"\(f(py))\" r=\"2.5\"><title>\(tip)</title></circle>\n"
                }
            }
        }
        return out
    }

    private func timeAxis(_ layout: Layout) -> String {
        let top = layout.axisTop
        var out = "<line class=\"axis\" x1=\"\(f(Self.plotLeft))\" y1=\"\(f(top))\" x2=\"\(f(Self.plotRight))\" y2=\"\(f(top))\"/>\n"
        let step = Self.timeStep(for: domain.duration)
        var offset: TimeInterval = 0
        while offset <= domain.duration + 0.001 {
            let position = x(domain.start.addingTimeInterval(offset))
            out += "<line class=\"axis\" x1=\"\(f(position))\" y1=\"\(f(top))\" x2=\"\(f(position))\" y2=\"\(f(top + 5))\"/>\n"
            out += "<text class=\"tick-x\" x=\"\(f(position))\" y=\"\(f(top + 19))\">\(offset == 0 ? "0" : "+" + ReportFormat.offset(offset))</text>\n"
            offset += step
        }
        out += "<text class=\"axis-note\" x=\"\(f(Self.plotRight))\" y=\"\(f(top + 37))\">time since the deployment started (\(markup.text(Timestamp.format(domain.start))))</text>\n"
        return out
    }

    /// Each marker's row in the marker lane: labels that would overlap go one row down.
    var markerPlacements: [(marker: DeploymentTimeline.Marker, row: Int)] {
        var rowEnds: [Double] = []
        var placed: [(DeploymentTimeline.Marker, Int)] = []
        for marker in timeline.markers {
            let left = x(marker.time) - 6
            let width = 16 + Double(marker.label.count) * 6.4
            let row = rowEnds.firstIndex { $0 < left } ?? rowEnds.count
            if row == rowEnds.count { rowEnds.append(0) }
            rowEnds[row] = left + width
            placed.append((marker, row))
        }
        return placed
    }

    private func markers(_ layout: Layout) -> String {
        var out = ""
        for (marker, row) in markerPlacements {
            let left = x(marker.time)
            let y = layout.markerTop + Double(row) * Self.markerRowHeight + 8
            let anchorEnd = left + 16 + Double(marker.label.count) * 6.4 > Self.width - 4
            out += "<g class=\"marker \(Self.markerClass(marker.kind))\">\(Self.markerShape(marker.kind, x: left, y: y))"
            out += "<text x=\"\(f(anchorEnd ? left - 8 : left + 8))\" y=\"\(f(y + 4))\"\(anchorEnd ? " text-anchor=\"end\"" : "")>\(markup.text(marker.label))</text>"
            out += "<title>\(markup.text("+\(ReportFormat.offset(marker.time.timeIntervalSince(timeline.start))) \(marker.detail)"))</title></g>\n"
        }
        return out
    }

    static func markerClass(_ kind: DeploymentTimeline.Marker.Kind) -> String {
        switch kind {
        case .hookPassed, .analysisPassed, .succeeded, .resumed: return "good"
        case .paused, .promoted, .recovered, .analysisMarginal: return "hold"
        case .hookFailed, .analysisFailed, .stopRequested, .rollbackStarted, .rolledBack, .rollbackFailed, .stopped: return "bad"
        }
    }

    /// Round for what went well, square for what went wrong, bars for a pause, a triangle for a promotion, a diamond for an analysis.
    static func markerShape(_ kind: DeploymentTimeline.Marker.Kind, x: Double, y: Double) -> String {
        let (x, y) = (coordinate(x), coordinate(y))
        switch kind {
        case .paused:
            return "<rect x=\"-4.5\" y=\"-5\" width=\"3\" height=\"10\" transform=\"translate(\(x) \(y))\"/><rect x=\"1.5\" y=\"-5\" width=\"3\" height=\"10\" transform=\"translate(\(x) \(y))\"/>"
        case .promoted, .resumed, .recovered:
            return "<path d=\"M-4,-5 L5,0 L-4,5 Z\" transform=\"translate(\(x) \(y))\"/>"
        case .analysisPassed, .analysisMarginal, .analysisFailed:
            return "<path d=\"M0,-6 L6,0 L0,6 L-6,0 Z\" transform=\"translate(\(x) \(y))\"/>"
        case .hookPassed, .succeeded:
            return "<circle cx=\"\(x)\" cy=\"\(y)\" r=\"5\"/>"
        case .hookFailed, .stopRequested, .rollbackStarted, .rolledBack, .rollbackFailed, .stopped:
            return "<rect x=\"-5\" y=\"-5\" width=\"10\" height=\"10\" transform=\"translate(\(x) \(y))\"/>"
        }
    }

    // MARK: Drawing helpers

    private func panelTitle(_ title: String, unit: String, top: Double) -> String {
        "<text class=\"panel-title\" x=\"20\" y=\"\(f(top + 12))\">\(markup.text(title))</text><text class=\"panel-unit\" x=\"20\" y=\"\(f(top + 28))\">\(markup.text(unit))</text>\n"
    }

    private func grid(top: Double, height: Double, ticks: [Double], maximum: Double, label: (Double) -> String) -> String {
        var out = ""
        for tick in ticks {
            let y = top + height * (1 - tick / maximum)
            out += "<line class=\"\(tick == 0 ? "axis" : "grid")\" x1=\"\(f(Self.plotLeft))\" y1=\"\(f(y))\" x2=\"\(f(Self.plotRight))\" y2=\"\(f(y))\"/>"
            out += "<text class=\"tick-y\" x=\"\(f(Self.plotLeft - 8))\" y=\"\(f(y + 4))\">\(markup.text(label(tick)))</text>\n"
        }
        return out
    }

    private func pointList(_ points: [(Double, Double)]) -> String {
        points.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " ")
    }

    private func f(_ value: Double) -> String { ReportFormat.coordinate(value) }
    private static func coordinate(_ value: Double) -> String { ReportFormat.coordinate(value) }

    /// Round tick values from 0 to at least `largest`: 1, 2 or 5 times a power of ten apart, about four of them.
    static func ticks(upTo largest: Double) -> [Double] {
        guard largest > 0, largest.isFinite else { return [0, 1] }
        let rough = largest / 4
        let power = pow(10, (log10(rough)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= rough } ?? 10 * power
        let count = Int((largest / step).rounded(.up))
        return (0...max(count, 1)).map { Double($0) * step }
    }

    /// A round time step that puts at most ten ticks on `duration` seconds.
    static func timeStep(for duration: TimeInterval) -> TimeInterval {
        let steps: [TimeInterval] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400]
        return steps.first { duration / $0 <= 10 } ?? (duration / 10).rounded(.up)
    }
}

import Foundation
import ShiftCore

/// The report as one HTML page: the outcome first (and where and why it rolled back), the chart, the analysis
/// verdicts with their numbers, the metrics per period and version, and the whole event log.
struct ReportPage {
    let report: DeploymentReport

    private var deployment: Deployment { report.deployment }
    private var markup: Markup { report.markup }
    private func text(_ raw: String) -> String { markup.text(raw) }

    func html() -> String {
        let request = deployment.request
        let timeline = report.timeline
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="color-scheme" content="light dark">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
        <title>\(text("\(deployment.id) · \(request.functionName):\(request.alias) · \(deployment.status.rawValue)"))</title>
        <style>\(ReportStyle.page)</style>
        </head>
        <body>
        <main>

        """
        out += "<h1>\(text("\(request.functionName):\(request.alias)"))<span class=\"badge \(tone)\">\(text(statusText))</span></h1>\n"
        out += "<div class=\"card\">\n<dl class=\"facts\">\n"
        out += fact("Deployment", "<code>\(text(deployment.id))</code>")
        out += fact("Versions", "\(deployment.originalVersion) → \(request.targetVersion)")
        out += fact("Preference", "\(text(request.preference.name)) <span class=\"muted\">(\(text(request.preference.summary)))</span>")
        out += fact("Started", text(Timestamp.format(timeline.start)))
        out += fact(deployment.completedAt == nil ? "Last update" : "Ended", "\(text(Timestamp.format(timeline.end))) (\(text(ReportFormat.duration(timeline.end.timeIntervalSince(timeline.start)))) after the start)")
        if !request.alarms.isEmpty { out += fact("Alarms", request.alarms.map { "<code>\(text($0))</code>" }.joined(separator: " ")) }
        if let hook = request.preTrafficHook { out += fact("PreTraffic hook", "<code>\(text(hook))</code>") }
        if let hook = request.postTrafficHook { out += fact("PostTraffic hook", "<code>\(text(hook))</code>") }
        if request.bake > 0 { out += fact("Bake", text(ReportFormat.duration(request.bake))) }
        out += "</dl>\n" + outcome(timeline) + "</div>\n"
        out += "<figure>\n\(report.chart.svg())</figure>\n"
        out += analyses(timeline)
        out += metricsSection()
        out += eventLog(timeline)
        out += "<footer>Written by <code>shift deployment report</code> from the deployment's journal\(report.metricsUnavailable == nil ? " and the platform's metrics" : ""). One file: no script, no network.</footer>\n"
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    private var statusText: String {
        "\(deployment.status.rawValue)\(deployment.rolledBack ? " · rolled back" : "")"
    }

    private var tone: String {
        switch deployment.status {
        case .succeeded: return "good"
        case .created, .inProgress: return "hold"
        case .failed, .stopped, .rollbackFailed: return "bad"
        }
    }

    private func fact(_ name: String, _ valueHTML: String) -> String {
        "<dt>\(text(name))</dt><dd>\(valueHTML)</dd>\n"
    }

    /// One sentence on how it ended: where (time, step, weight) and why it rolled back, when it did.
    private func outcome(_ timeline: DeploymentTimeline) -> String {
        let request = deployment.request
        func at(_ date: Date) -> String { "+\(ReportFormat.offset(date.timeIntervalSince(timeline.start))) (\(Timestamp.format(date)))" }
        if let phaseReason = deployment.phase.reason {
            // The sentence ends with its own full stop.
            var reason = phaseReason.description
            while reason.hasSuffix(".") { reason.removeLast() }
            let turn = deployment.events.first { $0.kind == .rollbackStarted || $0.kind == .stopped || $0.kind == .rollbackFailed }
            let time = turn?.time ?? timeline.end
            let step = deployment.events.last { $0.kind == .shifted && $0.time <= time }?.step
            let steps = request.preference.schedule.steps.count
            let weight = timeline.percent(at: time)
            var sentence: String
            switch deployment.phase {
            case .rollbackFailed(_, let detail):
                sentence = "<strong>Rollback failed</strong> at \(text(at(time))): \(text(detail)). A human must act; it was rolling back because \(text(reason))."
            case .stopped:
                sentence = "<strong>Stopped without rollback</strong> at \(text(at(time))), with \(text(ReportFormat.number(weight)))% on version \(request.targetVersion), because \(text(reason))."
            default:
                let verb = deployment.phase.isRolledBack ? "Rolled back" : "Rolling back"
                let position = step.map { "at step \($0) of \(steps), " } ?? (weight == 0 ? "before any traffic moved, " : "")
                sentence = "<strong>\(verb)</strong> to version \(deployment.originalVersion) at \(text(at(time))), \(position)with \(text(ReportFormat.number(weight)))% on version \(request.targetVersion), because \(text(reason))."
            }
            return "<p class=\"callout\">\(sentence)</p>\n"
        }
        if deployment.phase == .succeeded {
            return "<p class=\"callout good\"><strong>Succeeded</strong> at \(text(at(timeline.end))): version \(request.targetVersion) serves all traffic through <code>\(text(request.alias))</code>.</p>\n"
        }
        let paused = timeline.pauses.last.map { $0.end >= timeline.end } ?? false
        return "<p class=\"callout hold\"><strong>\(paused ? "Paused" : "In progress")</strong> at its last record, \(text(at(timeline.end))), with \(text(ReportFormat.number(timeline.percent(at: timeline.end))))% on version \(request.targetVersion).</p>\n"
    }

    /// Each analysis verdict: score, decision, and each metric's classification with its numbers.
    private func analyses(_ timeline: DeploymentTimeline) -> String {
        let verdicts = deployment.events.compactMap { event in event.analysis.map { (event, $0) } }
        guard !verdicts.isEmpty else { return "" }
        var out = "<h2>Canary analysis</h2>\n"
        for (event, verdict) in verdicts {
            let tone = verdict.decision == .pass ? "good" : verdict.decision == .marginal ? "hold" : "bad"
            out += "<h3>+\(text(ReportFormat.offset(event.time.timeIntervalSince(timeline.start)))) · score \(text(ReportFormat.number(verdict.score))) <span class=\"badge \(tone)\">\(text(verdict.decision.rawValue))</span></h3>\n"
            out += "<p>\(text(verdict.summary))</p>\n"
            out += "<table>\n<thead><tr><th>Metric</th><th>Result</th><th class=\"num\">Samples (original / target)</th><th class=\"num\">Median original</th><th class=\"num\">Median target</th><th class=\"num\">U</th><th class=\"num\">p</th><th class=\"num\">Shift (HL) [CI]</th><th class=\"num\">Effect size</th><th>Why</th></tr></thead>\n<tbody>\n"
            for result in verdict.results {
                let resultTone = result.classification == .pass ? "good" : result.classification == .noData ? "hold" : "bad"
                let interval = result.shiftLower.map { lower in " [\(ReportFormat.number(lower)), \(ReportFormat.number(result.shiftUpper))]" } ?? ""
                out += "<tr><td>\(text(result.name))\(result.critical ? " <span class=\"bad\">(critical)</span>" : "")</td>"
                out += "<td class=\"\(resultTone)\"><strong>\(text(result.classification.rawValue))</strong></td>"
                out += "<td class=\"num\">\(result.baselineCount) / \(result.canaryCount)</td>"
                out += "<td class=\"num\">\(text(ReportFormat.number(result.baselineMedian)))</td><td class=\"num\">\(text(ReportFormat.number(result.canaryMedian)))</td>"
                out += "<td class=\"num\">\(text(ReportFormat.number(result.u)))</td><td class=\"num\">\(text(ReportFormat.probability(result.p)))</td>"
                out += "<td class=\"num\">\(text(ReportFormat.number(result.shift) + interval))</td><td class=\"num\">\(text(ReportFormat.ratio(result.effectSize)))</td>"
                out += "<td>\(text(result.reason))</td></tr>\n"
            }
            out += "</tbody>\n</table>\n"
        }
        return out
    }

    /// The metrics per period and version, folded: the chart shows them, the table gives the exact numbers.
    private func metricsSection() -> String {
        var out = "<h2>Metrics</h2>\n"
        if let reason = report.metricsUnavailable {
            return out + "<p>Metrics were not available: \(text(reason)). The chart shows what the deployment's journal recorded.</p>\n"
        }
        let chart = report.chart
        let rows = chart.series.flatMap { line in line.points.map { (line, $0) } }.sorted { ($0.1.time, $0.0.version) < ($1.1.time, $1.0.version) }
        guard !rows.isEmpty else { return out + "<p>No invocations were recorded through the alias during the deployment.</p>\n" }
        out += "<details>\n<summary>\(rows.count) rows: invocations, error rate and latency per \(text(ReportFormat.offset(chart.period))) period and version</summary>\n"
        out += "<table>\n<thead><tr><th>Period (from start)</th><th>Version</th><th class=\"num\">Invocations</th><th class=\"num\">Errors</th><th class=\"num\">Error rate</th><th class=\"num\">Throttles</th><th class=\"num\">Latency avg (ms)</th><th class=\"num\">Latency max (ms)</th></tr></thead>\n<tbody>\n"
        for (line, point) in rows {
            let start = point.time.addingTimeInterval(-chart.period / 2).timeIntervalSince(report.timeline.start)
            out += "<tr><td class=\"time\">\(start < 0 ? "−" : "+")\(text(ReportFormat.offset(abs(start))))</td><td>\(text(line.version))\(line.role == .other ? "" : " (\(line.role.rawValue))")</td>"
            out += "<td class=\"num\">\(point.invocations)</td><td class=\"num\">\(point.errors)</td><td class=\"num\">\(text(point.errorRate.map { ReportFormat.number($0) + "%" } ?? "–"))</td>"
            out += "<td class=\"num\">\(point.throttles)</td><td class=\"num\">\(text(ReportFormat.number(point.durationAverage)))</td><td class=\"num\">\(text(ReportFormat.number(point.durationMaximum)))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n</details>\n"
    }

    /// Every journal event, in order.
    private func eventLog(_ timeline: DeploymentTimeline) -> String {
        var out = "<h2>Events</h2>\n<table>\n<thead><tr><th>Time</th><th>Event</th><th class=\"num\">Step</th><th class=\"num\">Weight</th><th>Message</th></tr></thead>\n<tbody>\n"
        for event in deployment.events {
            let tone: String
            switch event.kind {
            case .hookFailed, .rollbackStarted, .rolledBack, .rollbackFailed, .rollbackAttemptFailed, .stopRequested, .stopped, .warning: tone = " class=\"bad\""
            case .hookSucceeded, .succeeded: tone = " class=\"good\""
            case .paused, .promoted, .resumed: tone = " class=\"hold\""
            default: tone = ""
            }
            out += "<tr><td class=\"time\" title=\"\(text(Timestamp.format(event.time)))\">+\(text(ReportFormat.offset(max(event.time.timeIntervalSince(timeline.start), 0))))</td>"
            out += "<td\(tone)>\(text(event.kind.rawValue))</td><td class=\"num\">\(event.step.map { String($0) } ?? "")</td>"
            out += "<td class=\"num\">\(event.weight.map { text(ReportFormat.number($0) + "%") } ?? "")</td><td>\(text(event.message))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }
}

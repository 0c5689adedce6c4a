import ArgumentParser
import Foundation
import ShiftCore

struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Show recorded metrics per period and per executed version.")

    @Argument(help: "The function's name.") var function: String
    @Option(help: "Only invocations through this alias.") var alias: String?
    @Option(parsing: .unconditional, help: "Only invocations that ran this version.") var version: String?
    @Option(help: "Show one metric: Invocations, Errors, Duration or Throttles.") var metric: MetricName?
    @Option(parsing: .unconditional, help: "History to show: seconds, or 30m, 1h, 7d (at most 400d).") var since: String = "300"
    @Option(parsing: .unconditional, help: "Length of a period: seconds, or 5m, 1h (1s to 1d).") var period: String = "60"
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if alias != nil && version != nil { throw ValidationError("Give --alias or --version, not both.") }
    }

    func run() async throws {
        let since = try DurationBounds.history.parse(since, field: "--since")
        let period = try DurationBounds.period.parse(period, field: "--period")
        let start = Date().addingTimeInterval(-since)
        let summaries = try await global.platform().metrics.metrics(of: function, alias: alias, version: version, since: start, period: period)
        if global.isJSON {
            try Output.json(MetricsView(Function: function, Metrics: summaries))
            return
        }
        guard !summaries.isEmpty else {
            Output.note("no invocations of \(function) in the last \(since.compact)s")
            return
        }
        var header = ["PERIOD (UTC)", "VERSION"]
        let metrics = metric.map { [$0] } ?? MetricName.allCases
        header += metrics.map(\.rawValue)
        var rows = [header]
        for summary in summaries {
            var row = [Timestamp.format(summary.periodStart), summary.version]
            for metric in metrics {
                switch metric {
                case .invocations: row.append(String(summary.invocations))
                case .errors: row.append(String(summary.errors))
                case .throttles: row.append(String(summary.throttles))
                case .duration: row.append(summary.durationAverage.map { String(format: "avg %.1f ms, max %.1f ms", $0, summary.durationMaximum ?? 0) } ?? "-")
                }
            }
            rows.append(row)
        }
        Output.table(rows)
    }

    struct MetricsView: Encodable {
        var Function: String
        var Metrics: [MetricsSummary]
    }
}

extension MetricName: ExpressibleByArgument {}

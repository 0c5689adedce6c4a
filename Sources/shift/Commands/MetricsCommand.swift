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
    @Option(parsing: .unconditional, help: "Seconds of history to show.") var since: Double = 300
    @Option(parsing: .unconditional, help: "Seconds per period.") var period: Double = 60
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard period >= 1 else { throw ValidationError("--period is '\(period.compact)'; expected at least 1 second") }
        guard since > 0 else { throw ValidationError("--since is '\(since.compact)'; expected a positive number of seconds") }
        if alias != nil && version != nil { throw ValidationError("Give --alias or --version, not both.") }
    }

    func run() async throws {
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

import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal
import ShiftReport
import ShiftStorage

extension DeploymentCommand {
    /// `shift deployment report ID --html FILE --svg FILE`: reads the journal and the platform's metrics over the
    /// deployment's window, renders with ShiftReport, writes the files.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Write a deployment's report: one self-contained HTML page, or its chart as SVG.",
            discussion: """
            The chart shows the weight on the target version over time, hooks, pauses, promotions, analyses and the \
            rollback, alarm states as bands, and invocations, error rate and latency per version (from the platform's \
            metrics; an account whose platform keeps none, such as AWS, gets the journal's part and a note).
            """)

        @Argument(help: "The deployment id (d-...).") var id: String
        @Option(help: ArgumentHelp("Write the whole report, one HTML file with no script and no network.", valueName: "file")) var html: String?
        @Option(help: ArgumentHelp("Write the chart alone, as an SVG file (for a CI artifact or a pull request).", valueName: "file")) var svg: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if html == nil && svg == nil { throw ValidationError("Give --html FILE, --svg FILE, or both.") }
        }

        func run() async throws {
            let deployment = try await global.deployments().deployment(id)
            let (metrics, unavailable) = await Self.metrics(of: deployment, global: global)
            let report = DeploymentReport(deployment: deployment, metrics: metrics, metricsUnavailable: unavailable)
            // Both rendered before either is written.
            var files: [(path: String, content: String)] = []
            if let html { files.append((html, report.html())) }
            if let svg { files.append((svg, report.svg())) }
            for (path, content) in files {
                let url = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                try AtomicFile.write(Data(content.utf8), to: url)
                if !global.isJSON { Output.note("wrote \(path)") }
            }
            if global.isJSON {
                try Output.json(ReportView(deploymentId: deployment.id, html: html, svg: svg, metricsUnavailable: unavailable))
            }
        }

        /// The platform's metrics through the deployment's alias over its window; when the platform has none (or
        /// cannot be reached), why, for the report to say.
        static func metrics(of deployment: Deployment, global: GlobalOptions) async -> ([MetricsSummary], String?) {
            let window = DeploymentReport.metricsWindow(of: deployment)
            do {
                let summaries = try await global.platform().metrics.metrics(
                    of: deployment.request.functionName, alias: deployment.request.alias, version: nil, since: window.since, period: window.period)
                return (summaries, nil)
            } catch {
                return ([], (error as? LocalizedError)?.errorDescription ?? "\(error)")
            }
        }

        struct ReportView: Encodable {
            var deploymentId: String
            var html: String?
            var svg: String?
            var metricsUnavailable: String?
        }
    }
}

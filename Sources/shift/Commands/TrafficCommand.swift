import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal

struct TrafficCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "traffic",
        abstract: "Invoke a function at a steady rate, concurrently, and show invocations and errors per version.")

    @Argument(help: "NAME[:ALIAS|:VERSION]") var target: String
    @Option(parsing: .unconditional, help: "Invocations per second.") var rate: Double
    @Option(parsing: .unconditional, help: "How long to run: seconds, or 30s, 5m, 1h (at most 7d).") var duration: String
    @Option(parsing: .unconditional, help: "At most this many invocations in flight.") var concurrency: Int = 32
    @OptionGroup var payload: PayloadOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let (function, qualifier) = try FunctionQualifier.split(target)
        let duration = try DurationBounds.run.parse(duration, field: "--duration")
        let platform = try global.catalog()
        // A missing function, version or alias is bad input, found before the first invocation, not tallied after.
        try await platform.checkInvocable(function, qualifier: qualifier)
        let generator = try TrafficGenerator(
            platform: platform, clock: SystemClock(), function: function, qualifier: qualifier,
            payload: try payload.data(), rate: rate, duration: duration, maximumConcurrency: concurrency)
        let json = global.isJSON
        let tally = await generator.run { tally in
            if json {
                try? Output.jsonLine(tally)
            } else {
                Output.line(String(format: "%5.0fs  %@", tally.elapsed, tally.summary))
            }
        }
        if json {
            try Output.jsonLine(tally)
        } else {
            Output.line("traffic to \(target): \(tally.invocations) invocations, \(tally.errors) errors in \(String(format: "%.1f", tally.elapsed))s; \(tally.summary)")
        }
        if tally.invocations == 0, tally.failures > 0 {
            throw ShiftCoreError.failed(reason: "no invocation of \(target) could be attempted: \(tally.lastFailure ?? "unknown")")
        }
    }
}

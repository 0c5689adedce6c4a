import ArgumentParser
import Foundation
import ShiftAWS
import ShiftCore

@main
struct Shift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift",
        abstract: "Safe deployments for serverless functions: versions, aliases, traffic shifting, alarms, rollback.",
        discussion: """
            Exit codes: 0 success, 1 the operation ran and failed, 2 bad input, 3 waiting for approval, \
            4 rollback failed (a human must act), 5 conflict, 130 interrupted.
            """,
        subcommands: [
            FunctionCommand.self,
            AliasCommand.self,
            InvokeCommand.self,
            TrafficCommand.self,
            MetricsCommand.self,
            AlarmCommand.self,
            DeployCommand.self,
            DeploymentCommand.self,
            RecoverCommand.self,
            ParamCommand.self,
            KeyCommand.self,
            AccountCommand.self,
            PipelineCommand.self,
            ApproveCommand.self,
            RejectCommand.self,
            SAMCommand.self,
        ]
    )

    /// Answered by `main()` for a lone `shift --version`, not through `CommandConfiguration.version`: that
    /// automatic flag also answers any failed parse whose arguments contain `--version`, and `deploy` and
    /// `alias` have a `--version` option of their own.
    static let version = "0.1.0"

    static func main() async {
        if Array(CommandLine.arguments.dropFirst()) == ["--version"] {
            Output.line(version)
            return
        }
        do {
            // The command names only to explain a misplaced option: reading every command's configuration costs.
            let arguments = try GlobalOptions.movingLeadingOptions(in: Array(CommandLine.arguments.dropFirst()),
                                                                   commands: configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"])
            // `invoke` in its plain form skips swift-argument-parser's reflection (InvokeCommand+Arguments.swift).
            if arguments.first == InvokeCommand.configuration.commandName, let invocation = Invocation.read(Array(arguments.dropFirst())) {
                try await invocation.run()
            } else {
                var command = try parseAsRoot(arguments)
                if var asyncCommand = command as? AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
            }
            await SharedHTTPClient.shutdown()
        } catch {
            let code = report(error)
            // On every way out: an HTTPClient must be shut down before it goes (a no-op when no AWS call was made).
            await SharedHTTPClient.shutdown()
            exit(withCode: code)
        }
    }

    /// Prints `error` the way a user should see it and returns the exit code for it.
    static func report(_ error: Error) -> Int32 {
        if let error = error as? CategorizedError {
            let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            Output.write("error: \(message)\n", to: .standardError)
            return ExitStatus.code(for: error.category)
        }
        if let exit = error as? ExitCode {
            return exit.rawValue
        }
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if code == .success {
            print(message)
            return ExitStatus.success
        }
        if code == .validationFailure {
            // ArgumentParser reports usage errors as EX_USAGE (64); shift's contract says 2.
            Output.write("\(oneLineUsageError(message))\n", to: .standardError)
            return ExitStatus.badInput
        }
        if !message.isEmpty {
            Output.write("\(message)\n", to: .standardError)
        }
        return code.rawValue
    }

    /// ArgumentParser's usage error (`Error: ...`, a `Help:` line, the usage, `See 'shift X --help' ...`) as
    /// one line, as every other shift error: `error: <what is wrong>; see 'shift X --help'`.
    static func oneLineUsageError(_ message: String) -> String {
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        var first = lines.first ?? "bad usage"
        if first.hasPrefix("Error: ") { first.removeFirst("Error: ".count) }
        if first.hasSuffix(".") { first.removeLast() }
        let help = lines.first { $0.hasPrefix("See '") }.flatMap { line -> String? in
            guard let start = line.firstIndex(of: "'"), let end = line[line.index(after: start)...].firstIndex(of: "'") else { return nil }
            return String(line[start...end])
        }
        return "error: \(first)" + (help.map { "; see \($0)" } ?? "")
    }

    private static func exit(withCode code: Int32) -> Never {
        Foundation.exit(code)
    }
}

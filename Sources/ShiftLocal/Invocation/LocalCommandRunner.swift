import Foundation
import ShiftCore

/// Runs commands on this machine as `HandlerProcess` runs handlers: the same few inherited variables, the
/// same process-group kill on timeout and cancellation, the same masking before output is cut.
public struct LocalCommandRunner: CommandRunner {
    /// Variables passed through from shift's own environment to every command.
    public let inheritedEnvironment: [String: String]

    public init(processEnvironment: [String: String] = ProcessInfo.processInfo.environment) {
        self.inheritedEnvironment = processEnvironment.filter { LocalPlatform.inheritedVariableNames.contains($0.key) }
    }

    /// - Throws: `StorageError.io` when the process cannot be started.
    public func run(_ command: String, in directory: URL, environment: [String: String], timeout: TimeInterval, masker: SecretMasker) async throws -> CommandOutcome {
        let variables = inheritedEnvironment.merging(environment) { _, given in given }
        let process = HandlerProcess(command: command, workingDirectory: directory, environment: variables, timeout: timeout, masker: masker)
        let outcome = try await process.runKillingOnCancel(input: Data())
        return CommandOutcome(termination: outcome.termination, stdout: outcome.stdout, stderrTail: outcome.stderrTail)
    }
}

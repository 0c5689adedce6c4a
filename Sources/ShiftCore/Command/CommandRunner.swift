import Foundation

/// Runs shell commands on behalf of the engine above the platforms (a pipeline's build and test commands, its
/// git clone), so that what runs them, and which of shift's own variables they inherit, is decided by the
/// composition root rather than by the pipeline.
///
/// The contract: `command` runs with `/bin/sh` in `directory`, in a process group of its own, with the runner's
/// inherited variables overlaid by `environment`; nothing else of shift's environment leaks in. The group is
/// killed when `timeout` seconds pass and when the calling task is cancelled (then the outcome is
/// `.signalled(SIGKILL)` with no output, not an error). Every value `masker` knows is masked before output is cut.
public protocol CommandRunner: Sendable {
    /// Runs `command` with an empty stdin.
    /// - Throws: an error with a category when the process cannot be started.
    func run(_ command: String, in directory: URL, environment: [String: String], timeout: TimeInterval, masker: SecretMasker) async throws -> CommandOutcome
}

/// How one command ended, its output masked.
public struct CommandOutcome: Sendable, Equatable {
    /// How the process ended.
    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut
    }

    public var termination: Termination
    /// The start of stdout, masked (capped by the runner).
    public var stdout: Data
    /// The end of stderr, masked (capped by the runner).
    public var stderrTail: Data

    public init(termination: Termination, stdout: Data, stderrTail: Data) {
        self.termination = termination
        self.stdout = stdout
        self.stderrTail = stderrTail
    }
}

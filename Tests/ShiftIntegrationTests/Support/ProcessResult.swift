import Foundation

/// How a finished process ended and what it printed.
struct ProcessResult: Sendable, CustomStringConvertible {
    /// The command line, for failure messages.
    var command: String
    /// The exit status; 128 + N when signal N ended the process.
    var exitCode: Int32
    var standardOutput: Data
    var standardError: Data
    /// Wall time from start to the end of its output.
    var seconds: TimeInterval
    /// Whether the harness had to kill the process because it ran past its time limit.
    var timedOut: Bool

    var stdout: String { String(decoding: standardOutput, as: UTF8.self) }
    var stderr: String { String(decoding: standardError, as: UTF8.self) }

    /// The non-empty lines of stderr.
    var stderrLines: [String] { stderr.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) }

    /// stdout parsed as a JSON object.
    /// - Throws: when stdout is not one JSON object.
    func jsonObject() throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: standardOutput)
        guard let object = value as? [String: Any] else {
            throw UnexpectedOutput(message: "stdout of '\(command)' is JSON but not an object: \(stdout)")
        }
        return object
    }

    var description: String {
        "'\(command)' exited \(exitCode)\(timedOut ? " (killed: timed out)" : "") after \(String(format: "%.2f", seconds))s\n--- stdout\n\(stdout)--- stderr\n\(stderr)---"
    }
}

/// Output that does not have the shape a test expects.
struct UnexpectedOutput: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

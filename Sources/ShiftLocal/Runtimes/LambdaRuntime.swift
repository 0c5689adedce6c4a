import Foundation
import ShiftCore

/// A Lambda runtime the local platform runs: the interpreter it needs, the bootstrap that gives a handler Lambda's
/// programming model, and how that bootstrap's outcome reads as an invocation's result.
///
/// The bootstrap runs once per invocation in the version's code directory, with the event on stdin, and writes the
/// response (or Lambda's error document) to file descriptor 3; the handler's stdout and stderr are the log.
public enum LambdaRuntime: Equatable, Sendable {
    /// `python3.x`, run by `python3`.
    case python(String)
    /// `nodejs18.x` and later, run by `node`.
    case node(String)

    /// The runtime named `identifier`, when the local platform runs it.
    /// - Throws: `LocalPlatformError.unsupportedRuntime` for any other.
    public init(_ identifier: String) throws {
        if identifier.hasPrefix("python3."), let minor = Int(identifier.dropFirst("python3.".count)), minor >= 8 {
            self = .python(identifier)
        } else if identifier.hasPrefix("nodejs"), identifier.hasSuffix(".x"),
                  let major = Int(identifier.dropFirst("nodejs".count).dropLast(".x".count)), major >= 18 {
            self = .node(identifier)
        } else {
            throw LocalPlatformError.unsupportedRuntime(identifier)
        }
    }

    /// The runtime's identifier as Lambda spells it.
    public var identifier: String {
        switch self {
        case let .python(identifier), let .node(identifier): return identifier
        }
    }

    /// The program found on `PATH` that runs the bootstrap.
    public var interpreter: String {
        switch self {
        case .python: return "python3"
        case .node: return "node"
        }
    }

    /// The bootstrap's source and the file name it is cached under.
    var bootstrap: (source: String, fileName: String) {
        switch self {
        case .python: return (PythonBootstrap.source, "bootstrap.py")
        case .node: return (NodeBootstrap.source, "bootstrap.cjs")
        }
    }

    /// The interpreter's absolute path: the first directory of `searchPath` (a `PATH` value) that holds it.
    /// - Throws: `LocalPlatformError.interpreterNotFound` naming the interpreter and the directories searched.
    public func interpreterPath(searchPath: String?) throws -> String {
        let directories = (searchPath ?? "").split(separator: ":").map(String.init).filter { !$0.isEmpty }
        for directory in directories {
            let candidate = URL(fileURLWithPath: directory).appendingPathComponent(interpreter).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw LocalPlatformError.interpreterNotFound(runtime: identifier, interpreter: interpreter, searchPath: searchPath ?? "")
    }

    /// The shell command that runs `handler` through the bootstrap at `bootstrap` with the interpreter at
    /// `interpreter`; every word quoted, so no path or name is read by the shell.
    func command(interpreter: String, bootstrap: URL, handler: String) -> String {
        var words = [interpreter]
        // Python: unbuffered, so prints reach the log even when the handler is killed at its timeout.
        if case .python = self { words.append("-u") }
        words += [bootstrap.path, handler]
        return "exec " + words.map(Self.quotedForShell).joined(separator: " ")
    }

    /// `word` in single quotes for /bin/sh.
    public static func quotedForShell(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// How the bootstrap's outcome reads as an invocation's response and function error.
    ///
    /// A normal exit gives the response. An exit after the bootstrap wrote Lambda's error document is Lambda's
    /// `Unhandled` with that document. Anything else (killed, timed out, the interpreter dying on its own) is an
    /// error in Lambda's words with a document saying so: `Sandbox.Timedout`, `Runtime.ExitError`.
    static func result(of outcome: HandlerProcess.Outcome, timeout: TimeInterval, requestId: String) -> (payload: Data, functionError: String?) {
        switch outcome.termination {
        case .exited(0) where !outcome.stdoutTruncated:
            return (outcome.stdout, nil)
        case .exited(0):
            return (errorDocument(type: "Function.ResponseSizeTooLarge", message: "Response payload size exceeded maximum allowed payload size (\(HandlerProcess.responseLimit) bytes)."), "Unhandled")
        case .exited(1) where isErrorDocument(outcome.stdout):
            return (outcome.stdout, "Unhandled")
        case .timedOut:
            return (errorDocument(type: "Sandbox.Timedout", message: "RequestId: \(requestId) Error: Task timed out after \(timeout.compact) seconds"),
                    "Task timed out after \(timeout.compact) seconds")
        case let .exited(status):
            return (errorDocument(type: "Runtime.ExitError", message: "RequestId: \(requestId) Error: Runtime exited with error: exit status \(status)"), "Unhandled")
        case let .signalled(signal):
            return (errorDocument(type: "Runtime.ExitError", message: "RequestId: \(requestId) Error: Runtime exited with error: signal \(signal)"), "Unhandled")
        }
    }

    private static func isErrorDocument(_ data: Data) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return false }
        return object["errorType"] is String && object["errorMessage"] is String
    }

    private static func errorDocument(type: String, message: String) -> Data {
        (try? JSONSerialization.data(withJSONObject: ["errorType": type, "errorMessage": message], options: [.sortedKeys])) ?? Data()
    }
}

import Foundation

/// Runs the built `shift` binary against one isolated state directory, as a user would from a shell.
///
/// Every run gets `--state-dir` (appended, so it is parsed as the leaf command's own option), runs in
/// `workingDirectory`, and sees `SHIFT_HOME` pointing at a directory that must never appear: a command
/// that ignored `--state-dir` would create it, and the test case checks that it does not exist.
struct ShiftProcess: Sendable {
    /// The `shift` executable.
    let binary: URL
    /// The state directory passed as `--state-dir`.
    let stateDirectory: URL
    /// The current directory of every run.
    let workingDirectory: URL
    /// Where `$SHIFT_HOME` points; nothing should ever create it.
    let decoyHome: URL
    /// Variables every run gets, over the inherited ones (a run's own still win).
    var environment: [String: String] = [:]
    /// Every process started without waiting, so that tearDown can end those a failed test left running.
    let started = Locked<[ChildProcess]>([])

    /// Runs `shift` with `arguments` and waits for it. Safe to call from any thread.
    /// - Parameters:
    ///   - standardInput: bytes for stdin; nil gives /dev/null.
    ///   - environment: variables added to (or replacing) the inherited ones.
    ///   - passesStateDirectory: as for `start`.
    ///   - timeout: seconds after which the process is killed and the result marked as timed out.
    /// - Returns: the result; exit code -1, with the reason on stderr, when the binary cannot be started.
    func run(_ arguments: [String], standardInput: Data? = nil, environment: [String: String] = [:], passesStateDirectory: Bool = true,
             timeout: TimeInterval = 60) -> ProcessResult {
        do {
            return try start(arguments, standardInput: standardInput, environment: environment, passesStateDirectory: passesStateDirectory).wait(timeout: timeout)
        } catch {
            return ProcessResult(
                command: (["shift"] + arguments).joined(separator: " "), exitCode: -1, standardOutput: Data(),
                standardError: Data("cannot start \(binary.path): \(error)\n".utf8), seconds: 0, timedOut: false)
        }
    }

    /// Starts `shift` with `arguments` without waiting; `ChildProcess.wait()` or `ChildProcess.waitForAll(_:)` collect results.
    /// - Parameter passesStateDirectory: false to leave out `--state-dir` (e.g. where no command would accept it);
    ///   `$SHIFT_HOME` then names the state directory instead of the decoy.
    /// - Throws: when the binary cannot be started.
    func start(_ arguments: [String], standardInput: Data? = nil, environment: [String: String] = [:], passesStateDirectory: Bool = true) throws -> ChildProcess {
        var variables = environment
        if !passesStateDirectory { variables["SHIFT_HOME"] = stateDirectory.path }
        let child = try ChildProcess(
            executable: binary, arguments: arguments + (passesStateDirectory ? ["--state-dir", stateDirectory.path] : []),
            standardInput: standardInput, environment: childEnvironment(adding: variables), currentDirectory: workingDirectory)
        started.withLock { $0.append(child) }
        return child
    }

    /// Starts `/bin/sh -c script`, with `$SHIFT` naming the binary and `$SHIFT_STATE` the state directory,
    /// e.g. for a loop of invocations inside one process.
    /// - Throws: when the shell cannot be started.
    func startShell(_ script: String, environment: [String: String] = [:]) throws -> ChildProcess {
        var variables = environment
        variables["SHIFT"] = binary.path
        variables["SHIFT_STATE"] = stateDirectory.path
        let child = try ChildProcess(
            executable: URL(fileURLWithPath: "/bin/sh"), arguments: ["-c", script],
            environment: childEnvironment(adding: variables), currentDirectory: workingDirectory)
        started.withLock { $0.append(child) }
        return child
    }

    /// Kills whatever `start` or `startShell` began and is still running, and waits for it.
    func killLeftovers() {
        for child in started.current { child.killIfRunning() }
    }

    private func childEnvironment(adding extra: [String: String]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHIFT") }
        environment["SHIFT_HOME"] = decoyHome.path
        environment.merge(self.environment) { _, new in new }
        environment.merge(extra) { _, new in new }
        return environment
    }

    /// The `shift` executable: next to the test bundle in the build directory, else `$SHIFT_BINARY`.
    /// - Throws: `UnexpectedOutput` saying how to get one when neither exists.
    static func locateBinary() throws -> URL {
        var candidates: [URL] = []
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("shift"))
        }
        #else
        // On Linux the test bundle is an executable in the build directory, so the main bundle is that directory.
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("shift"))
        #endif
        if let path = ProcessInfo.processInfo.environment["SHIFT_BINARY"], !path.isEmpty {
            candidates.append(URL(fileURLWithPath: path))
        }
        if let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) {
            return found
        }
        throw UnexpectedOutput(message: "no shift binary at \(candidates.map(\.path)); run 'swift build --build-tests' first, or set SHIFT_BINARY")
    }
}

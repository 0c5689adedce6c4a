import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A program started with Foundation's `Process`, whose stdout and stderr are drained while it runs.
///
/// Each pipe is read on a thread of its own from the moment the process starts, so a child that prints more
/// than a pipe buffer holds never blocks on a full pipe while the test waits for it to exit.
final class ChildProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by `init` and `wait`, `result` only under `lock`;
    // the output buffers are written once by their reader thread before `readers` is left.
    private let process = Process()
    private let standardOutput = OutputBuffer()
    private let standardError = OutputBuffer()
    private let readers = DispatchGroup()
    private let exited = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: ProcessResult?
    private let startedAt = DispatchTime.now()
    let description: String

    /// Starts `executable` and returns at once; call `wait()` for its result.
    /// - Parameters:
    ///   - standardInput: written to the child's stdin, which is then closed; nil gives it /dev/null.
    ///   - environment: the child's whole environment.
    /// - Throws: when the program cannot be started.
    init(executable: URL, arguments: [String], standardInput: Data? = nil, environment: [String: String], currentDirectory: URL) throws {
        Self.ignoreBrokenPipes
        description = ([executable.lastPathComponent] + arguments).joined(separator: " ")
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = currentDirectory
        let outputPipe = Pipe(), errorPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        let inputPipe = standardInput.map { _ in Pipe() }
        process.standardInput = inputPipe ?? FileHandle.nullDevice
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()

        drain(outputPipe.fileHandleForReading, into: standardOutput)
        drain(errorPipe.fileHandleForReading, into: standardError)
        if let inputPipe, let standardInput {
            let handle = inputPipe.fileHandleForWriting
            Thread.detachNewThread {
                // A child that exits without reading its input makes this fail with EPIPE; that is its business.
                try? handle.write(contentsOf: standardInput)
                try? handle.close()
            }
        }
    }

    /// The process id, e.g. to signal it.
    var processIdentifier: Int32 { process.processIdentifier }

    /// Waits for the process to exit and its output to be read, and returns the result.
    /// A process still running after `timeout` seconds is killed, and the result says so.
    func wait(timeout: TimeInterval = 120) -> ProcessResult {
        lock.lock()
        defer { lock.unlock() }
        if let result { return result }
        var timedOut = false
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            timedOut = true
            kill(process.processIdentifier, SIGKILL)
            exited.wait()
        }
        // A grandchild that inherited the pipes can keep them open after the child exits; do not wait forever.
        _ = readers.wait(timeout: .now() + 10)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - startedAt.uptimeNanoseconds) / 1e9
        let finished = ProcessResult(
            command: description,
            exitCode: process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus,
            standardOutput: standardOutput.data, standardError: standardError.data,
            seconds: seconds, timedOut: timedOut)
        result = finished
        return finished
    }

    /// Sends SIGKILL if the process has not exited yet, then waits for it.
    func killIfRunning() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        _ = wait(timeout: 10)
    }

    /// Waits for every process, in order, and returns their results in the same order.
    static func waitForAll(_ processes: [ChildProcess], timeout: TimeInterval = 120) -> [ProcessResult] {
        processes.map { $0.wait(timeout: timeout) }
    }

    private func drain(_ handle: FileHandle, into buffer: OutputBuffer) {
        readers.enter()
        let readers = self.readers
        Thread.detachNewThread {
            buffer.data = (try? handle.readToEnd()) ?? Data()
            try? handle.close()
            readers.leave()
        }
    }

    /// Writing to a child that has exited must fail with EPIPE, not kill the test process.
    private static let ignoreBrokenPipes: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()

    /// Bytes read from one pipe, handed from the reader thread to `wait()` through the dispatch group.
    private final class OutputBuffer: @unchecked Sendable {
        var data = Data()
    }
}

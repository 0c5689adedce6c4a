import Foundation
import ShiftCore
import ShiftLocal

/// Timing helpers: wall time on the monotonic clock, medians, and running the shift binary.
enum Benchmark {
    /// Seconds `body` takes.
    static func time(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 0 ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
    }

    static func milliseconds(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }

    /// User plus system CPU seconds of every child process this one has waited for so far (`RUSAGE_CHILDREN`):
    /// the difference around a run is what that run's processes burnt.
    static func childrenCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// A Swift program that imports Foundation and prints one line: the floor for `shift --version`, which does
    /// the same and nothing else.
    static func staticHelloProgram(in repository: String) throws -> String {
        try staticReferenceProgram("hello", source: "import Foundation\nprint(\"0.1.0\")\n", in: repository)
    }

    /// A Swift program that imports Foundation, starts the program its first argument names (its own stdin and
    /// stdout passed on) and waits for it: the floor for `shift invoke`, the least any Swift launcher adds to a
    /// handler, with no state to read, no shell, no pipes and no threads.
    static func staticLauncherProgram(in repository: String) throws -> String {
        try staticReferenceProgram("launch", source: """
            import Foundation
            #if canImport(Glibc)
            import Glibc
            #endif
            var pid: pid_t = 0
            var arguments: [UnsafeMutablePointer<CChar>?] = [strdup(CommandLine.arguments[1]), nil]
            guard posix_spawn(&pid, CommandLine.arguments[1], nil, nil, &arguments, environ) == 0 else { exit(127) }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            exit(status == 0 ? 0 : 1)

            """, in: repository)
    }

    /// `source` linked with `-static-stdlib` and optimised, as shift's release build is, under
    /// `.build/bench-reference`, built again only when the source changes.
    private static func staticReferenceProgram(_ name: String, source text: String, in repository: String) throws -> String {
        let directory = URL(fileURLWithPath: repository).appendingPathComponent(".build/bench-reference")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let source = directory.appendingPathComponent("\(name).swift")
        let binary = directory.appendingPathComponent(name)
        let current = try? String(contentsOf: source, encoding: .utf8)
        if current != text || !FileManager.default.isExecutableFile(atPath: binary.path) {
            try Data(text.utf8).write(to: source)
            let status = try run("/usr/bin/env", ["swiftc", "-O", "-static-stdlib", source.path, "-o", binary.path])
            guard status == 0 else { throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "swiftc could not build \(source.path)"]) }
        }
        return binary.path
    }

    /// Runs a program to completion, discarding its output; returns its exit status.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], directory: String? = nil, environment: [String: String]? = nil, input: String? = nil) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let stdin = Pipe()
        process.standardInput = stdin
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

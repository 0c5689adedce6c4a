import Foundation
import ShiftCore
import ShiftStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs one handler command as DESIGN.md section 5 says: event on stdin, response on stdout, log on stderr.
///
/// The handler runs in a process group of its own. When it times out, the whole group is killed, and when it
/// exits, whatever it left running in its group is killed too, so no orphan outlives the invocation.
/// Output is capped so that a handler printing megabytes cannot exhaust memory. Secrets are masked before the
/// cuts, never after: a secret that straddles a cut is masked whole, not cut in two halves that no longer match.
public struct HandlerProcess: Sendable {
    /// The most of stdout kept as the response: Lambda's 6 MB synchronous response limit.
    public static let responseLimit = 6 * 1024 * 1024
    /// The most of stderr kept: the last 64 KiB (Lambda's own log tail is 4 KB).
    public static let logLimit = 64 * 1024

    public var command: String
    public var workingDirectory: URL
    public var environment: [String: String]
    public var timeout: TimeInterval
    /// The values masked in the outcome's stdout and stderr (those resolved into the handler's environment).
    public var masker: SecretMasker
    /// Whether the response comes on file descriptor 3 rather than stdout: a Lambda runtime's bootstrap writes it
    /// there, so that the handler's own prints (stdout, joined to stderr as the log) cannot corrupt it. The handler
    /// also gets `SHIFT_DEADLINE_MS`, when it will be killed in milliseconds since the epoch (its remaining time).
    public var usesResponseDescriptor: Bool
    /// Called with each wait's timeout in milliseconds, before the wait: lets a test count how often the wait
    /// loop wakes. Nil in shift itself.
    var waitObserver: (@Sendable (Int32) -> Void)?

    public init(command: String, workingDirectory: URL, environment: [String: String], timeout: TimeInterval, masker: SecretMasker = SecretMasker(),
                usesResponseDescriptor: Bool = false) {
        self.usesResponseDescriptor = usesResponseDescriptor
        self.command = command
        self.workingDirectory = workingDirectory
        self.environment = environment
        self.timeout = timeout
        self.masker = masker
    }

    /// How a run ended.
    public struct Outcome: Sendable, Equatable {
        /// How the process ended: the same cases as a pipeline command's.
        public typealias Termination = CommandOutcome.Termination

        public var termination: Termination
        /// The first `responseLimit` bytes of the response (stdout, or descriptor 3), masked.
        public var stdout: Data
        /// Whether stdout exceeded `responseLimit` (the extra was discarded).
        public var stdoutTruncated: Bool
        /// The last `logLimit` bytes of stderr (and of stdout, when the response has descriptor 3), masked.
        public var stderrTail: Data
        public var duration: TimeInterval
    }

    /// Runs the handler, feeding `input` on stdin, on a thread of its own so the caller's task is not blocked.
    ///
    /// Cancelling the calling task kills the handler's process group at once: a caller that stops waiting
    /// (a hook past its deadline, an interrupted deployment) leaves nothing running behind it.
    /// - Throws: `StorageError.io` when the process cannot be started; `CancellationError` when cancelled.
    public func run(input: Data) async throws -> Outcome {
        let group = ProcessGroup()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    continuation.resume(with: Result { try runBlocking(input: input, group: group) })
                }
            }
        } onCancel: {
            group.kill()
        }
    }

    /// Runs the command like `run(input:)`, but a cancellation (which kills the process group as `run` does)
    /// is an outcome rather than an error: terminated by SIGKILL, with no output. For pipeline commands, whose
    /// runner records how each command ended.
    /// - Throws: `StorageError.io` when the process cannot be started.
    public func runKillingOnCancel(input: Data) async throws -> Outcome {
        do {
            return try await run(input: input)
        } catch is CancellationError {
            return Outcome(termination: .signalled(SIGKILL), stdout: Data(), stdoutTruncated: false, stderrTail: Data(), duration: 0)
        }
    }

    /// Runs the handler on the calling thread.
    /// - Throws: `StorageError.io` when the process cannot be started.
    public func runBlocking(input: Data) throws -> Outcome {
        try runBlocking(input: input, group: ProcessGroup())
    }

    /// - Throws: `StorageError.io` when the process cannot be started; `CancellationError` when `group` was killed.
    private func runBlocking(input: Data, group: ProcessGroup) throws -> Outcome {
        Self.ignoreSIGPIPE
        let started = DispatchTime.now()
        let deadline = started.uptimeNanoseconds + UInt64(max(timeout, 0) * 1e9)

        var stdinPipe: [Int32] = [0, 0], stdoutPipe: [Int32] = [0, 0], stderrPipe: [Int32] = [0, 0]
        guard Self.makePipe(&stdinPipe), Self.makePipe(&stdoutPipe), Self.makePipe(&stderrPipe) else {
            throw StorageError.io(path: command, operation: "create pipes for", detail: StorageError.errnoDescription())
        }
        var environment = self.environment
        if usesResponseDescriptor {
            // The handler's clock is the wall clock: its deadline must be in the same time as its `time.time()`.
            let deadline = (Date().timeIntervalSince1970 + max(timeout, 0)) * 1000
            environment["SHIFT_DEADLINE_MS"] = String(Int64(deadline))
        }
        let pid: pid_t
        do {
            pid = try spawn(environment: environment, stdin: stdinPipe, stdout: stdoutPipe, stderr: stderrPipe)
        } catch {
            for fd in stdinPipe + stdoutPipe + stderrPipe { close(fd) }
            throw error
        }
        close(stdinPipe[0]); close(stdoutPipe[1]); close(stderrPipe[1])
        group.started(pid)
        // Readable when the handler exits, so the wait below ends at its exit, not at the next 20 ms tick.
        var exitFD: Int32 = Self.openPidFD?(pid, 0) ?? -1
        var input = input
        var stdinFD: Int32 = stdinPipe[1]
        var stdoutFD: Int32 = stdoutPipe[0]
        var stderrFD: Int32 = stderrPipe[0]
        for fd in [stdinFD, stdoutFD, stderrFD] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        if input.isEmpty { close(stdinFD); stdinFD = -1 }

        var stdout = Data(), stderr = Data()
        var stdoutTruncated = false
        // Beyond each cut, as many bytes as a straddling secret may need to be recognised (SecretMasker.maskHead/maskTail).
        let margin = masker.cutMargin
        var status: Int32 = 0
        var exited = false
        var timedOut = false
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)

        while stdoutFD >= 0 || stderrFD >= 0 || !exited {
            if group.isKilled {
                // The caller stopped waiting; `kill()` already sent SIGKILL to the group. Reap the handler.
                var waitStatus: Int32 = 0
                while !exited && waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
                for fd in [stdinFD, stdoutFD, stderrFD, exitFD] where fd >= 0 { close(fd) }
                group.ended()
                throw CancellationError()
            }
            if !exited {
                var waitStatus: Int32 = 0
                if waitpid(pid, &waitStatus, WNOHANG) == pid {
                    exited = true
                    if exitFD >= 0 { close(exitFD); exitFD = -1 }
                    status = waitStatus
                    // Whatever the handler left behind in its group goes with it.
                    kill(-pid, SIGKILL)
                }
            }
            let now = DispatchTime.now().uptimeNanoseconds
            if !exited && now >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                var waitStatus: Int32 = 0
                while waitpid(pid, &waitStatus, 0) < 0 && errno == EINTR {}
                exited = true
                status = waitStatus
                if exitFD >= 0 { close(exitFD); exitFD = -1 }
            }
            if exited && stdoutFD < 0 && stderrFD < 0 { break }

            var fds: [pollfd] = []
            if stdinFD >= 0 { fds.append(pollfd(fd: stdinFD, events: Int16(POLLOUT), revents: 0)) }
            if stdoutFD >= 0 { fds.append(pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0)) }
            if stderrFD >= 0 { fds.append(pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)) }
            if exitFD >= 0 { fds.append(pollfd(fd: exitFD, events: Int16(POLLIN), revents: 0)) }
            // A child's exit shows through waitpid, not through the pipes a grandchild may hold: with the exit
            // descriptor the wait lasts until the exit or the deadline; without it (no pidfd), short waits.
            let untilDeadline = max(1, Int64(deadline) - Int64(now)) / 1_000_000 + 1
            let wait = exited ? 50 : Int32(exitFD >= 0 ? min(untilDeadline, Int64(Int32.max)) : min(20, untilDeadline))
            waitObserver?(wait)
            let ready = poll(&fds, nfds_t(fds.count), wait)
            if ready < 0 && errno != EINTR { break }
            if exited && ready == 0 {
                // The group is dead; a pipe still open can only be held by something outside it. Stop waiting.
                break
            }
            for entry in fds where entry.revents != 0 && entry.fd != exitFD {
                if entry.fd == stdinFD {
                    let written = input.withUnsafeBytes { SystemCall.write(stdinFD, $0.baseAddress!, min($0.count, 64 * 1024)) }
                    if written > 0 { input.removeFirst(written) }
                    if input.isEmpty || (written < 0 && errno != EAGAIN && errno != EINTR) {
                        close(stdinFD); stdinFD = -1
                    }
                } else {
                    let count = read(entry.fd, &buffer, buffer.count)
                    if count > 0 {
                        if entry.fd == stdoutFD {
                            let room = Self.responseLimit + margin - stdout.count
                            if stdout.count + count > Self.responseLimit { stdoutTruncated = true }
                            if room > 0 { stdout.append(contentsOf: buffer[0..<min(count, room)]) }
                        } else {
                            stderr.append(contentsOf: buffer[0..<count])
                            if stderr.count > 2 * Self.logLimit + margin { stderr = Data(stderr.suffix(Self.logLimit + margin)) }
                        }
                    } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                        close(entry.fd)
                        if entry.fd == stdoutFD { stdoutFD = -1 } else { stderrFD = -1 }
                    }
                }
            }
        }
        for fd in [stdinFD, stdoutFD, stderrFD, exitFD] where fd >= 0 { close(fd) }
        group.ended()

        let termination: Outcome.Termination
        if timedOut {
            termination = .timedOut
        } else if (status & 0x7f) == 0 {
            termination = .exited((status >> 8) & 0xff)
        } else {
            termination = .signalled(status & 0x7f)
        }
        let duration = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return Outcome(termination: termination, stdout: masker.maskHead(of: stdout, limit: Self.responseLimit), stdoutTruncated: stdoutTruncated,
                       stderrTail: masker.maskTail(of: stderr, limit: Self.logLimit), duration: duration)
    }

    /// A pipe whose ends close on exec: a handler started by another task at the same moment must not inherit
    /// them, or this invocation's output would not end until that unrelated handler exits. The spawn's dup2
    /// onto 0, 1 and 2 gives the child its own ends without the flag. `pipe2` is not visible to Swift on Linux,
    /// so the flag is set with `fcntl`, under the same lock as every spawn, so that no spawn falls in between.
    private static func makePipe(_ fds: inout [Int32]) -> Bool {
        spawnLock.withLock {
            guard pipe(&fds) == 0 else { return false }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            return true
        }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34+), found at run time: Swift does not see it in
    /// the Glibc module. Without it (older libc, macOS), descriptors opened close-on-exec are all that is shut.
    private static let addCloseFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), found at run time like `addCloseFrom`: the child
    /// starts in the handler's folder, so one shell runs the handler. Without it (older libc, macOS), a first shell
    /// changes folder and replaces itself with the handler's: one more `exec` of a shell per invocation.
    private static let addChangeDirectory: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// glibc's `pidfd_open` (2.36+), found at run time like `addCloseFrom`: a descriptor that becomes readable
    /// when the process exits. Without it (older libc or kernel, macOS), the wait loop polls for the exit.
    private static let openPidFD: (@convention(c) (pid_t, UInt32) -> Int32)? = {
        #if os(Linux)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pidfd_open") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (pid_t, UInt32) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Held while a pipe is made close-on-exec and while a handler is spawned.
    private static let spawnLock = NSLock()

    /// `stdout` is the pipe the response is read from: the child's descriptor 1, or 3 with `usesResponseDescriptor`
    /// (then the child's 1 joins its 2 on the log pipe).
    private func spawn(environment: [String: String], stdin: [Int32], stdout: [Int32], stderr: [Int32]) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let responseDescriptor: Int32 = usesResponseDescriptor ? 3 : 1
        // The response last: should a pipe end be descriptor 3, it is copied where it belongs before 3 is replaced.
        posix_spawn_file_actions_adddup2(&actions, stdin[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stderr[1], 2)
        if usesResponseDescriptor { posix_spawn_file_actions_adddup2(&actions, stderr[1], 1) }
        posix_spawn_file_actions_adddup2(&actions, stdout[1], responseDescriptor)
        // The child keeps 0, 1, 2 and, with the response descriptor, 3; a pipe end that was one of them is replaced already.
        let lastKept: Int32 = usesResponseDescriptor ? 3 : 2
        for fd in stdin + stdout + stderr where fd > lastKept { posix_spawn_file_actions_addclose(&actions, fd) }
        // Nothing else of shift's reaches the handler: not a lock, not a state file, not another invocation's pipe.
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, lastKept + 1) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A group of its own, so a timeout kills everything the handler started; default signals, empty mask.
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let startsInFolder = Self.addChangeDirectory.map { $0(&actions, workingDirectory.path) == 0 } ?? false
        // A plain command starts without a shell, with the `PWD` a shell would have exported. Should it not start
        // (no such file, not executable, a script with no `#!` line), the shell below runs it and says why, exactly
        // as for any other command.
        if startsInFolder, let words = Self.plainWords(of: command) {
            var direct = Self.environmentBlock(environment.merging(["PWD": workingDirectory.path]) { _, folder in folder })
            defer { for pointer in direct { free(pointer) } }
            if let pid = Self.spawn(words[0], arguments: words, actions: &actions, attributes: &attributes, environment: &direct).pid {
                return pid
            }
        }
        var envp = Self.environmentBlock(environment)
        defer { for pointer in envp { free(pointer) } }
        let arguments: [String]
        if startsInFolder {
            arguments = ["/bin/sh", "-c", command]
        } else {
            // The directory and the command travel as positional parameters, never spliced into the script.
            arguments = ["/bin/sh", "-c", "cd -- \"$1\" || exit 126; exec /bin/sh -c \"$2\"", "shift-handler", workingDirectory.path, command]
        }
        let (pid, result) = Self.spawn("/bin/sh", arguments: arguments, actions: &actions, attributes: &attributes, environment: &envp)
        guard let pid else {
            throw StorageError.io(path: workingDirectory.path, operation: "start handler '\(command)' in", detail: StorageError.errnoDescription(result))
        }
        return pid
    }

    /// `environment` as `posix_spawn` takes it, in name order; the strings are the caller's to free.
    private static func environmentBlock(_ environment: [String: String]) -> [UnsafeMutablePointer<CChar>?] {
        environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
    }

    /// `posix_spawn` of `path` under the spawn lock: the child's id, or nil and the error number.
    private static func spawn(_ path: String, arguments: [String], actions: inout posix_spawn_file_actions_t, attributes: inout posix_spawnattr_t,
                              environment: inout [UnsafeMutablePointer<CChar>?]) -> (pid: pid_t?, result: Int32) {
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = spawnLock.withLock { posix_spawn(&pid, path, &actions, &attributes, &argv, &environment) }
        return (result == 0 ? pid : nil, result)
    }

    /// The words of `command` when it is a plain command line, one that a shell would only split at its spaces: no
    /// quotes, variables, globs, redirections, operators or `~`, and a first word that names a file by its path
    /// (so no search of `PATH`, no built-in, no variable assignment). Nil for any other command, which a shell runs.
    ///
    /// A plain command is started directly, relative paths from the handler's folder: one `exec` of a shell fewer
    /// at every invocation, 0.9 ms of the 3.7 ms a small shell handler took (BENCHMARKS.md, "`shift invoke` against
    /// running the handler directly").
    static func plainWords(of command: String) -> [String]? {
        let words = command.split(separator: " ").map(String.init)
        guard let first = words.first, first.contains("/"), !first.contains("=") else { return nil }
        let plain = command.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: " "), UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"),
                 UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "%"), UInt8(ascii: "="): true
            default: false
            }
        }
        return plain ? words : nil
    }

    /// The handler's process group, killed on request from any thread: at once when the handler is running,
    /// as soon as it starts otherwise.
    private final class ProcessGroup: @unchecked Sendable {
        // Guarded by `lock`.
        private let lock = NSLock()
        private var leader: pid_t?
        private var killed = false

        var isKilled: Bool { lock.withLock { killed } }

        func started(_ pid: pid_t) {
            let killNow: Bool = lock.withLock {
                leader = pid
                return killed
            }
            if killNow { SystemCall.kill(-pid, SIGKILL) }
        }

        /// The handler was reaped: its group id may be reused, so it is not to be signalled any more.
        func ended() {
            lock.withLock { leader = nil }
        }

        func kill() {
            let pid: pid_t? = lock.withLock {
                killed = true
                return leader
            }
            if let pid { SystemCall.kill(-pid, SIGKILL) }
        }
    }

    /// Writing to a handler that exited must fail with EPIPE, not kill shift.
    private static let ignoreSIGPIPE: Void = {
        signal(SIGPIPE, SIG_IGN)
    }()
}

import ShiftCore
@testable import ShiftLocal
import ShiftTestSupport
import Foundation
import XCTest

final class HandlerProcessTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func run(_ script: String, timeout: TimeInterval = 5, input: String = "{}", environment: [String: String] = [:]) throws -> HandlerProcess.Outcome {
        try directory.writeScript("handler.sh", script)
        let process = HandlerProcess(command: "./handler.sh", workingDirectory: directory.url, environment: environment.merging(["PATH": "/usr/bin:/bin"]) { a, _ in a }, timeout: timeout)
        return try process.runBlocking(input: Data(input.utf8))
    }

    func testEventOnStdin_responseOnStdout_logOnStderr() throws {
        let outcome = try run(#"read event; echo "log line" >&2; echo "{\"got\": $event}""#, input: #"{"a": 1}"# + "\n")
        XCTAssertEqual(outcome.termination, .exited(0))
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "{\"got\": {\"a\": 1}}\n")
        XCTAssertEqual(String(decoding: outcome.stderrTail, as: UTF8.self), "log line\n")
    }

    func testNonZeroExit_isReported() throws {
        XCTAssertEqual(try run("exit 3").termination, .exited(3))
    }

    func testRunsInWorkingDirectoryWithGivenEnvironment() throws {
        let outcome = try run(#"echo "$(pwd) $GREETING""#, environment: ["GREETING": "hello"])
        let resolved = directory.url.resolvingSymlinksInPath().path
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "\(resolved) hello\n")
    }

    func testPlainWords_areAPathAndWordsAShellWouldOnlySplitAtSpaces() {
        XCTAssertEqual(HandlerProcess.plainWords(of: "./handler.sh"), ["./handler.sh"])
        XCTAssertEqual(HandlerProcess.plainWords(of: "bin/run  --mode=fast a,b x:y@z 50%"), ["bin/run", "--mode=fast", "a,b", "x:y@z", "50%"])
        XCTAssertEqual(HandlerProcess.plainWords(of: "/usr/bin/env python3 app.py"), ["/usr/bin/env", "python3", "app.py"])
        // A shell is needed for anything else: a PATH search, a built-in, quotes, variables, globs, operators, `~`.
        for command in ["handler.sh", "echo hi", "exec ./handler.sh", "FOO=1 ./handler.sh", "./a=b", "./handler.sh 'a b'", "./handler.sh \"a\"",
                        "./handler.sh $HOME", "./handler.sh *", "./handler.sh > out", "./a.sh | ./b.sh", "./a.sh; ./b.sh", "./a.sh && ./b.sh",
                        "./a.sh &", "~/handler.sh", "./handler.sh # note", "./handler.sh\tx", "./handler.sh\nx", "./h\u{e9}.sh", "", "   "] {
            XCTAssertNil(HandlerProcess.plainWords(of: command), command)
        }
    }

    func testPlainCommand_runsFromTheWorkingDirectory_withItsWords() throws {
        try directory.writeScript("bin/handler", #"printf '%s|' "$@"; pwd"#)
        let process = HandlerProcess(command: "bin/handler --mode=fast a,b", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin"], timeout: 5)
        let outcome = try process.runBlocking(input: Data())
        XCTAssertEqual(outcome.termination, .exited(0))
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "--mode=fast|a,b|\(directory.url.resolvingSymlinksInPath().path)\n")
    }

    /// Started without a shell, a program still finds the `PWD` a shell would have exported.
    func testPlainCommand_getsThePWDAShellWouldExport() throws {
        let outcome = try HandlerProcess(command: "/usr/bin/printenv PWD", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin"], timeout: 5)
            .runBlocking(input: Data())
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), directory.url.path + "\n")
    }

    /// A plain command that cannot be started directly goes to the shell, which runs it or says why it cannot.
    func testPlainCommand_thatCannotStartDirectly_isLeftToTheShell() throws {
        let missing = try HandlerProcess(command: "./missing.sh", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin"], timeout: 5).runBlocking(input: Data())
        XCTAssertEqual(missing.termination, .exited(127))
        XCTAssertTrue(String(decoding: missing.stderrTail, as: UTF8.self).contains("not found"), String(decoding: missing.stderrTail, as: UTF8.self))

        try Data("echo no interpreter line\n".utf8).write(to: directory.url.appendingPathComponent("bare.sh"))
        XCTAssertEqual(chmod(directory.url.appendingPathComponent("bare.sh").path, 0o755), 0)
        let bare = try HandlerProcess(command: "./bare.sh", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin"], timeout: 5).runBlocking(input: Data())
        XCTAssertEqual(bare.termination, .exited(0))
        XCTAssertEqual(String(decoding: bare.stdout, as: UTF8.self), "no interpreter line\n")

        try Data("#!/bin/sh\necho hi\n".utf8).write(to: directory.url.appendingPathComponent("unexecutable.sh"))
        let unexecutable = try HandlerProcess(command: "./unexecutable.sh", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin"], timeout: 5).runBlocking(input: Data())
        XCTAssertEqual(unexecutable.termination, .exited(126))
    }

    func testHangingHandler_isKilledAtTimeoutWithItsChildren() throws {
        let marker = directory.url.appendingPathComponent("child.pid")
        let outcome = try run("sleep 30 & echo $! > \(marker.path); wait", timeout: 1)
        XCTAssertEqual(outcome.termination, .timedOut)
        XCTAssertLessThan(outcome.duration, 5)
        let childPID = try XCTUnwrap(Int32(try String(contentsOf: marker, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)), "the handler never recorded its child's pid")
        // The whole group got SIGKILL: the background sleep is gone, not orphaned.
        assertGone(childPID, "child \(childPID) outlived the handler's timeout")
    }

    /// Fails unless `pid` is gone within a second.
    private func assertGone(_ pid: Int32, _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        var gone = false
        for _ in 0..<50 where !gone {
            gone = !Self.isRunning(pid)
            if !gone { usleep(20_000) }
        }
        XCTAssertTrue(gone, message, file: file, line: line)
    }

    func testCancelledRun_killsTheHandlersProcessGroup() async throws {
        let marker = directory.url.appendingPathComponent("pids")
        try directory.writeScript("handler.sh", "sleep 30 & echo $$ $! > \(marker.path).tmp; mv \(marker.path).tmp \(marker.path); wait")
        let process = HandlerProcess(command: "./handler.sh", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
        let invocation = Task { try await process.run(input: Data("{}".utf8)) }
        var pids: [Int32] = []
        for _ in 0..<250 where pids.isEmpty {
            pids = (try? String(contentsOf: marker, encoding: .utf8))?.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? []
            if pids.isEmpty { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        XCTAssertEqual(pids.count, 2, "the handler never started")
        invocation.cancel()
        do {
            _ = try await invocation.value
            XCTFail("a cancelled run returned an outcome")
        } catch is CancellationError {}
        // Killed when cancelled, not at the handler's 60 s timeout: neither the handler's shell nor its sleep lives on.
        var alive = pids
        for _ in 0..<50 where !alive.isEmpty {
            alive = alive.filter(Self.isRunning)
            if !alive.isEmpty { usleep(20_000) }
        }
        XCTAssertEqual(alive, [], "outlived the cancelled invocation")
    }

    /// Whether `pid` is a live process; a killed child that nobody reaped yet (a zombie) is not.
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(close, offsetBy: 2)]
        return state != "Z" && state != "X"
    }

    func testBackgroundChildAfterExit_doesNotHoldInvocationOpen() throws {
        let outcome = try run("sleep 30 & echo done", timeout: 10)
        XCTAssertEqual(outcome.termination, .exited(0))
        XCTAssertLessThan(outcome.duration, 5)
    }

    func testHandlerClosingItsOutputBeforeExiting_isWaitedForInOneWake_notInShortPolls() throws {
        // The pipes reach EOF 0.3 s before the exit: the wait for the exit is one wait, woken by the exit
        // itself, not a 20 ms poll repeated until waitpid sees it (15 wakes before the fix).
        try directory.writeScript("handler.sh", "exec >&- 2>&-; sleep 0.3")
        final class Waits: @unchecked Sendable {
            let lock = NSLock()
            var values: [Int32] = []
        }
        let waits = Waits()
        var process = HandlerProcess(command: "./handler.sh", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin"], timeout: 10)
        process.waitObserver = { wait in waits.lock.withLock { waits.values.append(wait) } }
        let outcome = try process.runBlocking(input: Data())
        XCTAssertEqual(outcome.termination, .exited(0))
        let values = waits.lock.withLock { waits.values }
        XCTAssertLessThanOrEqual(values.count, 4, "waits: \(values)")
    }

    func testConcurrentHandlers_inheritNoOtherInvocationsPipes() throws {
        try directory.writeScript("fds.sh", "sleep 0.2; ls /proc/$$/fd")
        let process = HandlerProcess(command: "./fds.sh", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin"], timeout: 10)
        let outcomes = Collected<HandlerProcess.Outcome>()
        DispatchQueue.concurrentPerform(iterations: 12) { _ in
            if let outcome = try? process.runBlocking(input: Data()) { outcomes.append(outcome) }
        }
        let all = outcomes.values
        XCTAssertEqual(all.count, 12)
        for outcome in all {
            let descriptors = String(decoding: outcome.stdout, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
            // 0, 1, 2 and whatever the shell opens for itself (dash: 10); never another invocation's pipe ends.
            XCTAssertTrue(descriptors.allSatisfy { $0 <= 2 || $0 >= 10 }, "inherited descriptors: \(descriptors)")
            XCTAssertLessThan(descriptors.count, 5, "inherited descriptors: \(descriptors)")
        }
    }

    func testMegabytesOfOutput_areCapped() throws {
        let outcome = try run("head -c 20000000 /dev/zero | tr '\\0' 'x'; head -c 5000000 /dev/zero | tr '\\0' 'y' >&2", timeout: 30)
        XCTAssertEqual(outcome.termination, .exited(0))
        XCTAssertEqual(outcome.stdout.count, HandlerProcess.responseLimit)
        XCTAssertTrue(outcome.stdoutTruncated)
        XCTAssertEqual(outcome.stderrTail.count, HandlerProcess.logLimit)
    }

    func testHandlerThatIgnoresStdin_doesNotBlock() throws {
        let big = String(repeating: "x", count: 1_000_000)
        let outcome = try run("echo ok", input: "\"\(big)\"")
        XCTAssertEqual(outcome.termination, .exited(0))
    }

    func testRunKillingOnCancel_killsTheWholeGroup_whenTheTaskIsCancelled() async throws {
        let marker = directory.url.appendingPathComponent("child.pid")
        try directory.writeScript("handler.sh", "sleep 30 & echo $! > \(marker.path); wait")
        let process = HandlerProcess(command: "./handler.sh", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
        let started = Date()
        let task = Task { try await process.runKillingOnCancel(input: Data()) }
        // The file exists before the shell has written the pid into it: wait for a whole line.
        func recordedPID() -> Int32? {
            (try? String(contentsOf: marker, encoding: .utf8)).flatMap { $0.hasSuffix("\n") ? Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) : nil }
        }
        while recordedPID() == nil, Date().timeIntervalSince(started) < 5 { try await Task.sleep(nanoseconds: 20_000_000) }
        task.cancel()
        let outcome = try await task.value
        XCTAssertEqual(outcome.termination, .signalled(SIGKILL))
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        let childPID = try XCTUnwrap(recordedPID(), "the handler never recorded its child's pid")
        assertGone(childPID, "child \(childPID) outlived the cancellation")
    }

    // MARK: Secrets at the cuts

    private let secret = "S3cr3t-Value-42"

    private func runMasked(_ script: String) throws -> HandlerProcess.Outcome {
        try directory.writeScript("handler.sh", script)
        let process = HandlerProcess(command: "./handler.sh", workingDirectory: directory.url, environment: ["PATH": "/usr/bin:/bin", "SECRET": secret],
                                     timeout: 30, masker: SecretMasker(secrets: [secret]))
        return try process.runBlocking(input: Data())
    }

    private func assertNoFragment(_ data: Data, offset: Int, file: StaticString = #filePath, line: UInt = #line) {
        let bytes = Array(secret.utf8)
        for start in 0..<bytes.count - 1 {
            let fragment = Data(bytes[start..<min(start + 4, bytes.count)])
            XCTAssertNil(data.range(of: fragment), "offset \(offset): '\(String(decoding: fragment, as: UTF8.self))' went out", file: file, line: line)
        }
    }

    /// stderr is streamed into a bounded buffer; a secret ending `offset` bytes into the last `logLimit` bytes is masked whole.
    func testStderrTail_whenASecretStraddlesTheCutAtAnyOffset_masksItWhole() throws {
        for offset in 0...secret.utf8.count {
            let after = HandlerProcess.logLimit - offset
            // 300 KB before the secret, so the bounded buffer drops its front several times first.
            let outcome = try runMasked("""
                head -c 300000 /dev/zero | tr '\\0' y >&2; printf '%s' "$SECRET" >&2; head -c \(after) /dev/zero | tr '\\0' z >&2
                """)
            XCTAssertEqual(outcome.termination, .exited(0))
            assertNoFragment(outcome.stderrTail, offset: offset)
            let expected = (offset > 0 ? "****" : "") + String(repeating: "z", count: after)
            XCTAssertEqual(outcome.stderrTail, Data(expected.utf8), "offset \(offset)")
        }
    }

    /// stdout is cut at `responseLimit`; a secret starting `offset` bytes before the cut is masked whole.
    func testStdoutCut_whenASecretStraddlesTheCutAtAnyOffset_masksItWhole() throws {
        for offset in 0...secret.utf8.count {
            let before = HandlerProcess.responseLimit - offset
            let outcome = try runMasked("""
                head -c \(before) /dev/zero | tr '\\0' a; printf '%s' "$SECRET"; head -c 5000 /dev/zero | tr '\\0' b
                """)
            XCTAssertEqual(outcome.termination, .exited(0))
            XCTAssertTrue(outcome.stdoutTruncated)
            assertNoFragment(outcome.stdout, offset: offset)
            XCTAssertEqual(outcome.stdout.count, before + (offset > 0 ? 4 : 0), "offset \(offset)")
            XCTAssertEqual(outcome.stdout.suffix(8), Data((offset > 0 ? "aaaa****" : "aaaaaaaa").utf8), "offset \(offset)")
        }
    }
}

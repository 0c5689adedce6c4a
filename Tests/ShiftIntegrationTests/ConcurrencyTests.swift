import Foundation
import ShiftCore
import ShiftLocal
import ShiftStorage
import XCTest

/// Several `shift` processes on one state directory at once: no lost metric, no lost update, no torn read.
final class ConcurrencyTests: ShiftIntegrationTestCase {
    /// What one thread of alias updates saw.
    private struct UpdaterOutcome: Sendable {
        var successes: [ProcessResult] = []
        var conflicts = 0
        var unexpected: [ProcessResult] = []
    }

    /// What the reader saw while everything else ran.
    private struct ReaderOutcome: Sendable {
        var reads = 0
        var failures: [String] = []
        var lastInvocationTotal = 0
    }

    func testEightInvokersAndAliasUpdatesAtOnce_loseNoMetricAndNoUpdate_andReadersNeverSeeATornFile() throws {
        createFunctionWithTwoVersions("echo")
        succeed("alias", "create", "echo", "live", "--version", "1", "--description", "0")
        let shift = self.shift!
        let invokers = 8, invocationsPerInvoker = 10, blindUpdates = 10, incrementers = 2, incrementsEach = 5

        // The reader: alias get and metrics, again and again, until everything else is done.
        let stop = Locked(false)
        let reader = Locked(ReaderOutcome())
        let readerDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            while !stop.current {
                let alias = shift.run(["alias", "get", "echo", "live", "--output", "json"])
                let object = try? alias.jsonObject()
                let aliasIsWhole = alias.exitCode == 0 && object?["RevisionId"] is String && ["1", "2"].contains(object?["FunctionVersion"] as? String)
                let metrics = shift.run(["metrics", "echo", "--output", "json"])
                let total = (try? metrics.jsonObject()).flatMap { try? RecordedMetrics(json: $0) }?.totalInvocations
                reader.withLock { outcome in
                    outcome.reads += 1
                    if !aliasIsWhole { outcome.failures.append("torn or failed alias read: \(alias)") }
                    if metrics.exitCode != 0 || total == nil { outcome.failures.append("failed metrics read: \(metrics)") }
                    if let total {
                        if total < outcome.lastInvocationTotal { outcome.failures.append("metrics went back from \(outcome.lastInvocationTotal) to \(total)") }
                        outcome.lastInvocationTotal = max(total, outcome.lastInvocationTotal)
                    }
                }
            }
            readerDone.signal()
        }

        // Eight invokers, each one shell process invoking ten times in a row.
        let loop = """
            i=0
            while [ $i -lt \(invocationsPerInvoker) ]; do
                "$SHIFT" invoke echo:live --state-dir "$SHIFT_STATE" > /dev/null || { echo "invocation $i failed" >&2; exit 1; }
                i=$((i + 1))
            done
            """
        let invokerProcesses = try (0..<invokers).map { _ in try shift.startShell(loop) }

        // Meanwhile: blind updates that move the version (each must succeed), and compare-and-swap increments of a
        // counter in the description (a stale revision is refused with 5 and retried).
        let blindUpdater: @Sendable () -> UpdaterOutcome = {
            var outcome = UpdaterOutcome()
            for index in 1...blindUpdates {
                let result = shift.run(["alias", "update", "echo", "live", "--version", index % 2 == 1 ? "2" : "1", "--output", "json"])
                if result.exitCode == 0 { outcome.successes.append(result) } else { outcome.unexpected.append(result) }
            }
            return outcome
        }
        let incrementer: @Sendable () -> UpdaterOutcome = {
            var outcome = UpdaterOutcome()
            var attempts = 0
            while outcome.successes.count < incrementsEach && attempts < 200 {
                attempts += 1
                let read = shift.run(["alias", "get", "echo", "live", "--output", "json"])
                guard let alias = try? read.jsonObject(), let revision = alias["RevisionId"] as? String,
                      let counter = (alias["Description"] as? String).flatMap(Int.init) else {
                    outcome.unexpected.append(read)
                    continue
                }
                let update = shift.run(["alias", "update", "echo", "live", "--description", String(counter + 1), "--revision-id", revision, "--output", "json"])
                switch update.exitCode {
                case 0: outcome.successes.append(update)
                case 5: outcome.conflicts += 1
                default: outcome.unexpected.append(update)
                }
            }
            return outcome
        }
        let updaters = concurrently([blindUpdater] + Array(repeating: incrementer, count: incrementers))
        let invocations = ChildProcess.waitForAll(invokerProcesses)
        stop.withLock { $0 = true }
        readerDone.wait()

        // No lost invocation: every one ran and every one was recorded.
        for result in invocations {
            XCTAssertEqual(result.exitCode, 0, "\(result)")
            XCTAssertEqual(result.stderr.components(separatedBy: "executed version ").count - 1, invocationsPerInvoker, "\(result)")
        }
        let metrics = try recordedMetrics("echo")
        XCTAssertEqual(metrics.totalInvocations, invokers * invocationsPerInvoker, "a metric was lost: \(metrics)")
        XCTAssertEqual(metrics.totalErrors, 0, "\(metrics)")
        XCTAssertTrue(Set(metrics.invocations.keys).isSubset(of: ["1", "2"]), "\(metrics)")

        // No lost update: every blind update succeeded, every increment landed, and the last writes of both stand.
        for outcome in updaters {
            XCTAssertEqual(outcome.unexpected.map(\.description), [], "an alias command failed")
        }
        XCTAssertEqual(updaters[0].successes.count, blindUpdates)
        for outcome in updaters.dropFirst() {
            XCTAssertEqual(outcome.successes.count, incrementsEach, "gave up after \(outcome.conflicts) conflicts")
        }
        let alias = try json("alias", "get", "echo", "live")
        XCTAssertEqual(alias["Description"] as? String, String(incrementers * incrementsEach), "an increment was lost")
        XCTAssertEqual(alias["FunctionVersion"] as? String, "1", "the last blind update (to version 1) was lost")
        let revisions = updaters.flatMap(\.successes).map { (try? $0.jsonObject())?["RevisionId"] as? String }
        XCTAssertEqual(Set(revisions.compactMap { $0 }).count, blindUpdates + incrementers * incrementsEach, "two updates share a revision: \(revisions)")
        XCTAssertTrue(revisions.contains(alias["RevisionId"] as? String), "the final revision is none of the updates'")

        // No torn read.
        let read = reader.current
        XCTAssertGreaterThan(read.reads, 0)
        XCTAssertEqual(read.failures, [])
    }

    func testEightCreatesOfOneAlias_exactlyOneWins() throws {
        createFunctionWithTwoVersions("echo")
        let processes = try (0..<8).map { index in
            try shift.start(["alias", "create", "echo", "canary", "--version", "1", "--description", "creator \(index)"])
        }
        let results = ChildProcess.waitForAll(processes)
        let winners = results.indices.filter { results[$0].exitCode == 0 }
        XCTAssertEqual(winners.count, 1, "\(results)")
        for loser in results.indices where !winners.contains(loser) {
            assertBadInput(results[loser], mentions: ["alias 'echo:canary' already exists"])
        }
        XCTAssertEqual(try json("alias", "get", "echo", "canary")["Description"] as? String, winners.first.map { "creator \($0)" })
    }

    func testEightPublishesOfOneChange_makeOneVersion() throws {
        createFunctionWithTwoVersions("echo")
        succeed("function", "update", "echo", "--env", "RELEASE=3")
        let processes = try (0..<8).map { _ in try shift.start(["function", "publish", "echo"]) }
        for result in ChildProcess.waitForAll(processes) {
            XCTAssertEqual(result.exitCode, 0, "\(result)")
            XCTAssertEqual(result.stdout, "3\n", "every publisher sees the one new version: \(result)")
        }
        let versions = try XCTUnwrap(try json("function", "versions", "echo")["Versions"] as? [[String: Any]])
        XCTAssertEqual(versions.map { $0["Version"] as? String }, ["1", "2", "3"])
    }

    func testDeployCode_whileAnotherProcessUpdatesTheFunction_deploysExactlyTheGivenCode() throws {
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")
        let other = try copyOfExample("echo")
        try Data("other".utf8).write(to: other.appendingPathComponent("marker"))
        // This test process is the other process: it points $LATEST at other code as fast as it can.
        let store = LocalFunctionStore(state: try StateDirectory(root: stateDirectory, account: "default"), clock: SystemClock())
        let stop = Locked(false), updates = Locked(0)
        let updaterDone = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            while !stop.current {
                if (try? store.updateFunction(name: "api", change: FunctionChange(codePath: other))) != nil { updates.withLock { $0 += 1 } }
            }
            updaterDone.signal()
        }
        defer {
            stop.withLock { $0 = true }
            updaterDone.wait()
        }
        for round in 1...6 {
            let code = try copyOfExample("echo")
            try Data("deploy \(round)".utf8).write(to: code.appendingPathComponent("marker"))
            let deploy = run("deploy", "api", "--alias", "live", "--code", code.path, "--preference", "AllAtOnce")
            XCTAssertEqual(deploy.exitCode, 0, "round \(round): \(deploy)")
            let version = try XCTUnwrap(try json("alias", "get", "api", "live")["FunctionVersion"] as? String)
            let marker = stateDirectory.appendingPathComponent("accounts/default/functions/api/versions/\(version)/code/marker")
            XCTAssertEqual(try String(contentsOf: marker, encoding: .utf8), "deploy \(round)", "round \(round): version \(version) holds other code")
        }
        XCTAssertGreaterThan(updates.current, 0, "the other process did update meanwhile")
    }
}

import Foundation
import ShiftTestSupport
import XCTest

/// The shared store going away mid-hold, with the real binary: S3 reaches moto through a gate the test cuts
/// (connections refused) and opens again, while Lambda goes straight to moto and moto keeps its data.
extension SharedStateTests {
    /// A TCP forwarder to moto that the test can cut and open again (`Fixtures/store-gate.py`).
    final class StoreGate {
        let process: ChildProcess
        let stateFile: URL
        let port: Int

        init(to target: URL, in directory: URL) throws {
            let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/store-gate.py")
            stateFile = directory.appendingPathComponent("store-gate-\(Int.random(in: 100_000...999_999)).state")
            process = try ChildProcess(executable: URL(fileURLWithPath: "/usr/bin/env"),
                                       arguments: ["python3", script.path, "\(target.host ?? "127.0.0.1"):\(target.port ?? 80)", stateFile.path],
                                       environment: ProcessInfo.processInfo.environment, currentDirectory: directory)
            port = try Self.waitForState("open", in: stateFile)
        }

        var endpoint: String { "http://127.0.0.1:\(port)" }

        /// Refuses every connection from now on, and drops those open.
        func cut() throws {
            kill(process.processIdentifier, SIGUSR1)
            _ = try Self.waitForState("cut", in: stateFile)
        }

        func open() throws {
            kill(process.processIdentifier, SIGUSR2)
            _ = try Self.waitForState("open", in: stateFile)
        }

        func stop() {
            kill(process.processIdentifier, SIGTERM)
            _ = process.wait(timeout: 10)
        }

        static func waitForState(_ state: String, in file: URL) throws -> Int {
            for _ in 0..<300 {
                let words = ((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: " ")
                if words.count == 2, words[0] == state, let port = Int(words[1].trimmingCharacters(in: .whitespacesAndNewlines)) { return port }
                Thread.sleep(forTimeInterval: 0.05)
            }
            throw GateError(detail: "the store gate (python3 Fixtures/store-gate.py) never said '\(state)' in \(file.path)")
        }
    }

    struct GateError: Error {
        var detail: String
    }

    func testStoreCutMidHold_noFurtherStep_leaseLapseRollsBack_andTheEndIsRecordedWhenTheStoreReturns() throws {
        try makeTwoVersions()
        let gate = try StoreGate(to: moto.endpoint, in: directory.url)
        defer { gate.stop() }
        // Machine A reaches Lambda and STS at moto, and S3 only through the gate.
        let gated = environment.merging(["AWS_ENDPOINT_URL": moto.endpoint.absoluteString, "AWS_ENDPOINT_URL_S3": gate.endpoint]) { _, new in new }
        XCTAssertEqual(shift.run(["account", "add", "gated", "--platform", "aws", "--role", role!, "--runtime", "python3.12", "--state", "s3://\(bucket!)/team"],
                                 environment: gated).exitCode, 0)
        let deploy = try shift.start(["--account", "gated", "deploy", function!, "--alias", "live", "--version", "2", "--preference", "Canary50Percent60Seconds",
                                      "--poll-interval", "0.2"], environment: gated)
        try waitForCanary(on: machineB)
        let listed = try run(on: machineB, "deployment", "list", "--function", function, "--output", "json").jsonObject()
        let id = try XCTUnwrap((listed["deployments"] as? [[String: Any]])?.first?["deploymentId"] as? String, "\(listed)")
        let before = try events(of: id, on: machineB)

        try gate.cut()
        // The lease (3 s, renewed every second) lapses; the alias goes back without any further step.
        var sawTarget = false
        var restored = false
        for _ in 0..<150 where !restored {
            let now = try alias(on: machineB)
            sawTarget = sawTarget || (now["FunctionVersion"] as? String == "2")
            restored = now["FunctionVersion"] as? String == "1" && ((now["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:]).isEmpty
            if !restored { Thread.sleep(forTimeInterval: 0.1) }
        }
        XCTAssertTrue(restored, "the alias never went back to 100 % version 1")
        XCTAssertFalse(sawTarget, "a step was taken while the store was cut")
        XCTAssertEqual(try status(of: id, on: machineB), "InProgress", "the store cannot know yet")

        // Long enough for the first try of the final record to fail: the S3 client gives up after 5 attempts,
        // whose backoffs add up to at most 3 s.
        Thread.sleep(forTimeInterval: 5)
        try gate.open()
        let result = deploy.wait(timeout: 60)
        XCTAssertEqual(result.exitCode, 130, "stopped by the loss of its lease: \(result)")
        let console = result.stdout + result.stderr
        XCTAssertTrue(console.contains("trying again to record that deployment \(id) ended Stopped until"), console)
        XCTAssertTrue(console.contains("could be written again: deployment \(id) is recorded as Stopped"), console)

        let record = try run(on: machineB, "deployment", "get", id, "--output", "json").jsonObject()
        XCTAssertEqual(record["status"] as? String, "Stopped", "\(record)")
        XCTAssertEqual(record["rolledBack"] as? Bool, true, "\(record)")
        let after = try events(of: id, on: machineB)
        XCTAssertEqual(Array(after.prefix(before.count)), before, "what was journalled before the outage is all there")
        for machine in [shift!, machineB!] {
            let summaries = try run(on: machine, "deployment", "list", "--function", function, "--output", "json").jsonObject()
            let summary = try XCTUnwrap((summaries["deployments"] as? [[String: Any]])?.first, "\(summaries)")
            XCTAssertEqual(summary["status"] as? String, "Stopped", "\(summary)")
            XCTAssertEqual(summary["rolledBack"] as? Bool, true, "\(summary)")
        }
    }

    /// The deployment's events as `deployment get` shows them: kind and message.
    func events(of id: String, on machine: ShiftProcess) throws -> [String] {
        let record = try run(on: machine, "deployment", "get", id, "--output", "json").jsonObject()
        let events = try XCTUnwrap(record["events"] as? [[String: Any]], "\(record)")
        return events.map { "\($0["time"] ?? "") \($0["kind"] ?? ""): \($0["message"] ?? "")" }
    }

    func status(of id: String, on machine: ShiftProcess) throws -> String? {
        try run(on: machine, "deployment", "get", id, "--output", "json").jsonObject()["status"] as? String
    }
}

import Foundation
import XCTest

/// Canary analysis end to end with the real binary: `api` runs Examples/slow (sleeping SLEEP_SECONDS per
/// version) while a shell loop invokes `api:live`; the schedule holds at 50 %, analyses, then goes to 100 %.
final class AnalysisDeployTests: ShiftIntegrationTestCase {
    private var stopFile: URL { stateDirectory.deletingLastPathComponent().appendingPathComponent("stop-traffic-\(name.filter(\.isLetter))") }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = stateDirectory.deletingLastPathComponent().appendingPathComponent("\(UUID().uuidString)-\(name)")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// Versions 1 and 2 of `api` sleeping `first` and `second` seconds; `live` at 1; the step list's file.
    private func prepare(first: String, second: String) throws -> String {
        createFunction("api", example: "slow", "--env", "SLEEP_SECONDS=\(first)")
        XCTAssertEqual(publish("api"), 1)
        succeed("function", "update", "api", "--env", "SLEEP_SECONDS=\(second)", "--env", "RELEASE=2")
        XCTAssertEqual(publish("api"), 2)
        succeed("alias", "create", "api", "live", "--version", "1")
        let steps = try file("steps.txt", "50% 4s\nanalysis\n100%\n")
        return steps
    }

    /// Invokes `api:live` in a loop until `stopTraffic()`.
    private func startTraffic() throws -> ChildProcess {
        try shift.startShell("""
            while [ ! -e '\(stopFile.path)' ]; do "$SHIFT" invoke api:live --state-dir "$SHIFT_STATE" > /dev/null 2>&1; done
            """)
    }

    private func stopTraffic(_ traffic: ChildProcess) {
        FileManager.default.createFile(atPath: stopFile.path, contents: Data())
        _ = traffic.wait(timeout: 30)
    }

    private func analysis(pass: Int = 95, marginal: Int = 75) throws -> String {
        try file("analysis.yaml", """
            pass: \(pass)
            marginal: \(marginal)
            metrics:
              - {name: latency, metric: Duration, allowedIncrease: 0.5}
              - {name: errors, metric: Errors}

            """)
    }

    private func aliasVersion() throws -> String {
        try json("alias", "get", "api", "live")["FunctionVersion"] as? String ?? ""
    }

    func testThreeTimesSlowerVersion_failsTheAnalysis_andRollsBack() throws {
        let steps = try prepare(first: "0.03", second: "0.09")
        let traffic = try startTraffic()
        let result = run("deploy", "api", "--alias", "live", "--version", "2", "--preference-file", steps, "--analysis", try analysis(), timeout: 120)
        stopTraffic(traffic)
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertTrue((result.stdout + result.stderr).contains("latency High"), "\(result)")
        XCTAssertEqual(try aliasVersion(), "1")
    }

    func testEqualVersion_passesTheAnalysis_andSucceeds() throws {
        let steps = try prepare(first: "0.03", second: "0.03")
        let traffic = try startTraffic()
        let result = run("deploy", "api", "--alias", "live", "--version", "2", "--preference-file", steps, "--analysis", try analysis(), timeout: 120)
        stopTraffic(traffic)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertEqual(try aliasVersion(), "2")
    }

    func testMarginalScore_pauses_andPromoteContinues() throws {
        // Latency fails and errors pass: 50, between marginal 40 and pass 95.
        let steps = try prepare(first: "0.03", second: "0.09")
        let traffic = try startTraffic()
        let deploy = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference-file", steps, "--analysis", try analysis(pass: 95, marginal: 40)])
        var id: String?
        let limit = Date().addingTimeInterval(60)
        while Date() < limit, id == nil {
            usleep(200_000)
            let list = try json("deployment", "list")
            guard let deployment = (list["deployments"] as? [[String: Any]])?.first, let candidate = deployment["deploymentId"] as? String else { continue }
            let record = run("deployment", "get", candidate, "--output", "json")
            if record.stdout.contains("Paused") { id = candidate }
        }
        stopTraffic(traffic)
        let paused = try XCTUnwrap(id, "the deployment never paused")
        succeed("deployment", "promote", paused)
        let result = deploy.wait(timeout: 60)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertEqual(try aliasVersion(), "2")
    }
}

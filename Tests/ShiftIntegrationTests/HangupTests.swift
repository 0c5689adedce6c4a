import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// SIGHUP (a closed terminal or SSH session) is an interruption like SIGTERM: `deploy` and `pipeline run|resume`
/// roll back and exit 130. By default it killed the process and left traffic split until someone ran `recover`.
final class HangupTests: ShiftIntegrationTestCase {
    /// `api` with versions 1 and 2 and alias `live` on version 1.
    override func setUpWithError() throws {
        try super.setUpWithError()
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")
    }

    private let longCanary = ["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Canary50Percent30Minutes", "--poll-interval", "0.2"]

    private func alias() throws -> (version: String, weights: [String: Double]) {
        let json = try self.json("alias", "get", "api", "live")
        return (json["FunctionVersion"] as? String ?? "", (json["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:])
    }

    private func waitForSplit(timeout: TimeInterval = 20, file: StaticString = #filePath, line: UInt = #line) throws {
        let limit = Date().addingTimeInterval(timeout)
        while Date() < limit {
            if try !alias().weights.isEmpty { return }
            usleep(50_000)
        }
        XCTFail("the alias never split traffic", file: file, line: line)
    }

    private func onlyDeployment() throws -> [String: Any] {
        let list = try XCTUnwrap(try json("deployment", "list")["deployments"] as? [[String: Any]])
        XCTAssertEqual(list.count, 1)
        return try json("deployment", "get", try XCTUnwrap(list.first?["deploymentId"] as? String))
    }

    func testSIGHUPDuringDeploy_rollsBackThenExits130() throws {
        let deploy = try shift.start(longCanary)
        try waitForSplit()
        kill(deploy.processIdentifier, SIGHUP)
        let ended = deploy.wait(timeout: 30)
        XCTAssertEqual(ended.exitCode, 130, "\(ended)")
        XCTAssertEqual(try alias().version, "1")
        XCTAssertEqual(try alias().weights, [:])
        let record = try onlyDeployment()
        XCTAssertEqual(record["status"] as? String, "Stopped")
        XCTAssertEqual(record["rolledBack"] as? Bool, true)
        XCTAssertTrue((record["reason"] as? String)?.contains("SIGHUP") == true, "\(record)")
    }

    /// What a closed SSH session does: the terminal goes away (every write to it fails with EIO), then SIGHUP.
    /// Printing "stopping and rolling back" must not end the process before it has rolled back.
    func testSIGHUPAfterTheTerminalIsGone_stillRollsBack() throws {
        let master = Terminal.openMaster(O_RDWR | O_NOCTTY)
        XCTAssertGreaterThanOrEqual(master, 0)
        XCTAssertEqual(Terminal.grant(master), 0)
        XCTAssertEqual(Terminal.unlock(master), 0)
        let name = String(cString: try XCTUnwrap(Terminal.name(master)))
        let terminal = open(name, O_RDWR | O_NOCTTY)
        XCTAssertGreaterThanOrEqual(terminal, 0)

        let process = Process()
        process.executableURL = shift.binary
        process.arguments = longCanary + ["--state-dir", stateDirectory.path]
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("SHIFT") }
        process.currentDirectoryURL = shift.workingDirectory
        let handle = FileHandle(fileDescriptor: terminal, closeOnDealloc: true)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        try waitForSplit()

        try handle.close()
        close(master)
        kill(process.processIdentifier, SIGHUP)
        let limit = Date().addingTimeInterval(30)
        while process.isRunning, Date() < limit { usleep(50_000) }
        XCTAssertFalse(process.isRunning, "still running 30 s after SIGHUP")
        XCTAssertEqual(process.terminationReason, .exit, "killed by signal \(process.terminationStatus)")
        XCTAssertEqual(process.terminationStatus, 130)
        XCTAssertEqual(try alias().version, "1")
        XCTAssertEqual(try alias().weights, [:])
        XCTAssertEqual(try onlyDeployment()["status"] as? String, "Stopped")
    }

    func testSIGHUPDuringPipelineDeploy_rollsBack_andExits130() throws {
        let file = directory.url.appendingPathComponent("pipeline.yml")
        let text = """
            name: hangup
            accounts: {dev: {platform: local}}
            source: {directory: \(example("echo").path)}
            functions: {orders: {artifact: orders, handler: ./handler.sh}}
            stages:
              - {name: build, type: build, commands: ['mkdir -p out && cp handler.sh out/ && echo $SHIFT_RUN_ID > out/RELEASE'], artifacts: {orders: out}}
              - {name: dev, type: deploy, account: dev, functions: [{function: orders, alias: live, preference: Canary50Percent30Minutes, pollInterval: 0.2}]}

            """
        try Data(text.utf8).write(to: file)
        // The first run makes the alias; the second deploys a new version over it.
        XCTAssertEqual(run("pipeline", "run", file.path, "--no-wait").exitCode, 0)
        let runner = try shift.start(["pipeline", "run", file.path, "--no-wait"])
        let limit = Date().addingTimeInterval(30)
        func routing() throws -> [String: Any] { try json("alias", "get", "orders", "live", "--account", "dev") }
        func weights() throws -> [String: Double] {
            (try routing()["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:]
        }
        while Date() < limit, try weights().isEmpty { usleep(50_000) }
        XCTAssertFalse(try weights().isEmpty, "the canary never started")
        kill(runner.processIdentifier, SIGHUP)
        let result = runner.wait(timeout: 30)
        XCTAssertEqual(result.exitCode, 130, "\(result)")
        XCTAssertTrue(result.stdout.contains("interrupted by SIGHUP"), result.stdout)
        XCTAssertEqual(try routing()["FunctionVersion"] as? String, "1")
        XCTAssertEqual(try weights(), [:])
    }
}

/// The pseudo-terminal calls of the C library, which Glibc's module does not export to Swift.
private enum Terminal {
    private static func function<T>(_ name: String, as type: T.Type) -> T {
        guard let symbol = dlsym(nil, name) else { fatalError("no \(name) in the C library") }
        return unsafeBitCast(symbol, to: type)
    }

    static let openMaster = function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
    static let grant = function("grantpt", as: (@convention(c) (Int32) -> Int32).self)
    static let unlock = function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
    static let name = function("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
}

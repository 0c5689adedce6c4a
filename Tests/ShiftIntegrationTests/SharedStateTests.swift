import Foundation
import ShiftTestSupport
import XCTest

/// Two machines sharing one bucket, with the real `shift` binary on moto: each "machine" is its own state
/// directory, and the two share nothing but `s3://BUCKET/team`. Leases last 3 s here (`SHIFT_LEASE_SECONDS`).
final class SharedStateTests: MotoTestCase {
    override class var functionPrefix: String { "shared" }
    var bucket: String!
    var machineB: ShiftProcess!
    let leaseSeconds = 3.0

    var environment: [String: String] { MotoServer.environment.merging(["SHIFT_LEASE_SECONDS": String(Int(leaseSeconds))]) { _, new in new } }

    override func setUpWithError() throws {
        try super.setUpWithError()
        bucket = "shift-shared-\(Int.random(in: 100_000...999_999))"
        _ = try moto.boto3("client('s3').create_bucket(Bucket='\(bucket!)')")
        machineB = ShiftProcess(binary: shift.binary, stateDirectory: directory.url.appendingPathComponent("state-b"),
                                workingDirectory: shift.workingDirectory, decoyHome: shift.decoyHome)
        for machine in [shift!, machineB!] {
            run(on: machine, "account", "add", "moto", "--platform", "aws", "--endpoint-url", moto.endpoint.absoluteString, "--role", role!,
                "--runtime", "python3.12", "--state", "s3://\(bucket!)/team")
        }
    }

    override func tearDownWithError() throws {
        machineB?.killLeftovers()
        try super.tearDownWithError()
    }

    @discardableResult
    func run(on machine: ShiftProcess, _ arguments: String..., expecting code: Int32? = 0, file: StaticString = #filePath, line: UInt = #line) -> ProcessResult {
        let result = machine.run(["--account", "moto"].filter { _ in arguments.first != "account" } + arguments, environment: environment)
        if let code { XCTAssertEqual(result.exitCode, code, "\(result)", file: file, line: line) }
        XCTAssertFalse("\(result.stdout)\(result.stderr)".contains("moto-secret-never-printed"), "a credential leaked: \(result)", file: file, line: line)
        return result
    }

    func makeTwoVersions() throws {
        let code = directory.url.appendingPathComponent("code-\(function!)")
        try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
        try Data("def handler(event, context):\n    return event\n".utf8).write(to: code.appendingPathComponent("index.py"))
        run(on: shift, "function", "create", function, "--code", code.path, "--handler", "index.handler")
        run(on: shift, "function", "publish", function)
        run(on: shift, "function", "update", function, "--description", "v2")
        run(on: shift, "function", "publish", function)
        run(on: shift, "alias", "create", function, "live", "--version", "1")
    }

    func alias(on machine: ShiftProcess) throws -> [String: Any] {
        try run(on: machine, "alias", "get", function, "live", "--output", "json").jsonObject()
    }

    func waitForCanary(on machine: ShiftProcess, file: StaticString = #filePath, line: UInt = #line) throws {
        for _ in 0..<200 {
            let routing = try alias(on: machine)["RoutingConfig"] as? [String: Any]
            if let weights = routing?["AdditionalVersionWeights"] as? [String: Double], !weights.isEmpty { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("the canary never went live", file: file, line: line)
    }

    // MARK: The state location

    func testAccountAdd_refusesAMissingBucketAndAForeignPrefix_withExit2_savingNothing() throws {
        let missing = run(on: shift, "account", "add", "other", "--platform", "aws", "--endpoint-url", moto.endpoint.absoluteString,
                          "--state", "s3://no-such-\(bucket!)/team", expecting: 2)
        XCTAssertTrue(missing.stderr.contains("s3://no-such-\(bucket!)/team does not exist"), missing.stderr)
        _ = try moto.boto3("client('s3').put_object(Bucket='\(bucket!)', Key='foreign/terraform.tfstate', Body=b'{}')")
        let foreign = run(on: shift, "account", "add", "other", "--platform", "aws", "--endpoint-url", moto.endpoint.absoluteString,
                          "--state", "s3://\(bucket!)/foreign", expecting: 2)
        XCTAssertTrue(foreign.stderr.contains("s3://\(bucket!)/foreign/terraform.tfstate"), foreign.stderr)
        let bad = run(on: shift, "account", "add", "other", "--platform", "aws", "--state", "s3://Bad_Bucket/x", expecting: 2)
        XCTAssertTrue(bad.stderr.contains("--state"), bad.stderr)
        let local = run(on: shift, "account", "add", "other", "--platform", "local", "--state", "s3://\(bucket!)/x", expecting: 2)
        XCTAssertTrue(local.stderr.contains("local account"), local.stderr)
        XCTAssertFalse(run(on: shift, "account", "list").stdout.contains("other"))
    }

    // MARK: Leases

    func testTwoMachinesRacingForOneAlias_exactlyOneProceeds_andTheOtherNamesTheHolder() throws {
        try makeTwoVersions()
        for round in 0..<3 {
            let target = round % 2 == 0 ? "2" : "1"
            let arguments = ["--account", "moto", "deploy", function!, "--alias", "live", "--version", target, "--preference", "Canary50Percent2Seconds", "--poll-interval", "0.2"]
            let first = try shift.start(arguments, environment: environment)
            let second = try machineB.start(arguments, environment: environment)
            let results = ChildProcess.waitForAll([first, second], timeout: 90)
            let codes = results.map(\.exitCode).sorted()
            XCTAssertEqual(codes, [0, 5], "round \(round): exactly one proceeds: \(results)")
            if let refused = results.first(where: { $0.exitCode == 5 }) {
                XCTAssertTrue(refused.stderr.contains("is held by host"), refused.stderr)
                XCTAssertTrue(refused.stderr.contains("lease until"), refused.stderr)
            }
            XCTAssertEqual(try alias(on: machineB)["FunctionVersion"] as? String, target)
        }
        let listed = try run(on: machineB, "deployment", "list", "--function", function, "--output", "json").jsonObject()
        XCTAssertEqual((listed["deployments"] as? [[String: Any]])?.count, 3, "one deployment per round, from either machine: \(listed)")
    }

    func testKill9OfTheHolder_recoverWaitsForTheLease_thenRollsBack_visibleFromBothMachines() throws {
        try makeTwoVersions()
        let deploy = try shift.start(["--account", "moto", "deploy", function!, "--alias", "live", "--version", "2", "--preference", "Canary50Percent60Seconds",
                                      "--poll-interval", "0.2", "--output", "json"], environment: environment)
        try waitForCanary(on: machineB)
        kill(deploy.processIdentifier, SIGKILL)
        _ = deploy.wait(timeout: 10)

        let early = run(on: machineB, "recover", expecting: nil)
        XCTAssertTrue(early.stderr.contains("lease until") || early.stdout.contains("lease until"), "\(early)")
        XCTAssertEqual(try alias(on: machineB)["FunctionVersion"] as? String, "1")
        XCTAssertNotNil((try alias(on: machineB)["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"], "left alone while leased")

        Thread.sleep(forTimeInterval: leaseSeconds + 1)
        run(on: machineB, "recover")
        let after = try alias(on: machineB)
        XCTAssertEqual(after["FunctionVersion"] as? String, "1")
        XCTAssertEqual((after["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:], [:])
        for machine in [shift!, machineB!] {
            let listed = try run(on: machine, "deployment", "list", "--function", function, "--output", "json").jsonObject()
            let deployment = try XCTUnwrap((listed["deployments"] as? [[String: Any]])?.first, "\(listed)")
            XCTAssertEqual(deployment["status"] as? String, "Stopped", "\(deployment)")
            XCTAssertEqual(deployment["rolledBack"] as? Bool, true, "\(deployment)")
        }
    }

    func testSleeperPastItsLease_makesNoAliasChangeAfterTheTakeover_andExits5() throws {
        try makeTwoVersions()
        let deploy = try shift.start(["--account", "moto", "deploy", function!, "--alias", "live", "--version", "2", "--preference", "Canary50Percent8Seconds",
                                      "--poll-interval", "0.2"], environment: environment)
        try waitForCanary(on: machineB)
        kill(deploy.processIdentifier, SIGSTOP)
        Thread.sleep(forTimeInterval: leaseSeconds + 1)
        run(on: machineB, "recover")
        let takenOver = try alias(on: machineB)
        XCTAssertEqual(takenOver["FunctionVersion"] as? String, "1")
        let revision = try XCTUnwrap(takenOver["RevisionId"] as? String)

        kill(deploy.processIdentifier, SIGCONT)
        let sleeper = deploy.wait(timeout: 60)
        XCTAssertEqual(sleeper.exitCode, 5, "\(sleeper)")
        XCTAssertTrue(sleeper.stderr.contains("lease was taken"), sleeper.stderr)
        // Past the sleeper's canary interval: had it moved the alias, the revision would have changed.
        Thread.sleep(forTimeInterval: 1)
        let final = try alias(on: machineB)
        XCTAssertEqual(final["RevisionId"] as? String, revision, "the sleeper changed the alias after the takeover: \(final)")
        XCTAssertEqual(final["FunctionVersion"] as? String, "1")
        let record = try run(on: shift, "deployment", "list", "--function", function, "--output", "json").jsonObject()
        XCTAssertEqual((record["deployments"] as? [[String: Any]])?.first?["status"] as? String, "Stopped", "\(record)")
    }
}

import Foundation
import ShiftAWS
import ShiftCore
import ShiftLocal
import ShiftPipeline
import ShiftPlatforms
import ShiftTestSupport
import XCTest

/// A deploy stage of many functions on the AWS platform (moto) whose transport throttles the first attempt of
/// every PublishVersion, UpdateAlias and DescribeAlarms: the stage finishes, every call is retried, and each retry
/// is noted where it belongs (the function's stage log for its publish, its deployment's journal for its alias
/// changes and alarm reads), not in whichever deployment happened to look first.
final class PipelineStageThrottlingTests: XCTestCase {
    private var directory: TemporaryDirectory!
    private var moto: MotoServer!
    private var role: String!

    override func setUpWithError() throws {
        do {
            (moto, role) = try MotoServer.shared()
        } catch let unavailable as MotoServer.Unavailable {
            throw XCTSkip(unavailable.description)
        }
        directory = try TemporaryDirectory("shift-throttled-stage")
    }

    override func tearDown() {
        directory?.remove()
    }

    func testStageOfTwelve_throttledPublishUpdateAliasAndDescribeAlarms_finishes_eachRetryNotedForItsOwnFunction() async throws {
        let prefix = "thr\(Int.random(in: 10_000...99_999))"
        let functions = (0..<12).map { "\(prefix)-f\($0)" }
        let alarms = functions.map { "\($0)-errors" }
        try moto.boto3("""
        cw = client("cloudwatch")
        for name in \(alarms):
            cw.put_metric_alarm(AlarmName=name, MetricName="Errors", Namespace="AWS/Lambda", Statistic="Sum", Period=60,
                EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold")
            cw.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="quiet")
        """)
        let transport = ThrottlingTransport()
        let clock = SystemClock()
        let settings = AccountSettings(platform: .aws, region: MotoServer.region, endpointURL: moto.endpoint.absoluteString, role: role, runtime: "python3.12")
        let platform = try AWSPlatform(settings: settings, environment: MotoServer.environment, transport: transport, clock: clock,
                                       retryPolicy: RetryPolicy(maxAttempts: 3, baseDelay: 0.05))
        let journal = InMemoryJournal()
        let accounts = FixedAccounts(target: AWSDeployTarget(platform: platform, store: journal, leases: InMemoryLeaseStore(), clock: clock))
        let root = directory.url.appendingPathComponent("state")
        let runner = PipelineRunner(store: PipelineRunStore(stateRoot: root, clock: clock), accounts: accounts, commands: LocalCommandRunner(), files: LocalFileTree(),
                                    clock: clock, waitsForApproval: false)

        // The first run creates the functions and their aliases, unthrottled; the second deploys new code through
        // the engine, throttled.
        for (attempt, throttled) in [false, true].enumerated() {
            _ = try directory.writeScript("source/index.py", "def handler(event, context):\n    return {'release': \(attempt)}\n")
            let text = """
                name: fleet
                accounts: {moto: {platform: aws, region: \(MotoServer.region), endpoint: '\(moto.endpoint.absoluteString)', role: '\(role!)', runtime: python3.12}}
                source: {directory: \(directory.url.appendingPathComponent("source").path)}
                functions: {\(functions.map { "\($0): {artifact: code, handler: index.handler}" }.joined(separator: ", "))}
                stages:
                  - {name: build, type: build, commands: ['mkdir -p out && cp index.py out/'], artifacts: {code: out}}
                  - name: ship
                    type: deploy
                    account: moto
                    concurrency: 12
                    functions: [\(functions.map { "{function: \($0), alias: live, preference: Canary50Percent2Seconds, pollInterval: 0.5, alarms: [\($0)-errors]}" }.joined(separator: ", "))]
                """
            let parsed = PipelineParser.parse(text, file: "fleet.yml")
            let pipeline = try XCTUnwrap(parsed.pipeline, parsed.issues.map(\.description).joined(separator: "\n"))
            transport.isThrottling = throttled
            var generator = SystemRandomNumberGenerator()
            let run = try await runner.create(pipeline, file: directory.url.appendingPathComponent("fleet.yml"), id: PipelineRun.makeID(using: &generator))
            let (_, outcome) = try await runner.run(run.id)
            let log = try String(contentsOf: PipelineRunStore(stateRoot: root, clock: clock).logFile(run.id, stage: "ship"), encoding: .utf8)
            XCTAssertEqual(outcome, RunOutcome.succeeded, log)
            guard throttled else { continue }

            let throttledCalls = transport.throttled
            for operation in ["PublishVersion", "UpdateAlias", "DescribeAlarms"] {
                XCTAssertTrue(throttledCalls.contains { $0.operation == operation }, "\(operation) was throttled: \(throttledCalls)")
            }
            let deployments = try await journal.deployments(function: nil, status: nil)
            XCTAssertEqual(deployments.count, 12)
            var alarmReadNotices = 0
            for function in functions {
                let deployment = try XCTUnwrap(deployments.first { $0.request.functionName == function })
                XCTAssertEqual(deployment.status, .succeeded, "\(deployment.events.map(\.message))")
                let notices = deployment.events.filter { $0.kind == .platformNotice }.map(\.message)
                // Its own alias changes, each throttled once and retried, and nobody else's.
                let ownUpdates = throttledCalls.filter { $0.operation == "UpdateAlias" && $0.function == function }.count
                XCTAssertEqual(notices.filter { $0.hasPrefix("Lambda UpdateAlias: attempt 2 after TooManyRequestsException") }.count, ownUpdates, "\(function): \(notices)")
                XCTAssertGreaterThanOrEqual(ownUpdates, 2, "10 % then 100 %")
                XCTAssertFalse(notices.contains { $0.contains("PublishVersion") }, "publishing is noted in the stage log: \(notices)")
                alarmReadNotices += notices.filter { $0.hasPrefix("CloudWatch DescribeAlarms: attempt 2 after Throttling") }.count
                // Its publish, retried, in the stage log under its name.
                XCTAssertTrue(log.contains("\(function):live: Lambda PublishVersion: attempt 2 after TooManyRequestsException"), log)
                let alias = try await platform.alias("live", of: function)
                XCTAssertEqual(alias.routing, .single(2))
            }
            XCTAssertGreaterThan(alarmReadNotices, 0, "a throttled alarm read is noted by the deployments that waited for it")
            XCTAssertTrue(log.contains("alarms: 12 alarm names of 12 functions read in"), log)
        }
    }
}

/// Every deploy stage ships to one target.
private struct FixedAccounts: PipelineAccounts {
    let target: any DeployTarget

    func target(for account: PipelineAccount, stage: String) throws -> any DeployTarget { target }

    func resolver(for account: PipelineAccount, stage: String) throws -> any ParameterResolver {
        throw ShiftCoreError.refused(reason: "no parameters in these tests")
    }
}

/// Sends to moto, but answers the first attempt of each distinct PublishVersion, UpdateAlias and DescribeAlarms
/// with throttling, as Lambda (429 TooManyRequestsException) and CloudWatch (400 Throttling) do.
private final class ThrottlingTransport: HTTPTransport, @unchecked Sendable {
    struct Call: Equatable {
        var operation: String
        var function: String?
    }

    private let inner = AsyncHTTPClientTransport()
    // Guarded by `lock`.
    private let lock = NSLock()
    private var throttling = false
    private var seen: Set<String> = []
    private var calls: [Call] = []

    var isThrottling: Bool {
        get { lock.withLock { throttling } }
        set { lock.withLock { throttling = newValue } }
    }

    /// The calls answered with throttling, in order.
    var throttled: [Call] { lock.withLock { calls } }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        if let call = Self.call(in: request) {
            let key = "\(request.method) \(request.url.path) \(String(decoding: request.body, as: UTF8.self))"
            let throttle: Bool = lock.withLock {
                guard throttling, seen.insert(key).inserted else { return false }
                calls.append(call)
                return true
            }
            if throttle {
                if call.operation == "DescribeAlarms" {
                    return HTTPResponse(status: 400, headers: ["content-type": "application/x-amz-json-1.0"], body: Data(#"{"__type": "Throttling", "message": "Rate exceeded"}"#.utf8))
                }
                return HTTPResponse(status: 429, headers: ["content-type": "application/json", "x-amzn-errortype": "TooManyRequestsException"],
                                    body: Data(#"{"Type": "User", "message": "Rate exceeded"}"#.utf8))
            }
        }
        return try await inner.send(request, timeout: timeout)
    }

    /// The throttled operations: Lambda's by method and path, CloudWatch's by its X-Amz-Target.
    private static func call(in request: HTTPRequest) -> Call? {
        let parts = request.url.path.split(separator: "/").map(String.init)
        if let target = request.headers.first(where: { $0.key.lowercased() == "x-amz-target" })?.value, target.hasSuffix(".DescribeAlarms") {
            return Call(operation: "DescribeAlarms")
        }
        guard let functions = parts.firstIndex(of: "functions"), functions + 2 < parts.count else { return nil }
        let function = parts[functions + 1].removingPercentEncoding ?? parts[functions + 1]
        switch (request.method, parts[functions + 2]) {
        case ("PUT", "aliases"): return Call(operation: "UpdateAlias", function: function)
        case ("POST", "versions"): return Call(operation: "PublishVersion", function: function)
        default: return nil
        }
    }
}

import Foundation
import XCTest

/// Python and Node.js handlers through the real binary: `function create --runtime`, `invoke`, and a deployment
/// whose alarm watches a real handler's exceptions.
final class RuntimeCommandTests: ShiftIntegrationTestCase {
    override func setUpWithError() throws {
        try super.setUpWithError()
        // The system's interpreters first: a version manager's shim (pyenv's) costs every invocation a
        // shell script's start-up, seconds on a loaded machine, which would time handlers out.
        addEnvironment(["PATH": "/usr/bin:/bin:" + (ProcessInfo.processInfo.environment["PATH"] ?? "")])
    }

    private let order = #"{"orderId": "o-1", "items": [{"sku": "A1", "quantity": 2, "price": 4.5}, {"sku": "B2", "quantity": 1, "price": 0.99}]}"#

    private func createOrders(_ name: String = "orders", example: String = "python-orders", runtime: String = "python3.12", handler: String = "app.lambda_handler", _ extra: String...) {
        shift.runChecked(["function", "create", name, "--code", self.example(example).path, "--runtime", runtime, "--handler", handler] + extra)
    }

    private func response(_ result: ProcessResult) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout)
    }

    func testPythonFunction_createdWithARuntime_isInvokedWithLambdasProgrammingModel() throws {
        createOrders()
        let result = succeed("invoke", "orders", "--payload", order, "--log")
        let response = try response(result)
        XCTAssertEqual(response["total"] as? Double, 9.99)
        XCTAssertEqual(response["version"] as? String, "$LATEST")
        XCTAssertEqual(response["currency"] as? String, "EUR")
        XCTAssertTrue(result.stderr.contains("priced order o-1: 2 items, total 9.99"), "the handler's print is the log: \(result.stderr)")
    }

    func testFunctionGetJSON_showsRuntimeAndHandler_asLambdaDoes() throws {
        createOrders()
        let function = try json("function", "get", "orders")
        XCTAssertEqual(function["Runtime"] as? String, "python3.12")
        XCTAssertEqual(function["Handler"] as? String, "app.lambda_handler")
        XCTAssertEqual(publish("orders"), 1)
        XCTAssertEqual(try json("function", "get", "orders:1")["Runtime"] as? String, "python3.12", "the version snapshots the runtime")
    }

    func testFunctionUpdate_changesRuntimeAndHandler() throws {
        createOrders("orders", example: "node-orders", runtime: "python3.12", handler: "app.lambda_handler")
        succeed("function", "update", "orders", "--runtime", "nodejs20.x", "--handler", "index.handler")
        let function = try json("function", "get", "orders")
        XCTAssertEqual(function["Runtime"] as? String, "nodejs20.x")
        XCTAssertEqual(function["Handler"] as? String, "index.handler")
        XCTAssertEqual(try response(succeed("invoke", "orders", "--payload", order))["total"] as? Double, 9.99)
    }

    func testNodeFunction_isInvokedWithLambdasProgrammingModel() throws {
        createOrders("orders", example: "node-orders", runtime: "nodejs22.x", handler: "index.handler")
        let response = try response(succeed("invoke", "orders", "--payload", order))
        XCTAssertEqual(response["total"] as? Double, 9.99)
        XCTAssertNotNil(UUID(uuidString: response["requestId"] as? String ?? ""), "\(response)")
    }

    func testInvoke_whenTheHandlerRaises_exitsOneWithLambdasErrorDocument() throws {
        createOrders()
        let failed = run("invoke", "orders", "--payload", #"{"items": "not a list"}"#)
        XCTAssertEqual(failed.exitCode, 1, "\(failed)")
        let error = try response(failed)
        XCTAssertEqual(error["errorType"] as? String, "InvalidOrder")
        XCTAssertEqual(error["errorMessage"] as? String, "items must be a list")
        XCTAssertFalse((error["stackTrace"] as? [String] ?? []).isEmpty)
        XCTAssertTrue(failed.stderr.contains("orders:$LATEST failed: Unhandled"), failed.stderr)

        let json = run("invoke", "orders", "--payload", #"{"items": 1}"#, "--output", "json")
        XCTAssertEqual(json.exitCode, 1)
        let view = try response(json)
        XCTAssertEqual(view["FunctionError"] as? String, "Unhandled")
    }

    func testCreate_whenTheInterpreterIsMissing_exitsTwoNamingIt() throws {
        let result = run("function", "create", "orders", "--code", example("python-orders").path, "--runtime", "python3.12", "--handler", "app.lambda_handler",
                         environment: ["PATH": directory.url.path])
        assertBadInput(result, mentions: ["python3.12", "'python3'", "PATH"])
        XCTAssertEqual(run("function", "get", "orders").exitCode, 2, "nothing was created")
    }

    func testCreate_withABadHandlerOrUnknownRuntime_exitsTwo() throws {
        assertBadInput(run("function", "create", "orders", "--code", example("python-orders").path, "--runtime", "python3.12", "--handler", "./handler.sh"),
                       mentions: ["--handler", "./handler.sh", "app.lambda_handler"])
        assertBadInput(run("function", "create", "orders", "--code", example("python-orders").path, "--runtime", "ruby3.3", "--handler", "app.handler"),
                       mentions: ["ruby3.3", "python3"])
    }

    /// A pipeline's function entry with `runtime:` ships a Python handler, its PreTraffic hook a Python handler too.
    func testPipeline_withARuntimeFunction_deploysItThroughAPythonPreTrafficHook() throws {
        // Version 1 behind the alias, so the pipeline's deployment of version 2 shifts traffic and runs the hook.
        createOrders("orders", example: "python-orders", runtime: "python3.12", handler: "app.lambda_handler", "--account", "dev")
        XCTAssertEqual(Int(succeed("function", "publish", "orders", "--account", "dev").stdout.trimmingCharacters(in: .whitespacesAndNewlines)), 1)
        succeed("alias", "create", "orders", "live", "--version", "1", "--account", "dev")
        shift.runChecked(["function", "create", "orders-pretraffic", "--code", example("python-orders").path, "--runtime", "python3.12", "--handler", "hooks.pre_traffic",
                          "--timeout", "30", "--env", "SHIFT=\(shift.binary.path)", "--env", "SHIFT_HOME=\(stateDirectory.path)", "--env", "ACCOUNT=dev", "--account", "dev"])
        let file = directory.url.appendingPathComponent("pipeline.yml")
        try Data("""
            name: orders
            accounts: {dev: {platform: local}}
            source: {directory: \(example("python-orders").path)}
            functions:
              orders: {artifact: orders, runtime: python3.12, handler: app.lambda_handler, environment: {CURRENCY: USD}}
            stages:
              - {name: build, type: build, commands: ['mkdir -p out && cp app.py out/'], artifacts: {orders: out}}
              - name: dev
                type: deploy
                account: dev
                functions:
                  - {function: orders, alias: live, preference: AllAtOnce, preTraffic: orders-pretraffic}
            """.utf8).write(to: file)
        succeed("pipeline", "validate", file.path)
        let result = run("pipeline", "run", file.path, timeout: 120)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        let function = try json("function", "get", "orders:live", "--account", "dev")
        XCTAssertEqual(function["Runtime"] as? String, "python3.12")
        XCTAssertEqual(function["Version"] as? String, "2")
        let invoked = succeed("invoke", "orders:live", "--payload", order, "--account", "dev")
        XCTAssertEqual(try response(invoked)["currency"] as? String, "USD")
        let hookRuns = try recordedMetrics("orders-pretraffic", "--account", "dev")
        XCTAssertGreaterThan(hookRuns.totalInvocations, 0, "the PreTraffic hook ran")
    }

    /// Version 2 raises on about half its events; the alarm on Errors sees it and the deployment rolls back.
    func testCanaryBetweenTwoPythonVersions_rollsBackWhenVersionTwoRaisesOnHalfItsEvents() throws {
        // A generous timeout: on a loaded machine an interpreter's start can take seconds, and a timeout would be an
        // error of version 1's, which never raises.
        createOrders("orders", example: "python-orders", runtime: "python3.12", handler: "app.lambda_handler", "--env", "FAILURE_RATE=0", "--timeout", "15")
        XCTAssertEqual(publish("orders"), 1)
        succeed("function", "update", "orders", "--env", "FAILURE_RATE=0.5")
        XCTAssertEqual(publish("orders"), 2)
        succeed("alias", "create", "orders", "live", "--version", "1")
        putErrorsAlarm("orders-errors", function: "orders")
        let traffic = try shift.start(["traffic", "orders:live", "--rate", "5", "--duration", "15", "--payload", order])
        let result = run("deploy", "orders", "--alias", "live", "--version", "2", "--preference", "Canary50Percent30Seconds",
                         "--alarm", "orders-errors", "--poll-interval", "0.2", timeout: 60)
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertLessThan(result.seconds, 25, "the alarm ends the 30-second canary early")
        XCTAssertTrue(result.stderr.contains("rolled back to version 1"), result.stderr)
        let alias = try json("alias", "get", "orders", "live")
        XCTAssertEqual(alias["FunctionVersion"] as? String, "1")
        XCTAssertNil(alias["RoutingConfig"].flatMap { ($0 as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] }?.first)
        _ = traffic.wait(timeout: 30)
        let metrics = try recordedMetrics("orders")
        XCTAssertGreaterThan(metrics.errors["2"] ?? 0, 0, "version 2 raised for real")
        XCTAssertEqual(metrics.errors["1"] ?? 0, 0, "version 1 never raised")
    }
}

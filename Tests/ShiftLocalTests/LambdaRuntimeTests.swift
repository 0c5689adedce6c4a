import Foundation
import ShiftCore
@testable import ShiftLocal
import ShiftStorage
import ShiftTestSupport
import XCTest

/// Python and Node.js handlers run through their bootstraps with Lambda's programming model: the event, a context
/// object, the return value as the response on its own channel, and Lambda's error document.
final class LambdaRuntimeTests: XCTestCase {
    var directory: TemporaryDirectory!
    var platform: LocalPlatform!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        platform = LocalPlatform(state: try StateDirectory(root: directory.url.appendingPathComponent("state"), account: "default"), clock: ManualClock(),
                                 parameters: FixedParameters(values: ["/orders/token": "s3cr3t-t0ken"]))
    }

    override func tearDown() { directory.remove() }

    /// Creates `orders` from `files` (paths relative to the code directory) and invokes `qualifier` with `event`.
    @discardableResult
    private func invoke(runtime: String, handler: String, files: [String: String], event: String = "{}", timeout: TimeInterval = 3,
                        environment: [String: String] = [:], publish: Bool = false) async throws -> InvocationResult {
        let code = directory.url.appendingPathComponent("code")
        for (path, content) in files {
            let url = code.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        let configuration = try FunctionConfiguration(handler: handler, runtime: runtime, timeout: timeout, environment: environment)
        _ = try await platform.createFunction("orders", code: code, configuration: configuration, creation: FunctionCreation())
        var qualifier = FunctionQualifier.latest
        if publish {
            _ = try await platform.publish("orders", description: "")
            qualifier = .version(1)
        }
        return try await platform.invoke("orders", qualifier: qualifier, payload: Data(event.utf8))
    }

    private func json(_ data: Data) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
    }

    /// Asserts an `Unhandled` error whose document has `type` and, when given, `message`.
    private func assertUnhandled(_ result: InvocationResult, type: String, message: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(result.functionError, "Unhandled", file: file, line: line)
        let document = try json(result.payload)
        XCTAssertEqual(document["errorType"] as? String, type, file: file, line: line)
        if let message { XCTAssertEqual(document["errorMessage"] as? String, message, file: file, line: line) }
    }

    /// Points `orders` at `handler` and invokes it.
    private func invokeUpdated(handler: String) async throws -> InvocationResult {
        _ = try await platform.updateFunction("orders", change: FunctionChange(handler: handler))
        return try await platform.invoke("orders", qualifier: .latest, payload: Data("{}".utf8))
    }

    // MARK: Python

    func testPythonContext_carriesLambdasFields() async throws {
        let result = try await invoke(runtime: "python3.12", handler: "app.lambda_handler", files: ["app.py": """
            def lambda_handler(event, context):
                return {
                    "function_name": context.function_name, "function_version": context.function_version,
                    "invoked_function_arn": context.invoked_function_arn, "aws_request_id": context.aws_request_id,
                    "memory_limit_in_mb": context.memory_limit_in_mb, "remaining": context.get_remaining_time_in_millis(),
                    "log_group_name": context.log_group_name, "log_stream_name": context.log_stream_name, "event": event,
                }
            """], event: #"{"id": 7}"#, publish: true)
        XCTAssertNil(result.functionError, result.logTail)
        let response = try json(result.payload)
        XCTAssertEqual(response["function_name"] as? String, "orders")
        XCTAssertEqual(response["function_version"] as? String, "1")
        XCTAssertEqual(response["invoked_function_arn"] as? String, "arn:aws:lambda:local:000000000000:function:orders:1")
        XCTAssertNotNil(UUID(uuidString: try XCTUnwrap(response["aws_request_id"] as? String)))
        XCTAssertEqual(response["memory_limit_in_mb"] as? String, "128", "a string, as awslambdaric gives it")
        XCTAssertEqual(response["log_group_name"] as? String, "/aws/lambda/orders")
        XCTAssertTrue((response["log_stream_name"] as? String)?.contains("/[1]") == true, "\(response)")
        XCTAssertEqual(response["event"] as? [String: Int], ["id": 7])
        let remaining = try XCTUnwrap(response["remaining"] as? Int)
        XCTAssertTrue((1000...3000).contains(remaining), "\(remaining) ms of a 3 s timeout")
    }

    func testPythonRemainingTime_countsDownToTheTimeout() async throws {
        let result = try await invoke(runtime: "python3.12", handler: "app.handler", files: ["app.py": """
            import time
            def handler(event, context):
                before = context.get_remaining_time_in_millis()
                time.sleep(0.5)
                return [before, context.get_remaining_time_in_millis()]
            """], timeout: 2)
        let times = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.payload) as? [Int])
        // Counted from the invocation's start, so the interpreter's start-up (slow on a loaded machine) is already spent.
        XCTAssertLessThanOrEqual(times[0], 2000)
        XCTAssertGreaterThan(times[0], 500)
        XCTAssertTrue((450...1000).contains(times[0] - times[1]), "\(times): half a second passed")
    }

    func testPythonHandlerThatNeverReturns_isKilledAtTheTimeout() async throws {
        let result = try await invoke(runtime: "python3.12", handler: "app.handler", files: ["app.py": """
            import time
            def handler(event, context):
                print("waiting forever")
                while True:
                    time.sleep(1)
            """], timeout: 3)
        XCTAssertEqual(result.functionError, "Task timed out after 3 seconds")
        XCTAssertEqual(result.functionErrorType, "Unhandled")
        XCTAssertEqual(try json(result.payload)["errorType"] as? String, "Sandbox.Timedout")
        XCTAssertLessThan(result.duration, 5)
        XCTAssertTrue(result.logTail.contains("waiting forever"), "unbuffered: the print reaches the log before the kill")
    }

    func testPythonPrints_goToTheLog_andDoNotCorruptTheResponse() async throws {
        let result = try await invoke(runtime: "python3.12", handler: "app.handler", files: ["app.py": """
            import os, sys
            def handler(event, context):
                print("to stdout")
                sys.stdout.write("{not json")
                sys.stderr.write("to stderr\\n")
                os.write(1, b"raw fd 1\\n")
                return {"ok": True}
            """])
        XCTAssertNil(result.functionError)
        XCTAssertEqual(String(decoding: result.payload, as: UTF8.self), #"{"ok": true}"#)
        for line in ["to stdout", "{not json", "to stderr", "raw fd 1"] {
            XCTAssertTrue(result.logTail.contains(line), "\(line) in \(result.logTail)")
        }
    }

    func testPythonLargeResponse_arrivesWhole() async throws {
        let result = try await invoke(runtime: "python3.12", handler: "app.handler", files: ["app.py": """
            def handler(event, context):
                return {"blob": "x" * 5000000}
            """])
        XCTAssertNil(result.functionError)
        XCTAssertEqual(result.payload.count, 5_000_000 + #"{"blob": ""}"#.utf8.count)
        XCTAssertEqual((try json(result.payload)["blob"] as? String)?.count, 5_000_000)
    }

    func testPythonResponseOverSixMegabytes_isLambdasSizeError() async throws {
        let result = try await invoke(runtime: "python3.12", handler: "app.handler", files: ["app.py": """
            def handler(event, context):
                return "x" * 7000000
            """])
        XCTAssertEqual(result.functionError, "Unhandled")
        XCTAssertEqual(try json(result.payload)["errorType"] as? String, "Function.ResponseSizeTooLarge")
    }

    func testPythonUnicode_inAndOut() async throws {
        let result = try await invoke(runtime: "python3.12", handler: "app.handler", files: ["app.py": """
            def handler(event, context):
                print("log: " + event["name"])
                return {"greeting": "héllo " + event["name"]}
            """], event: #"{"name": "Zoë 🚀 日本"}"#)
        XCTAssertEqual(try json(result.payload)["greeting"] as? String, "héllo Zoë 🚀 日本")
        XCTAssertTrue(result.logTail.contains("log: Zoë 🚀 日本"), result.logTail)
    }

    func testPythonException_isUnhandled_withErrorTypeMessageAndStackTrace_andCountsAsAnError() async throws {
        let result = try await invoke(runtime: "python3.12", handler: "app.handler", files: ["app.py": """
            def handler(event, context):
                raise ValueError("order 7 is bad")
            """])
        XCTAssertEqual(result.functionError, "Unhandled")
        XCTAssertNil(result.functionErrorReason)
        let error = try json(result.payload)
        XCTAssertEqual(error["errorType"] as? String, "ValueError")
        XCTAssertEqual(error["errorMessage"] as? String, "order 7 is bad")
        let stack = try XCTUnwrap(error["stackTrace"] as? [String])
        XCTAssertTrue(stack.contains { $0.contains("app.py") && $0.contains("in handler") }, "\(stack)")
        XCTAssertFalse(stack.contains { $0.contains("bootstrap") }, "the bootstrap's own frame is left out, as Lambda's is")
        XCTAssertTrue(result.logTail.contains("[ERROR] ValueError: order 7 is bad"), result.logTail)
        let records = try platform.metricsLog(of: "orders").records()
        XCTAssertEqual(records.map(\.isError), [true])
    }

    func testPythonHandlerInAPackageSubdirectory_isImportedByItsPath() async throws {
        let result = try await invoke(runtime: "python3.11", handler: "pkg/orders/app.handler", files: [
            "pkg/orders/app.py": "from pkg.orders import helper\ndef handler(event, context):\n    return helper.answer()\n",
            "pkg/orders/helper.py": "def answer():\n    return 42\n",
        ])
        XCTAssertNil(result.functionError, String(decoding: result.payload, as: UTF8.self))
        XCTAssertEqual(String(decoding: result.payload, as: UTF8.self), "42")
    }

    func testPythonMissingModuleOrFunction_isLambdasImportOrHandlerError() async throws {
        let missingModule = try await invoke(runtime: "python3.12", handler: "nothere.handler", files: ["app.py": "def handler(e, c):\n    return 1\n"])
        try assertUnhandled(missingModule, type: "Runtime.ImportModuleError", message: "Unable to import module 'nothere': No module named 'nothere'")
        try assertUnhandled(try await invokeUpdated(handler: "app.missing"), type: "Runtime.HandlerNotFound", message: "Handler 'missing' missing on module 'app'")
    }

    func testPythonEnvironment_hasLambdasVariables_andTheFunctionsOwn_withSecretsMasked() async throws {
        let result = try await invoke(runtime: "python3.12", handler: "app.handler", files: ["app.py": """
            import os
            def handler(event, context):
                print("token is " + os.environ["TOKEN"])
                names = ["AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_REGION",
                         "AWS_EXECUTION_ENV", "_HANDLER", "STAGE", "TOKEN"]
                return {name: os.environ.get(name) for name in names}
            """], environment: ["STAGE": "test", "TOKEN": "{{param:/orders/token}}", "AWS_REGION": "eu-west-1"])
        let variables = try json(result.payload) as? [String: String]
        XCTAssertEqual(variables, [
            "AWS_LAMBDA_FUNCTION_NAME": "orders", "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
            "AWS_REGION": "local", "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12", "_HANDLER": "app.handler", "STAGE": "test", "TOKEN": "****",
        ], "Lambda's reserved variables win; the resolved secret is masked in the response")
        XCTAssertTrue(result.logTail.contains("token is ****"), result.logTail)
        XCTAssertFalse(result.logTail.contains("s3cr3t"))
    }

    func testLogStreamDay_isTheUTCDate_asLambdaNamesItsStreams() {
        XCTAssertEqual(LocalPlatform.logStreamDay(Date(timeIntervalSince1970: 1_764_719_999.999)), "2025/12/02")
        XCTAssertEqual(LocalPlatform.logStreamDay(Date(timeIntervalSince1970: 951_782_400)), "2000/02/29")
    }

    func testPython_writesNoBytecodeIntoTheCodeDirectory() async throws {
        _ = try await invoke(runtime: "python3.12", handler: "app.handler", files: ["app.py": "def handler(e, c):\n    return 1\n"], publish: true)
        let versionCode = platform.functions.codeDirectory(of: "orders", version: 1)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: versionCode.path), ["app.py"])
    }

    // MARK: Node.js

    func testNodeAsyncHandler_returnsItsValue_withTheContext() async throws {
        let result = try await invoke(runtime: "nodejs20.x", handler: "index.handler", files: ["index.js": """
            exports.handler = async (event, context) => {
              console.log('handling', event.id);
              await new Promise((resolve) => setTimeout(resolve, 50));
              return { id: event.id, functionName: context.functionName, functionVersion: context.functionVersion,
                       invokedFunctionArn: context.invokedFunctionArn, awsRequestId: context.awsRequestId,
                       memoryLimitInMB: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis(),
                       waits: context.callbackWaitsForEmptyEventLoop };
            };
            """], event: #"{"id": "é🚀"}"#)
        XCTAssertNil(result.functionError, result.logTail)
        let response = try json(result.payload)
        XCTAssertEqual(response["id"] as? String, "é🚀")
        XCTAssertEqual(response["functionName"] as? String, "orders")
        XCTAssertEqual(response["functionVersion"] as? String, "$LATEST")
        XCTAssertEqual(response["invokedFunctionArn"] as? String, "arn:aws:lambda:local:000000000000:function:orders")
        XCTAssertNotNil(UUID(uuidString: try XCTUnwrap(response["awsRequestId"] as? String)))
        XCTAssertEqual(response["memoryLimitInMB"] as? String, "128")
        XCTAssertEqual(response["waits"] as? Bool, true)
        XCTAssertTrue((1000...3000).contains(try XCTUnwrap(response["remaining"] as? Int)))
        XCTAssertTrue(result.logTail.contains("handling é🚀"), result.logTail)
    }

    func testNodePromiseHandler_returnsTheResolvedValue() async throws {
        let result = try await invoke(runtime: "nodejs22.x", handler: "index.handler", files: ["index.js": """
            exports.handler = (event) => new Promise((resolve) => setTimeout(() => resolve({ doubled: event.n * 2 }), 20));
            """], event: #"{"n": 21}"#)
        XCTAssertEqual(String(decoding: result.payload, as: UTF8.self), #"{"doubled":42}"#)
    }

    func testNodeCallbackHandler_answersWithTheCallbacksResult_andItsError() async throws {
        let result = try await invoke(runtime: "nodejs20.x", handler: "index.handler", files: ["index.js": """
            exports.handler = function (event, context, callback) {
              if (event.fail) { callback(new TypeError('no such order')); return; }
              setTimeout(() => callback(null, { ok: true }), 10);
            };
            """])
        XCTAssertEqual(String(decoding: result.payload, as: UTF8.self), #"{"ok":true}"#)

        let failed = try await platform.invoke("orders", qualifier: .latest, payload: Data(#"{"fail": true}"#.utf8))
        XCTAssertEqual(failed.functionError, "Unhandled")
        let error = try json(failed.payload)
        XCTAssertEqual(error["errorType"] as? String, "TypeError")
        XCTAssertEqual(error["errorMessage"] as? String, "no such order")
        XCTAssertTrue((error["trace"] as? [String])?.first == "TypeError: no such order", "Node's Lambda runtime calls the stack 'trace': \(error)")
    }

    func testNodeCallbackWaitsForEmptyEventLoopFalse_answersAtOnce() async throws {
        let result = try await invoke(runtime: "nodejs20.x", handler: "index.handler", files: ["index.js": """
            exports.handler = (event, context, callback) => {
              context.callbackWaitsForEmptyEventLoop = false;
              setInterval(() => {}, 1000);
              callback(null, 'done');
            };
            """], timeout: 2)
        XCTAssertNil(result.functionError, "the open interval does not hold the invocation")
        XCTAssertEqual(String(decoding: result.payload, as: UTF8.self), #""done""#)
    }

    func testNodeThrownErrorAndPrints_areLambdasErrorDocument_withTheLogApart() async throws {
        let result = try await invoke(runtime: "nodejs22.x", handler: "src/index.handler", files: ["src/index.mjs": """
            export const handler = async () => {
              console.log('{"looks": "like a response"}');
              throw new RangeError('out of stock');
            };
            """])
        XCTAssertEqual(result.functionError, "Unhandled")
        let error = try json(result.payload)
        XCTAssertEqual(error["errorType"] as? String, "RangeError")
        XCTAssertEqual(error["errorMessage"] as? String, "out of stock")
        XCTAssertTrue(result.logTail.contains(#"{"looks": "like a response"}"#))
    }

    func testNodeMissingModuleOrHandler_isLambdasImportOrHandlerError() async throws {
        let result = try await invoke(runtime: "nodejs20.x", handler: "main.handler", files: ["index.js": "exports.handler = async () => 1;\n"])
        try assertUnhandled(result, type: "Runtime.ImportModuleError")
        try assertUnhandled(try await invokeUpdated(handler: "index.nothing"), type: "Runtime.HandlerNotFound", message: "index.nothing is undefined or not exported")
    }

    // MARK: Configuration

    func testCreate_withARuntimeTheLocalPlatformDoesNotRun_isRefused() async throws {
        let code = try directory.writeScript("code/app.rb", "").deletingLastPathComponent()
        let configuration = try FunctionConfiguration(handler: "app.handler", runtime: "ruby3.3")
        do {
            _ = try await platform.createFunction("orders", code: code, configuration: configuration, creation: FunctionCreation())
            XCTFail("created")
        } catch let error as LocalPlatformError {
            XCTAssertEqual(error, .unsupportedRuntime("ruby3.3"))
            XCTAssertEqual(error.category, .badInput)
        }
        XCTAssertThrowsError(try platform.functions.function("orders"), "nothing was written")
    }

    func testCreate_whenTheInterpreterIsNotOnPath_namesIt() async throws {
        let platform = LocalPlatform(state: try StateDirectory(root: directory.url.appendingPathComponent("state"), account: "default"), clock: ManualClock(),
                                     processEnvironment: ["PATH": "/nonexistent"])
        let code = try directory.writeScript("code/app.py", "").deletingLastPathComponent()
        do {
            _ = try await platform.createFunction("orders", code: code, configuration: try FunctionConfiguration(handler: "app.handler", runtime: "python3.12"), creation: FunctionCreation())
            XCTFail("created")
        } catch let error as LocalPlatformError {
            XCTAssertEqual(error.errorDescription, "runtime python3.12 needs 'python3', which is in none of PATH's directories (/nonexistent); install it or add its directory to PATH")
            XCTAssertEqual(error.category, .badInput)
        }
    }

    func testHandlerName_mustBeModuleDotFunction_forPythonAndNode() {
        for (handler, runtime) in [("app", "python3.12"), ("./handler.sh", "nodejs20.x"), ("app.", "python3.12"), ("../up.handler", "python3.12"), ("pkg//app.handler", "python3.12"), (".handler", "nodejs22.x")] {
            XCTAssertThrowsError(try FunctionConfiguration(handler: handler, runtime: runtime), handler) { error in
                XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
            }
        }
        XCTAssertNoThrow(try FunctionConfiguration(handler: "pkg/app.handler", runtime: "python3.12"))
        XCTAssertNoThrow(try FunctionConfiguration(handler: "bootstrap", runtime: "provided.al2023"), "other runtimes name handlers their own way")
        XCTAssertThrowsError(try FunctionConfiguration(handler: "app.handler", runtime: "Python 3"))
    }

    func testRuntimes_acceptedByTheLocalPlatform() throws {
        XCTAssertEqual(try LambdaRuntime("python3.12"), .python("python3.12"))
        XCTAssertEqual(try LambdaRuntime("nodejs22.x"), .node("nodejs22.x"))
        for unsupported in ["python2.7", "nodejs16.x", "java21", "provided.al2023", "nodejs.x"] {
            XCTAssertThrowsError(try LambdaRuntime(unsupported), unsupported)
        }
    }

    // MARK: Bootstraps

    func testBootstrap_isWrittenOnce_andRewrittenWhenDamaged() throws {
        let bootstraps = RuntimeBootstraps(directory: directory.url.appendingPathComponent("runtimes"))
        let file = try bootstraps.file(for: .python("python3.12"))
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), PythonBootstrap.source)
        let written = try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date
        Thread.sleep(forTimeInterval: 0.02)
        XCTAssertEqual(try bootstraps.file(for: .python("python3.12")), file)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: file.path)[.modificationDate] as? Date, written, "not written again")

        try Data("# truncated".utf8).write(to: file)
        XCTAssertEqual(try bootstraps.file(for: .python("python3.12")), file)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), PythonBootstrap.source, "a damaged bootstrap is replaced")
        XCTAssertNotEqual(try bootstraps.file(for: .node("nodejs20.x")).deletingLastPathComponent(), file.deletingLastPathComponent())
    }
}

/// Parameters with fixed values.
private struct FixedParameters: ParameterResolver {
    var values: [String: String]

    func resolve(_ name: String) async throws -> String {
        guard let value = values[name] else { throw ShiftCoreError.notFound(kind: "parameter", name: name, hint: "") }
        return value
    }
}

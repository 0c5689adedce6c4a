import Foundation
import ShiftLocal

/// A warm Python handler (`Examples/python-orders`, runtime python3.12) through `shift invoke`, against `python3 -c`
/// importing and calling the same handler directly, in the same run.
///
/// "Warm" is as warm as the local platform gets: the bootstrap is already written and Python's bytecode cache is
/// filled by a first invocation; every invocation still starts an interpreter, as the direct run does.
enum PythonRuntimeBenchmark {
    static let runs = 30
    static let order = #"{"orderId": "o-1", "items": [{"sku": "A1", "quantity": 2, "price": 4.5}]}"#

    @MainActor
    static func run(shift: String, repository: String, scratch: URL, environment: [String: String]) throws {
        let code = "\(repository)/Examples/python-orders"
        for arguments in [["function", "create", "orders-py", "--code", code, "--runtime", "python3.12", "--handler", "app.lambda_handler"],
                          ["function", "publish", "orders-py"], ["alias", "create", "orders-py", "live", "--version", "1"],
                          ["invoke", "orders-py:live", "--payload", order]] {
            let status = try Benchmark.run(shift, arguments, environment: environment)
            guard status == 0 else { fatalError("shift \(arguments.joined(separator: " ")) exited \(status)") }
        }
        // The same work as the bootstrap: import the module, build a context, call the handler, print the JSON.
        let direct = """
            import json, sys, types; sys.path.insert(0, '.'); import app
            context = types.SimpleNamespace(function_version='1', aws_request_id='r', get_remaining_time_in_millis=lambda: 3000)
            print(json.dumps(app.lambda_handler(json.loads(sys.stdin.read()), context)))
            """
        // Both through the same spawner (posix_spawn of /bin/sh -c), so the ratio is shift's own cost.
        let invokeProcess = HandlerProcess(command: "'\(shift)' invoke orders-py:live --payload '\(order)'", workingDirectory: scratch, environment: environment, timeout: 60)
        let directProcess = HandlerProcess(command: "exec python3 -c \(LambdaRuntime.quotedForShell(direct))", workingDirectory: URL(fileURLWithPath: code),
                                           environment: environment.filter { $0.key != "SHIFT_HOME" }, timeout: 60)
        var invokeTimes: [Double] = [], directTimes: [Double] = []
        for _ in 0..<runs {
            let invoked = try invokeProcess.runBlocking(input: Data())
            precondition(invoked.termination == .exited(0), "shift invoke failed: \(String(decoding: invoked.stderrTail, as: UTF8.self))")
            invokeTimes.append(invoked.duration)
            let directRun = try directProcess.runBlocking(input: Data(order.utf8))
            precondition(directRun.termination == .exited(0), "python3 -c failed: \(String(decoding: directRun.stderrTail, as: UTF8.self))")
            directTimes.append(directRun.duration)
        }
        let invokeMedian = Benchmark.median(invokeTimes), directMedian = Benchmark.median(directTimes)
        print("""

        python runtime: a warm Python handler, median of \(runs) runs each, interleaved
          shift invoke orders-py:live (python3.12)   \(Benchmark.milliseconds(invokeMedian))
          python3 -c calling the same handler        \(Benchmark.milliseconds(directMedian))
          ratio                                      \(String(format: "%.1f", invokeMedian / directMedian))x
        """)
    }
}

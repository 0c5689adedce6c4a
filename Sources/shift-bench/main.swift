import Foundation
import ShiftCore
import ShiftLocal
import ShiftSecrets
import ShiftStorage

// `make bench`: shift's costs, each against a reference measured in the same run.
// Usage: shift-bench PATH-TO-SHIFT-BINARY [--start-up | --deployment-list | --shared-deployment-list | --controls | --python-runtime | --analysis | --fleet-stage]
//   --start-up: only the invoke and start-up sections (1 and 1b); --deployment-list: only `deployment list` over 10,000 records;
//   --shared-deployment-list: only `deployment list` over 10,000 deployments in a moto bucket (needs SHIFT_TEST_MOTO_ENDPOINT);
//   --controls: only the time from `deployment pause|promote` to the deploying process acting;
//   --python-runtime: only a warm Python handler through `shift invoke` against `python3 -c` (1d);
//   --analysis: only one canary analysis over 100,000 samples per version;
//   --fleet-stage: only a pipeline deploy stage of 100 functions on moto against one of 1 function (needs SHIFT_TEST_MOTO_ENDPOINT)
// SHIFT_BENCH_KEEP=1 keeps the scratch folder and prints where it is.

let arguments = CommandLine.arguments
let section = arguments.count == 3 ? arguments[2] : nil
/// The sections that run alone; `--start-up` runs the first sections and stops (below).
let soloSections = ["--deployment-list", "--shared-deployment-list", "--controls", "--python-runtime", "--analysis", "--fleet-stage"]
let sections = ["--start-up"] + soloSections
guard arguments.count == 2 || (arguments.count == 3 && sections.contains(section ?? "")) else {
    FileHandle.standardError.write(Data("usage: shift-bench PATH-TO-SHIFT [\(sections.joined(separator: " | "))]\n".utf8))
    exit(2)
}
let startUpOnly = section == "--start-up"
let shift = URL(fileURLWithPath: arguments[1]).standardizedFileURL.path
let repository = FileManager.default.currentDirectoryPath
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("shift-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
/// With `SHIFT_BENCH_KEEP=1` the scratch folder (the states each section made) stays, to profile a command on it.
let keepScratch = ProcessInfo.processInfo.environment["SHIFT_BENCH_KEEP"] == "1"
func removeScratch() {
    if keepScratch { print("scratch kept: \(scratch.path)") } else { try? FileManager.default.removeItem(at: scratch) }
}
defer { removeScratch() }
let environment = ProcessInfo.processInfo.environment.merging(["SHIFT_HOME": scratch.appendingPathComponent("state").path]) { _, new in new }

@MainActor
func shiftCommand(_ arguments: String...) throws {
    let status = try Benchmark.run(shift, arguments, environment: environment)
    guard status == 0 else { fatalError("shift \(arguments.joined(separator: " ")) exited \(status)") }
}

print("shift benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")

// Each section but --start-up runs alone.
if let section, soloSections.contains(section) {
    switch section {
    case "--deployment-list": try DeploymentListBenchmark.run(shift: shift, scratch: scratch)
    case "--shared-deployment-list":
        guard let endpoint = ProcessInfo.processInfo.environment["SHIFT_TEST_MOTO_ENDPOINT"] else { fatalError("--shared-deployment-list needs SHIFT_TEST_MOTO_ENDPOINT (run it under .ci/with-moto)") }
        try await SharedDeploymentListBenchmark.run(shift: shift, scratch: scratch, endpoint: endpoint, environment: awsBenchEnvironment())
    case "--controls": try ControlLatencyBenchmark.run(shift: shift, scratch: scratch, repository: repository)
    case "--python-runtime": try PythonRuntimeBenchmark.run(shift: shift, repository: repository, scratch: scratch, environment: environment)
    case "--analysis": try await AnalysisBenchmark.run(scratch: scratch)
    case "--fleet-stage": try benchmarkFleetStage()
    default: preconditionFailure("no solo section \(section)")
    }
    removeScratch()
    exit(0)
}

// 1. shift invoke against running the handler directly.
let echo = "\(repository)/Examples/echo"
try shiftCommand("function", "create", "echo", "--code", echo, "--handler", "./handler.sh")
try shiftCommand("function", "publish", "echo")
try shiftCommand("alias", "create", "echo", "live", "--version", "1")
var invokeTimes: [Double] = [], launcherTimes: [Double] = [], directTimes: [Double] = []
let runs = 30
// All three start the same way, through a `/bin/sh -c` that replaces itself with the program, so the ratios are
// the launchers' own costs. (HandlerProcess starts a plain command without a shell; quotes and `exec` are not plain.)
let invokeProcess = HandlerProcess(command: "'\(shift)' invoke echo:live --payload '{\"n\": 1}'", workingDirectory: scratch, environment: environment, timeout: 60)
let launcherProcess = HandlerProcess(command: "exec '\(try Benchmark.staticLauncherProgram(in: repository))' ./handler.sh", workingDirectory: URL(fileURLWithPath: echo),
                                     environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
let directProcess = HandlerProcess(command: "exec ./handler.sh", workingDirectory: URL(fileURLWithPath: echo), environment: ["PATH": "/usr/bin:/bin"], timeout: 60)
let event = Data("{\"n\": 1}".utf8)
for _ in 0..<runs {
    // Side by side, interleaved, so all see the same machine.
    let invoked = try invokeProcess.runBlocking(input: Data())
    precondition(invoked.termination == .exited(0), "shift invoke failed: \(String(decoding: invoked.stderrTail, as: UTF8.self))")
    invokeTimes.append(invoked.duration)
    let launched = try launcherProcess.runBlocking(input: event)
    precondition(launched.termination == .exited(0), "the reference launcher failed: \(String(decoding: launched.stderrTail, as: UTF8.self))")
    launcherTimes.append(launched.duration)
    directTimes.append(try directProcess.runBlocking(input: event).duration)
}
let invokeMedian = Benchmark.median(invokeTimes), launcherMedian = Benchmark.median(launcherTimes), directMedian = Benchmark.median(directTimes)
print("""

invoke: median of \(runs) runs each, interleaved (target: at most 2x the handler)
  shift invoke echo:live                               \(Benchmark.milliseconds(invokeMedian))
  static Swift program that only starts the handler    \(Benchmark.milliseconds(launcherMedian))
  handler run directly                                 \(Benchmark.milliseconds(directMedian))
  ratio                                                \(String(format: "%.1f", invokeMedian / directMedian))x (the launcher: \(String(format: "%.1f", launcherMedian / directMedian))x)
  shift's own work, above the launcher                 \(Benchmark.milliseconds(invokeMedian - launcherMedian))
""")

// 1b. Start-up: `shift --version` against a static Swift program that imports Foundation and prints one line.
let hello = try Benchmark.staticHelloProgram(in: repository)
let startVersion = HandlerProcess(command: "'\(shift)' --version", workingDirectory: scratch, environment: environment, timeout: 60)
let startHello = HandlerProcess(command: "'\(hello)'", workingDirectory: scratch, environment: environment, timeout: 60)
var startShift: [Double] = [], startReference: [Double] = []
for _ in 0..<50 {
    startShift.append(try startVersion.runBlocking(input: Data()).duration)
    startReference.append(try startHello.runBlocking(input: Data()).duration)
}
let startShiftMedian = Benchmark.median(startShift), startReferenceMedian = Benchmark.median(startReference)
print("""
start-up: median of 50 runs each, interleaved (target: at most 1.5x)
  shift --version                                  \(Benchmark.milliseconds(startShiftMedian))
  static Swift program, imports Foundation, prints \(Benchmark.milliseconds(startReferenceMedian))
  ratio                                            \(String(format: "%.2f", startShiftMedian / startReferenceMedian))x
""")
if startUpOnly {
    removeScratch()
    exit(0)
}

// 1d. A warm Python handler through `shift invoke` against `python3 -c` running it directly.
try PythonRuntimeBenchmark.run(shift: shift, repository: repository, scratch: scratch, environment: environment)

// 1c. A waiting AWS call costs no CPU: `shift invoke` on an AWS account whose function answers after 5 s (a
// loopback stub of Lambda's Invoke), CPU time of the whole process against its wall time.
try benchmarkWaitingInvoke()

// 2. Alarm evaluation over 1,000,000 recorded datapoints.
let metricsDirectory = scratch.appendingPathComponent("metrics")
try FileManager.default.createDirectory(at: metricsDirectory, withIntermediateDirectories: true)
let count = 1_000_000
let start = Date(timeIntervalSince1970: 1_800_000_000)
var text = ""
text.reserveCapacity(count * 48)
for index in 0..<count {
    let record = InvocationRecord(timestamp: start.addingTimeInterval(Double(index) * 0.001), alias: "live", executedVersion: index % 10 == 0 ? "2" : "1", durationMilliseconds: 12.5, isError: index % 97 == 0)
    text += MetricsLog.line(for: record)
}
let logFile = metricsDirectory.appendingPathComponent("metrics.tsv")
try Data(text.utf8).write(to: logFile)
text = ""
// Big enough to hold all of them in one file; the default bound keeps 8 to 16 MiB.
let log = MetricsLog(directory: metricsDirectory, rotationBytes: 1 << 30)
let definition = try AlarmDefinition(name: "bench", functionName: "bench", alias: "live", metric: .errors, statistic: .sum, period: 60, evaluationPeriods: 3, datapointsToAlarm: 2, threshold: 5, comparison: .greaterThanThreshold)
let instant = start.addingTimeInterval(Double(count) * 0.001)
var readTimes: [Double] = [], evaluateTimes: [Double] = [], floorTimes: [Double] = []
var lastState = AlarmStateValue.insufficientData
for _ in 0..<5 {
    floorTimes.append(try Benchmark.time {
        let data = try Data(contentsOf: logFile)
        let lines = data.withUnsafeBytes { buffer -> Int in
            var lines = 0
            var cursor = buffer.baseAddress!
            var remaining = buffer.count
            while remaining > 0, let found = memchr(cursor, 10, remaining) {
                lines += 1
                let next = UnsafeRawPointer(found) + 1
                remaining -= next - cursor
                cursor = next
            }
            return lines
        }
        precondition(lines == count)
    })
    var records: [InvocationRecord] = []
    // As the alarm store reads: only the evaluation range (N + 2 periods) before the instant is parsed in full.
    let since = instant.addingTimeInterval(-definition.period * Double(AlarmEvaluator.evaluationRange(for: definition)))
    readTimes.append(try Benchmark.time { records = try log.records(since: since) })
    precondition(!records.isEmpty)
    evaluateTimes.append(Benchmark.time {
        let samples = records.samples(of: .errors, alias: "live", version: nil)
        lastState = AlarmEvaluator.evaluate(definition, samples: samples, at: instant, current: .ok).value
    })
}
let readMedian = Benchmark.median(readTimes), evaluateMedian = Benchmark.median(evaluateTimes), floorMedian = Benchmark.median(floorTimes)
print("""
alarm evaluation over \(count) recorded datapoints (\((try FileManager.default.attributesOfItem(atPath: logFile.path)[.size] as? Int ?? 0) / 1_048_576) MiB log), median of 5
  read log, parse the alarm's range   \(Benchmark.milliseconds(readMedian))
  select samples + evaluate (\(lastState.rawValue))    \(Benchmark.milliseconds(evaluateMedian))
  floor: read the file, memchr lines   \(Benchmark.milliseconds(floorMedian))
  ratio (read + evaluate) / floor      \(String(format: "%.1f", (readMedian + evaluateMedian) / floorMedian))x
""")

// 3. Per-step orchestration overhead: a deployment of 20 steps that never hold, against one alias update.
let stepFile = scratch.appendingPathComponent("steps.txt")
try Data((1...20).map { "\($0 * 5)% 0s" }.joined(separator: "\n").utf8).write(to: stepFile)
let flaky = "\(repository)/Examples/flaky"
try shiftCommand("function", "create", "steps", "--code", flaky, "--handler", "./handler.sh")
try shiftCommand("function", "publish", "steps")
try shiftCommand("function", "update", "steps", "--env", "RELEASE=2")
try shiftCommand("function", "publish", "steps")
try shiftCommand("alias", "create", "steps", "live", "--version", "1")
let state = try StateDirectory(root: scratch.appendingPathComponent("state"), account: "default")
let platform = LocalPlatform(state: state, clock: SystemClock())
let store = LocalDeploymentStore(state: state, clock: SystemClock())
let engine = DeploymentEngine(platform: platform, alarms: platform.alarms, journal: store, clock: SystemClock())
var perStep: [Double] = [], aliasWrites: [Double] = []
for round in 0..<10 {
    let to = round % 2 == 0 ? 2 : 1
    let request = DeploymentRequest(functionName: "steps", alias: "live", targetVersion: to, preference: try DeploymentPreference.parseStepList(try String(contentsOf: stepFile, encoding: .utf8), file: "steps.txt"))
    guard case let .ready(deployment, _) = try await engine.prepare(request, id: "d-BENCH\(round)") else { fatalError("not ready") }
    let began = DispatchTime.now().uptimeNanoseconds
    let final = await engine.run(deployment)
    precondition(final.status == .succeeded)
    perStep.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9 / 20)
    aliasWrites.append(try Benchmark.time { _ = try platform.functions.updateAlias("live", of: "steps", routing: .single(to)) })
}
let stepMedian = Benchmark.median(perStep), writeMedian = Benchmark.median(aliasWrites)
print("""
deployment orchestration overhead: 20-step schedule with no holds, local platform, median of 10 deployments
  engine time per step (journal x2, alias read + write, poll)   \(Benchmark.milliseconds(stepMedian))
  reference: one alias update (lock, read, atomic write)          \(Benchmark.milliseconds(writeMedian))
  ratio                                                           \(String(format: "%.1f", stepMedian / writeMedian))x
""")

// 4. Alarm to restored alias: 20 drills with the real binary, poll interval 1 s.
try shiftCommand("alarm", "put", "drill", "--function", "steps", "--alias", "live", "--metric", "Errors", "--statistic", "Sum", "--period", "3600", "--evaluation-periods", "1", "--threshold", "1000000", "--comparison", "GreaterThanThreshold")
var reactions: [Double] = []
let alarms = LocalAlarmStore(state: state, clock: SystemClock())
for drill in 0..<20 {
    try alarms.setState("drill", to: .ok, reason: "drill \(drill) reset")
    let current = try platform.functions.alias("live", of: "steps").routing.primaryVersion
    let target = current == 1 ? 2 : 1
    let deploy = Process()
    deploy.executableURL = URL(fileURLWithPath: shift)
    deploy.arguments = ["deploy", "steps", "--alias", "live", "--version", String(target), "--preference", "Canary50Percent60Seconds", "--alarm", "drill", "--poll-interval", "1"]
    deploy.environment = environment
    deploy.standardOutput = FileHandle.nullDevice
    deploy.standardError = FileHandle.nullDevice
    try deploy.run()
    // Wait until the canary holds at 50 %.
    while try platform.functions.alias("live", of: "steps").routing.additionalVersion == nil { usleep(5_000) }
    usleep(UInt32.random(in: 0..<1_000_000))
    let fired = DispatchTime.now().uptimeNanoseconds
    try alarms.setState("drill", to: .alarm, reason: "drill \(drill)")
    while try platform.functions.alias("live", of: "steps").routing != .single(current) { usleep(2_000) }
    reactions.append(Double(DispatchTime.now().uptimeNanoseconds - fired) / 1e9)
    deploy.waitUntilExit()
    precondition(deploy.terminationStatus == 1, "drill \(drill): deploy exited \(deploy.terminationStatus)")
}
print("""
alarm to restored alias: 20 drills, real shift deploy, poll interval 1 s, alarm set to ALARM at a random moment of the hold
  median   \(Benchmark.milliseconds(Benchmark.median(reactions)))
  worst    \(Benchmark.milliseconds(reactions.max() ?? 0))
  ratio of median to poll interval   \(String(format: "%.2f", Benchmark.median(reactions) / 1.0))
""")

// 5. `shift param get --decrypt` with 10,000 parameters in the store, against `shift --version` (process start).
let keyFile = scratch.appendingPathComponent("bench.key")
let parameterStore = ParameterStore(directory: state, masterKey: try MasterKey.createKeyFile(at: keyFile), clock: SystemClock())
let parameterCount = 10_000
let filling = try Benchmark.time {
    for index in 0..<parameterCount {
        _ = try parameterStore.put(try ParameterName("/bench/service-\(index % 100)/secret-\(index)"), value: "value-\(index)", type: index % 2 == 0 ? .secureString : .string)
    }
}
let getProcess = HandlerProcess(command: "'\(shift)' param get /bench/service-42/secret-4242 --decrypt --key-file '\(keyFile.path)'", workingDirectory: scratch, environment: environment, timeout: 60)
let versionProcess = HandlerProcess(command: "'\(shift)' --version", workingDirectory: scratch, environment: environment, timeout: 60)
var getTimes: [Double] = [], versionTimes: [Double] = []
for _ in 0..<20 {
    let got = try getProcess.runBlocking(input: Data())
    precondition(got.termination == .exited(0) && String(decoding: got.stdout, as: UTF8.self) == "value-4242\n", "param get failed: \(String(decoding: got.stderrTail, as: UTF8.self))")
    getTimes.append(got.duration)
    versionTimes.append(try versionProcess.runBlocking(input: Data()).duration)
}
print("""
parameter store: \(parameterCount) parameters (half SecureString; filled in-process in \(String(format: "%.1f", filling)) s), median of 20 each, interleaved
  shift param get NAME --decrypt (key file)   \(Benchmark.milliseconds(Benchmark.median(getTimes)))
  reference: shift --version                  \(Benchmark.milliseconds(Benchmark.median(versionTimes)))
  ratio                                        \(String(format: "%.1f", Benchmark.median(getTimes) / Benchmark.median(versionTimes)))x
""")

// 5b. `shift deployment list` over 10,000 deployment records, against `shift --version` (process start).
try DeploymentListBenchmark.run(shift: shift, scratch: scratch)

// 5c. From `shift deployment pause|promote` in another process to the deploying process acting.
try ControlLatencyBenchmark.run(shift: shift, scratch: scratch, repository: repository)

// 5d. One canary analysis over 100,000 samples per version, against reading them.
try await AnalysisBenchmark.run(scratch: scratch)

// 6. The AWS platform against moto: `shift alias get` and `shift alias update` beside the same calls made
// with the `aws` CLI and with curl (SigV4-signed by curl itself: the floor), 20 interleaved runs each.
if let endpoint = ProcessInfo.processInfo.environment["SHIFT_TEST_MOTO_ENDPOINT"] {
    try benchmarkAWS(endpoint: endpoint)
    // 7. `shift deployment list` over 10,000 deployments in a shared state bucket.
    try await SharedDeploymentListBenchmark.run(shift: shift, scratch: scratch, endpoint: endpoint, environment: awsBenchEnvironment())
} else {
    print("\nAWS platform: skipped (no SHIFT_TEST_MOTO_ENDPOINT; 'make bench' starts moto for it)")
}

// 6b. A pipeline deploy stage of 100 functions on moto, against the same stage with one function.
try benchmarkFleetStage()

@MainActor
func benchmarkFleetStage() throws {
    guard let endpoint = ProcessInfo.processInfo.environment["SHIFT_TEST_MOTO_ENDPOINT"] else {
        print("\npipeline deploy stage on moto: skipped (no SHIFT_TEST_MOTO_ENDPOINT; 'make bench' starts moto for it)")
        return
    }
    try FleetStageBenchmark.run(shift: shift, scratch: scratch, endpoint: endpoint, environment: awsBenchEnvironment())
}

/// The AWS credentials and settings every AWS figure runs with: fixed, and no shared config files read.
@MainActor
func awsBenchEnvironment() -> [String: String] {
    var awsEnvironment = environment
    for (key, value) in ["AWS_ACCESS_KEY_ID": "AKIABENCHEXAMPLE", "AWS_SECRET_ACCESS_KEY": "bench-secret", "AWS_REGION": "us-east-1",
                         "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": "/dev/null", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"] {
        awsEnvironment[key] = value
    }
    return awsEnvironment
}

@MainActor
func benchmarkWaitingInvoke() throws {
    let delay = 5.0
    // Answers every POST (Lambda's Invoke) after `delay` seconds with the event, as a function that waits would.
    let stubScript = """
        import http.server, time
        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                time.sleep(\(delay))
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('X-Amz-Executed-Version', '1')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, *args): pass
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), H)
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """
    let stub = Process()
    stub.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    stub.arguments = ["python3", "-c", stubScript]
    let portPipe = Pipe()
    stub.standardOutput = portPipe
    try stub.run()
    defer { stub.terminate(); stub.waitUntilExit() }
    var portText = ""
    while !portText.hasSuffix("\n") {
        let chunk = portPipe.fileHandleForReading.availableData
        guard !chunk.isEmpty else { fatalError("the Lambda stub did not start") }
        portText += String(decoding: chunk, as: UTF8.self)
    }
    let endpoint = "http://127.0.0.1:\(portText.trimmingCharacters(in: .whitespacesAndNewlines))"
    let awsEnvironment = awsBenchEnvironment()
    let add = HandlerProcess(command: "'\(shift)' --account stub account add stub --platform aws --endpoint-url '\(endpoint)'", workingDirectory: scratch, environment: awsEnvironment, timeout: 60)
    let added = try add.runBlocking(input: Data())
    precondition(added.termination == .exited(0), "account add failed: \(String(decoding: added.stderrTail, as: UTF8.self))")
    let invoke = HandlerProcess(command: "'\(shift)' --account stub invoke slow:live --payload '{\"n\": 1}'", workingDirectory: scratch, environment: awsEnvironment, timeout: 60)
    var ratios: [Double] = [], walls: [Double] = [], cpus: [Double] = []
    for _ in 0..<3 {
        let before = Benchmark.childrenCPUSeconds()
        let outcome = try invoke.runBlocking(input: Data())
        let cpu = Benchmark.childrenCPUSeconds() - before
        precondition(outcome.termination == .exited(0), "invoke failed: \(String(decoding: outcome.stderrTail, as: UTF8.self))")
        precondition(outcome.duration >= delay, "answered before the stub's delay")
        walls.append(outcome.duration)
        cpus.append(cpu)
        ratios.append(cpu / outcome.duration)
    }
    print("""

    AWS invoke waiting \(Int(delay)) s for its answer (loopback stub of Lambda Invoke), median of 3 (target: under 2 %)
      wall                               \(Benchmark.milliseconds(Benchmark.median(walls)))
      CPU (user + system, shift and sh)   \(Benchmark.milliseconds(Benchmark.median(cpus)))
      CPU / wall                         \(String(format: "%.2f", Benchmark.median(ratios) * 100)) %
    """)
}

@MainActor
func benchmarkAWS(endpoint: String) throws {
    let awsEnvironment = awsBenchEnvironment()
    func sh(_ command: String) throws -> (status: Int32, output: String, duration: Double) {
        let process = HandlerProcess(command: command, workingDirectory: scratch, environment: awsEnvironment, timeout: 60)
        let outcome = try process.runBlocking(input: Data())
        let status: Int32 = outcome.termination == .exited(0) ? 0 : 1
        return (status, String(decoding: outcome.stdout, as: UTF8.self), outcome.duration)
    }
    func check(_ command: String) throws -> String {
        let result = try sh(command)
        precondition(result.status == 0, "failed: \(command)")
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    _ = try check("curl -fsS -X POST '\(endpoint)/moto-api/config' -d '{\"lambda\": {\"use_docker\": false}}'")
    let role = try check("""
        python3 -c "import boto3; iam = boto3.client('iam', endpoint_url='\(endpoint)', region_name='us-east-1'); \
        print(iam.create_role(RoleName='bench-role-' + __import__('uuid').uuid4().hex[:8], AssumeRolePolicyDocument='{}')['Role']['Arn'])"
        """)
    let code = scratch.appendingPathComponent("aws-code")
    try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
    try Data("def handler(event, context):\n    return event\n".utf8).write(to: code.appendingPathComponent("index.py"))
    let s = "'\(shift)' --account moto"
    _ = try check("\(s) account add moto --platform aws --endpoint-url '\(endpoint)' --role '\(role)' --runtime python3.12")
    _ = try check("\(s) function create bench --code '\(code.path)' --handler index.handler")
    _ = try check("\(s) function publish bench")
    _ = try check("\(s) function update bench --description v2")
    _ = try check("\(s) function publish bench")
    _ = try check("\(s) alias create bench live --version 1")

    let url = "\(endpoint)/2015-03-31/functions/bench/aliases/live"
    let curl = "curl -fsS --aws-sigv4 'aws:amz:us-east-1:lambda' --user AKIABENCHEXAMPLE:bench-secret"
    let aws = "aws --endpoint-url '\(endpoint)' --output json lambda"
    var times: [String: [Double]] = [:]
    for run in 0..<20 {
        let version = run % 2 == 0 ? 2 : 1
        let commands: [(String, String)] = [
            ("shift get", "\(s) alias get bench live --output json"),
            ("aws get", "\(aws) get-alias --function-name bench --name live"),
            ("curl get", "\(curl) '\(url)'"),
            ("shift update", "\(s) alias update bench live --version \(version) --output json"),
            ("aws update", "\(aws) update-alias --function-name bench --name live --function-version \(version)"),
            ("curl update", "\(curl) -X PUT -H 'Content-Type: application/json' -d '{\"FunctionVersion\": \"\(version)\"}' '\(url)'"),
        ]
        for (label, command) in commands {
            let result = try sh(command)
            precondition(result.status == 0, "\(label) failed: \(command)")
            times[label, default: []].append(result.duration)
        }
    }
    func row(_ label: String, _ floor: String) -> String {
        let median = Benchmark.median(times[label]!)
        return "  \(label.padding(toLength: 14, withPad: " ", startingAt: 0)) \(Benchmark.milliseconds(median))   \(String(format: "%.1f", median / Benchmark.median(times[floor]!)))x curl"
    }
    print("""

    AWS platform against moto (\(endpoint)): median of 20 each, interleaved; ratio to curl (SigV4 by curl, the floor)
    \(row("shift get", "curl get"))
    \(row("aws get", "curl get"))
    \(row("curl get", "curl get"))
    \(row("shift update", "curl update"))
    \(row("aws update", "curl update"))
    \(row("curl update", "curl update"))
    """)
}

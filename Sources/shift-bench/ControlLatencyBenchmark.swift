import Foundation
import ShiftCore
import ShiftLocal
import ShiftStorage

/// The time from `shift deployment pause` or `promote`, run as another process, to the deploying process acting:
/// 20 drills with the real binary at the minimum poll interval (0.01 s).
///
/// Each drill: `shift deploy` of a `Canary50Percent60Seconds` in the background; once the alias splits traffic, a
/// random 0 to 0.1 s wait, then `shift deployment pause ID` (timed from its start until the record holds the
/// `Paused` event: a pause does not move the alias), then `shift deployment promote ID` (timed from its start until
/// the alias routes all traffic to the target). Both include the control process's own start and its write.
enum ControlLatencyBenchmark {
    static let drills = 20
    static let pollInterval = 0.01

    static func run(shift: String, scratch: URL, repository: String) throws {
        let root = scratch.appendingPathComponent("controls-state")
        let state = try StateDirectory(root: root, account: "default")
        let environment = ProcessInfo.processInfo.environment.merging(["SHIFT_HOME": root.path]) { _, new in new }
        func command(_ arguments: String...) throws {
            let status = try Benchmark.run(shift, arguments, environment: environment)
            guard status == 0 else { fatalError("shift \(arguments.joined(separator: " ")) exited \(status)") }
        }
        let echo = "\(repository)/Examples/echo"
        try command("function", "create", "ctl", "--code", echo, "--handler", "./handler.sh")
        try command("function", "publish", "ctl")
        try command("function", "update", "ctl", "--env", "RELEASE=2")
        try command("function", "publish", "ctl")
        try command("alias", "create", "ctl", "live", "--version", "1")
        let platform = LocalPlatform(state: state, clock: SystemClock())
        let store = LocalDeploymentStore(state: state, clock: SystemClock())

        var pauses: [Double] = [], promotions: [Double] = []
        for drill in 0..<drills {
            let current = try platform.functions.alias("live", of: "ctl").routing.primaryVersion
            let target = current == 1 ? 2 : 1
            let deploy = Process()
            deploy.executableURL = URL(fileURLWithPath: shift)
            deploy.arguments = ["deploy", "ctl", "--alias", "live", "--version", String(target), "--preference", "Canary50Percent60Seconds",
                                "--poll-interval", String(pollInterval)]
            deploy.environment = environment
            deploy.standardOutput = FileHandle.nullDevice
            deploy.standardError = FileHandle.nullDevice
            try deploy.run()
            while try platform.functions.alias("live", of: "ctl").routing.additionalVersion == nil { usleep(2_000) }
            guard let id = try store.unfinishedDeployment(of: "live", function: "ctl")?.id else { fatalError("drill \(drill): no running deployment") }
            usleep(UInt32.random(in: 0..<100_000))

            var started = DispatchTime.now().uptimeNanoseconds
            try command("deployment", "pause", id)
            while try store.deployment(id).events.last(where: { $0.kind == .paused }) == nil { usleep(1_000) }
            pauses.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)

            started = DispatchTime.now().uptimeNanoseconds
            try command("deployment", "promote", id)
            while try platform.functions.alias("live", of: "ctl").routing != .single(target) { usleep(1_000) }
            promotions.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
            deploy.waitUntilExit()
            precondition(deploy.terminationStatus == 0, "drill \(drill): deploy exited \(deploy.terminationStatus)")
        }
        print("""

        controls: \(drills) drills, real shift deploy, poll interval \(pollInterval) s, each control run as its own process
          pause   to Paused journalled     median \(Benchmark.milliseconds(Benchmark.median(pauses)))   worst \(Benchmark.milliseconds(pauses.max() ?? 0))
          promote to alias at 100%         median \(Benchmark.milliseconds(Benchmark.median(promotions)))   worst \(Benchmark.milliseconds(promotions.max() ?? 0))
        """)
    }
}

import Foundation
import ShiftCore
import ShiftLocal
import ShiftStorage

/// `shift deployment list` (the newest 50, its default) over 10,000 deployment records, against `shift --version`
/// (process start) in the same run.
///
/// The records are written as the store writes them (pretty JSON, `deployments/<id>.json`, each with a few events),
/// without an fsync each; the index is then built through the store's API (`DeploymentIndex.rebuild()`).
enum DeploymentListBenchmark {
    static let deployments = 10_000
    static let runs = 21

    static func run(shift: String, scratch: URL) throws {
        let root = scratch.appendingPathComponent("list-state")
        let state = try StateDirectory(root: root, account: "default")
        try FileManager.default.createDirectory(at: state.deploymentsDirectory, withIntermediateDirectories: true)
        let encoder = JSONFile.encoder()
        var generator = SystemRandomNumberGenerator()
        for index in 0..<deployments {
            let deployment = try endedDeployment(index, functions: 100, using: &generator)
            try encoder.encode(deployment).write(to: state.deploymentFile(deployment.id))
        }
        try DeploymentIndex(state: state).rebuild()

        let environment = ProcessInfo.processInfo.environment.merging(["SHIFT_HOME": root.path]) { _, new in new }
        var listTimes: [Double] = [], versionTimes: [Double] = []
        for _ in 0..<runs {
            // Interleaved, so both see the same machine.
            var status: Int32 = 0
            listTimes.append(try Benchmark.time { status = try Benchmark.run(shift, ["deployment", "list"], environment: environment) })
            precondition(status == 0, "shift deployment list failed")
            versionTimes.append(try Benchmark.time { try Benchmark.run(shift, ["--version"], environment: environment) })
        }
        let list = Benchmark.median(listTimes), version = Benchmark.median(versionTimes)
        print("""

        deployment list over \(deployments) records: median of \(runs) runs each, interleaved
          shift deployment list        \(Benchmark.milliseconds(list)) (the newest \(DeploymentListing.defaultLimit))
          shift --version              \(Benchmark.milliseconds(version))
          above process start          \(Benchmark.milliseconds(list - version)) (required: at most 50 ms)
          ratio                        \(String(format: "%.1f", list / version))x
        """)
    }

    /// The `index`th of a benchmark's deployments: succeeded, of `function-(index % functions)`'s alias live, created
    /// a minute after the one before, with eight events.
    static func endedDeployment(_ index: Int, functions: Int, using generator: inout SystemRandomNumberGenerator) throws -> Deployment {
        let request = DeploymentRequest(functionName: "function-\(index % functions)", alias: "live", targetVersion: 2,
                                        preference: try DeploymentPreference.named("Canary10Percent5Minutes"), alarms: ["errors-\(index % functions)"])
        var deployment = Deployment(id: Deployment.makeID(using: &generator), request: request, originalVersion: 1,
                                    createdAt: Date(timeIntervalSince1970: 1_800_000_000).addingTimeInterval(Double(index) * 60), aliasRevisionId: "r\(index)")
        deployment.phase = .succeeded
        for step in 0..<8 {
            deployment.events.append(DeploymentEvent(time: deployment.createdAt.addingTimeInterval(Double(step)), kind: .note, message: "step \(step)"))
        }
        return deployment
    }
}
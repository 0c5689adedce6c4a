import Foundation
import ShiftCore
import ShiftPlatforms

/// `shift deployment list` over 10,000 deployments in a shared state bucket (moto's S3), against `shift --version`
/// (process start) in the same run, and the S3 requests one listing makes.
///
/// The bucket is filled through the real store: `SharedDeploymentStore.save` writes each deployment (its final
/// record, one save each) into a ``StagingObjectStore`` in memory, so the records, alias pointers and index are laid
/// out exactly as the store lays them out; those objects are then uploaded to moto, 16 at a time. (Saving through
/// moto directly costs seven requests a deployment, some 20 minutes on a busy 2-core machine.) The requests are
/// counted on shift's side: the same library path the command takes (the account's ``AccountPlatform/sharedState``
/// under a ``SharedDeploymentStore``) over a ``CountingObjectStore``.
enum SharedDeploymentListBenchmark {
    static let deployments = 10_000
    static let functions = 100
    static let runs = 21

    static func run(shift: String, scratch: URL, endpoint: String, environment baseEnvironment: [String: String]) async throws {
        let root = scratch.appendingPathComponent("shared-list-state")
        let environment = baseEnvironment.merging(["SHIFT_HOME": root.path]) { _, new in new }
        let bucket = "shift-bench-list-\(UUID().uuidString.prefix(8).lowercased())"
        let credentials = "\(environment["AWS_ACCESS_KEY_ID"] ?? ""):\(environment["AWS_SECRET_ACCESS_KEY"] ?? "")"
        let created = try Benchmark.run("/usr/bin/env", ["curl", "-fsS", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", credentials, "-X", "PUT", "\(endpoint)/\(bucket)"])
        precondition(created == 0, "could not create the bucket \(bucket) on \(endpoint)")
        let added = try Benchmark.run(shift, ["--account", "shared", "account", "add", "shared", "--platform", "aws", "--endpoint-url", endpoint,
                                              "--state", "s3://\(bucket)/prod"], environment: environment)
        precondition(added == 0, "shift account add shared --state s3://\(bucket)/prod failed")
        guard let shared = try AccountResolver(root: root, environment: environment, clock: SystemClock()).resolve("shared").sharedState else {
            fatalError("the account has no shared state")
        }

        let began = DispatchTime.now().uptimeNanoseconds
        try await fill(shared)
        let filling = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let counting = CountingObjectStore(shared)
        let store = SharedDeploymentStore(store: counting, leases: SharedLeaseStore(store: counting, clock: SystemClock(), host: "bench", pid: 1), clock: SystemClock())
        var requests: [String: Int] = [:]
        var newestID = ""
        for (label, function) in [("every function", nil), ("--function function-7", "function-7")] as [(String, String?)] {
            counting.resetCounts()
            let listing = try await store.summaries(function: function, status: nil, limit: DeploymentListing.defaultLimit, unreadable: { fatalError("\($0)") })
            precondition(listing.summaries.count == DeploymentListing.defaultLimit && listing.omitted == (function == nil ? deployments : deployments / functions) - DeploymentListing.defaultLimit,
                         "the listing shows \(listing.summaries.count), omits \(listing.omitted)")
            requests[label] = counting.requests
            newestID = listing.summaries[0].deploymentId
        }

        let shiftAccount = ["--account", "shared", "deployment", "list"]
        // The floor of one request: curl (SigV4 by curl itself) getting the head `--function function-7` reads.
        let head = ["curl", "-fsS", "-o", "/dev/null", "--aws-sigv4", "aws:amz:us-east-1:s3", "--user", credentials, "\(endpoint)/\(bucket)/prod/index/function-7/head.json"]
        var listTimes: [Double] = [], functionTimes: [Double] = [], getTimes: [Double] = [], versionTimes: [Double] = [], curlTimes: [Double] = []
        for _ in 0..<runs {
            // Interleaved, so all see the same machine.
            var status: Int32 = 0
            listTimes.append(try Benchmark.time { status = try Benchmark.run(shift, shiftAccount, environment: environment) })
            precondition(status == 0, "shift deployment list failed")
            functionTimes.append(try Benchmark.time { status = try Benchmark.run(shift, shiftAccount + ["--function", "function-7"], environment: environment) })
            precondition(status == 0, "shift deployment list --function function-7 failed")
            // The same account, one GET of a record: what any one-request command costs.
            getTimes.append(try Benchmark.time { status = try Benchmark.run(shift, ["--account", "shared", "deployment", "get", newestID], environment: environment) })
            precondition(status == 0, "shift deployment get \(newestID) failed")
            versionTimes.append(try Benchmark.time { try Benchmark.run(shift, ["--version"], environment: environment) })
            curlTimes.append(try Benchmark.time { status = try Benchmark.run("/usr/bin/env", head) })
            precondition(status == 0, "curl could not get index/function-7/head.json")
        }
        let list = Benchmark.median(listTimes), function = Benchmark.median(functionTimes), version = Benchmark.median(versionTimes)
        let curl = Benchmark.median(curlTimes), get = Benchmark.median(getTimes)
        print("""

        deployment list over \(deployments) deployments of \(functions) functions in a moto bucket (filled in \(String(format: "%.1f", filling)) s), median of \(runs) runs each, interleaved
          shift deployment list                        \(Benchmark.milliseconds(list))   \(requests["every function"]!) S3 requests
          shift deployment list --function function-7  \(Benchmark.milliseconds(function))   \(requests["--function function-7"]!) S3 request(s)
          shift deployment get ID (one GET)            \(Benchmark.milliseconds(get))
          shift --version                              \(Benchmark.milliseconds(version))
          curl GET of that function's index head       \(Benchmark.milliseconds(curl))
          above process start                          \(Benchmark.milliseconds(list - version)), \(Benchmark.milliseconds(function - version)) with --function
        """)
    }

    /// Saves `deployments` ended deployments (one a minute, round-robin over the functions) through the store into
    /// memory, then uploads every object it wrote.
    static func fill(_ shared: any ObjectStore) async throws {
        let staging = StagingObjectStore(location: shared.location)
        let store = SharedDeploymentStore(store: staging, leases: SharedLeaseStore(store: staging, clock: SystemClock(), host: "bench", pid: 1), clock: SystemClock())
        var generator = SystemRandomNumberGenerator()
        for index in 0..<deployments {
            let deployment = try DeploymentListBenchmark.endedDeployment(index, functions: functions, using: &generator)
            try await store.save(deployment)
        }
        let objects = staging.objects
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (offset, object) in objects.enumerated() {
                if offset >= 16 { try await group.next() }
                group.addTask { _ = try await shared.put(object.key, data: object.data, condition: .always) }
            }
            try await group.waitForAll()
        }
    }
}

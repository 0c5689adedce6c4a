import Foundation

/// A load generator: invokes a function at a steady rate for a while, concurrently, and tallies the outcome per version.
///
/// It gives alarms real data to evaluate: the demo and the deployment tests run it beside a deployment.
public struct TrafficGenerator: Sendable {
    /// Counts for one executed version.
    public struct VersionTally: Codable, Equatable, Sendable {
        public var invocations = 0
        public var errors = 0
        /// Refused for lack of reserved concurrency; not counted in `invocations`.
        public var throttles = 0
    }

    /// What the generator has seen so far.
    public struct Tally: Codable, Equatable, Sendable {
        public var versions: [String: VersionTally] = [:]
        /// Invocations that could not be attempted at all (e.g. the function was deleted).
        public var failures = 0
        public var lastFailure: String?
        public var elapsed: TimeInterval = 0

        public var invocations: Int { versions.values.reduce(0) { $0 + $1.invocations } }
        public var errors: Int { versions.values.reduce(0) { $0 + $1.errors } }
        public var throttles: Int { versions.values.reduce(0) { $0 + $1.throttles } }

        /// "v1: 48 ok, 0 errors   v2: 5 ok, 2 errors".
        public var summary: String {
            let parts = versions.keys.sorted { (Int($0) ?? .max, $0) < (Int($1) ?? .max, $1) }.map { version -> String in
                let tally = versions[version]!
                return "v\(version): \(tally.invocations - tally.errors) ok, \(tally.errors) errors" + (tally.throttles > 0 ? ", \(tally.throttles) throttled" : "")
            }
            let failed = failures > 0 ? ["\(failures) not invoked (\(lastFailure ?? "unknown"))"] : []
            return (parts + failed).joined(separator: "   ")
        }
    }

    public let platform: any FunctionPlatform
    public let clock: any Clock
    public let function: String
    public let qualifier: FunctionQualifier
    public let payload: Data
    /// Invocations started per second.
    public let rate: Double
    public let duration: TimeInterval
    /// At most this many invocations in flight; when full, the schedule waits.
    public let maximumConcurrency: Int

    /// - Throws: `ShiftCoreError.invalidValue` for a rate, duration or concurrency that is not positive.
    public init(platform: any FunctionPlatform, clock: any Clock, function: String, qualifier: FunctionQualifier, payload: Data, rate: Double, duration: TimeInterval, maximumConcurrency: Int = 32) throws {
        guard rate.isFinite, rate > 0, rate <= 1000 else {
            throw ShiftCoreError.invalidValue(field: "--rate", value: rate.compact, expected: "invocations per second, more than 0 and at most 1000")
        }
        try DurationBounds.run.check(duration, field: "--duration")
        guard maximumConcurrency >= 1 else {
            throw ShiftCoreError.invalidValue(field: "--concurrency", value: String(maximumConcurrency), expected: "1 or more")
        }
        self.platform = platform
        self.clock = clock
        self.function = function
        self.qualifier = qualifier
        self.payload = payload
        self.rate = rate
        self.duration = duration
        self.maximumConcurrency = maximumConcurrency
    }

    /// Runs the schedule to its end (or until cancelled), calling `progress` about every `reportInterval`.
    public func run(reportInterval: TimeInterval = 1, progress: @Sendable (Tally) -> Void = { _ in }) async -> Tally {
        let tally = TallyBox()
        let start = clock.now
        let count = Int((rate * duration).rounded(.down))
        var nextReport = start.addingTimeInterval(reportInterval)
        await withTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for index in 0..<count {
                do {
                    try await clock.sleep(until: start.addingTimeInterval(Double(index) / rate))
                } catch {
                    break
                }
                if inFlight >= maximumConcurrency {
                    await group.next()
                    inFlight -= 1
                }
                let now = clock.now
                if now >= nextReport {
                    progress(await tally.snapshot(elapsed: now.timeIntervalSince(start)))
                    nextReport = nextReport.addingTimeInterval(reportInterval * ((now.timeIntervalSince(nextReport) / reportInterval).rounded(.down) + 1))
                }
                inFlight += 1
                group.addTask {
                    do {
                        let result = try await platform.invoke(function, qualifier: qualifier, payload: payload)
                        await tally.record(version: result.executedVersion, isError: !result.succeeded)
                    } catch let throttled as InvocationThrottled {
                        await tally.recordThrottle(version: throttled.version)
                    } catch {
                        await tally.recordFailure((error as? LocalizedError)?.errorDescription ?? "\(error)")
                    }
                }
            }
        }
        return await tally.snapshot(elapsed: clock.now.timeIntervalSince(start))
    }

    private actor TallyBox {
        var tally = Tally()

        func record(version: String, isError: Bool) {
            tally.versions[version, default: VersionTally()].invocations += 1
            if isError { tally.versions[version, default: VersionTally()].errors += 1 }
        }

        func recordThrottle(version: String) {
            tally.versions[version, default: VersionTally()].throttles += 1
        }

        func recordFailure(_ reason: String) {
            tally.failures += 1
            tally.lastFailure = reason
        }

        func snapshot(elapsed: TimeInterval) -> Tally {
            var copy = tally
            copy.elapsed = elapsed
            return copy
        }
    }
}

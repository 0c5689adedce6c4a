import Foundation
import ShiftCore
import ShiftStorage

/// The embedded platform: functions are programs on this machine, state lives in a state directory,
/// and metrics come from real invocations.
public struct LocalPlatform: FunctionPlatform {
    public let state: StateDirectory
    public let functions: LocalFunctionStore
    public let alarms: LocalAlarmStore
    let clock: any Clock
    /// The memory Lambda gives a function by default; reported, and told to handlers, not enforced.
    public static let memorySize = 128
    /// Variables passed through from shift's own environment to every handler; nothing else leaks in.
    let inheritedEnvironment: [String: String]
    /// Resolves `{{param:/path}}` references in function environments at each invocation; nil when none is configured.
    let parameters: (any ParameterResolver)?

    /// Variables a handler inherits from the process that runs it.
    public static let inheritedVariableNames = ["PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR"]

    public init(state: StateDirectory, clock: any Clock, processEnvironment: [String: String] = ProcessInfo.processInfo.environment, parameters: (any ParameterResolver)? = nil) {
        self.parameters = parameters
        self.state = state
        self.clock = clock
        self.functions = LocalFunctionStore(state: state, clock: clock)
        self.alarms = LocalAlarmStore(state: state, clock: clock)
        self.inheritedEnvironment = processEnvironment.filter { Self.inheritedVariableNames.contains($0.key) }
    }

    /// The metrics log of one function.
    public func metricsLog(of function: String) -> MetricsLog {
        MetricsLog(directory: state.metricsDirectory(function))
    }

    // MARK: FunctionPlatform

    public func version(_ number: Int, of function: String) async throws -> FunctionVersion {
        try functions.version(number, of: function)
    }

    public func alias(_ name: String, of function: String) async throws -> Alias {
        Self.withARN(try functions.alias(name, of: function))
    }

    public func updateAlias(_ name: String, of function: String, routing: AliasRouting, revisionId: String?) async throws -> Alias {
        Self.withARN(try functions.updateAlias(name, of: function, routing: routing, revisionId: revisionId))
    }

    /// `alias` with its local ARN, which is derived rather than stored.
    static func withARN(_ alias: Alias) -> Alias {
        var alias = alias
        alias.arn = LocalARN.function(alias.functionName, qualifier: alias.name)
        return alias
    }

    public func checkInvocable(_ function: String, qualifier: FunctionQualifier) async throws {
        var generator = SystemRandomNumberGenerator()
        _ = try resolve(try functions.function(function), qualifier: qualifier, using: &generator)
    }

    public func invoke(_ function: String, qualifier: FunctionQualifier, payload: Data) async throws -> InvocationResult {
        var generator = SystemRandomNumberGenerator()
        return try await invoke(function, qualifier: qualifier, payload: payload, using: &generator)
    }

    /// Invokes with an explicit source of randomness for weighted routing.
    /// - Throws: `ShiftCoreError` for a bad payload or a missing function, version or alias; `StorageError`.
    public func invoke(_ function: String, qualifier: FunctionQualifier, payload: Data, using generator: inout some RandomNumberGenerator) async throws -> InvocationResult {
        try InvocationPayload.validate(payload)
        // function.json once: what the qualifier resolves through, and the reserved concurrency.
        let record = try functions.function(function)
        let target = try resolve(record, qualifier: qualifier, using: &generator)
        let (configured, masker) = try await resolveParameters(in: target.configuration.environment, of: function)
        let requestId = UUID().uuidString.lowercased()
        var environment = inheritedEnvironment.merging(configured) { _, configured in configured }
        environment["SHIFT_FUNCTION_NAME"] = function
        environment["SHIFT_FUNCTION_VERSION"] = target.executedVersion
        environment["SHIFT_ALIAS"] = target.alias ?? ""
        // Lambda's reserved variables win over the function's own, as on Lambda.
        environment.merge(lambdaVariables(function, target: target, requestId: requestId)) { _, reserved in reserved }
        let runtime = try target.configuration.runtime.map(LambdaRuntime.init)
        let command = try runtime.map { try runtimeCommand($0, handler: target.configuration.handler, environment: &environment) } ?? target.configuration.handler
        let slot = try acquireConcurrencySlot(record, target: target)
        defer { slot?.unlock() }
        // Whatever the handler prints leaves shift with every resolved value masked, masked before it is cut.
        let process = HandlerProcess(command: command, workingDirectory: target.workingDirectory, environment: environment,
                                     timeout: target.configuration.timeout, masker: masker, usesResponseDescriptor: runtime != nil)
        let startedAt = clock.now
        let outcome = try await process.run(input: payload)
        let (response, functionError) = runtime == nil
            ? (outcome.stdout, Self.functionError(for: outcome, timeout: target.configuration.timeout))
            : LambdaRuntime.result(of: outcome, timeout: target.configuration.timeout, requestId: requestId)
        try metricsLog(of: function).append(InvocationRecord(
            timestamp: startedAt, alias: target.alias, executedVersion: target.executedVersion,
            durationMilliseconds: outcome.duration * 1000, isError: functionError != nil))
        return InvocationResult(
            executedVersion: target.executedVersion, payload: response, functionError: functionError,
            duration: outcome.duration, logTail: String(decoding: outcome.stderrTail, as: UTF8.self))
    }

    /// The environment with every `{{param:/path}}` replaced by its current value, and a masker for those values.
    /// - Throws: `ShiftCoreError.refused` when references exist but no parameter store is configured; the resolver's
    ///   error naming a missing parameter.
    func resolveParameters(in environment: [String: String], of function: String) async throws -> ([String: String], SecretMasker) {
        var resolved = environment
        var masker = SecretMasker()
        for (key, value) in environment where value.contains(ParameterReference.opening) {
            guard let parameters else {
                throw ShiftCoreError.refused(reason: "function \(function)'s variable \(key) references a parameter, and no master key is available; set SHIFT_MASTER_KEY, SHIFT_PASSPHRASE or SHIFT_KEY_FILE, or run 'shift key init'")
            }
            let (text, values) = try await ParameterReference.resolve(in: value, using: parameters)
            resolved[key] = text
            masker = masker.adding(values)
        }
        return (resolved, masker)
    }

    /// A free slot of the function's reserved concurrency, held until the handler ends; nil when it has no limit.
    ///
    /// Slots are lock files, so the limit holds across every `shift` process on the state directory, and a slot
    /// whose process dies is free again at once (the kernel drops its `flock`).
    /// - Throws: `InvocationThrottled` after recording a throttle when every slot is taken (or the limit is 0).
    func acquireConcurrencySlot(_ record: FunctionRecord, target: Target) throws -> FileLock? {
        let function = record.name
        guard let limit = record.reservedConcurrency else { return nil }
        if limit > 0 {
            // Start at a random slot, so concurrent invocations do not all contend for slot 0 first.
            let start = Int.random(in: 0..<limit)
            for offset in 0..<limit {
                let lock = try FileLock(url: state.concurrencySlot(function, (start + offset) % limit))
                if try lock.tryLock() { return lock }
            }
        }
        try metricsLog(of: function).append(InvocationRecord(
            timestamp: clock.now, alias: target.alias, executedVersion: target.executedVersion,
            durationMilliseconds: 0, isError: false, isThrottle: true))
        throw InvocationThrottled(function: function, version: target.executedVersion, reservedConcurrency: limit)
    }

    /// What one invocation will run.
    struct Target {
        var executedVersion: String
        var alias: String?
        var configuration: FunctionConfiguration
        var workingDirectory: URL
    }

    func resolve(_ record: FunctionRecord, qualifier: FunctionQualifier, using generator: inout some RandomNumberGenerator) throws -> Target {
        switch qualifier {
        case .latest:
            return Target(executedVersion: "$LATEST", alias: nil, configuration: record.configuration, workingDirectory: CodeSnapshot.workingDirectory(for: record.codeURL))
        case let .version(number):
            let version = try functions.version(number, of: record)
            return Target(executedVersion: String(number), alias: nil, configuration: version.configuration, workingDirectory: functions.codeDirectory(of: record.name, version: number))
        case let .alias(name):
            let alias = try functions.alias(name, of: record)
            let number = alias.routing.route(using: &generator)
            var target = try resolve(record, qualifier: .version(number), using: &generator)
            target.alias = name
            return target
        }
    }

    /// Why an outcome counts as an error, in the words Lambda uses where it has them.
    static func functionError(for outcome: HandlerProcess.Outcome, timeout: TimeInterval) -> String? {
        switch outcome.termination {
        case .timedOut:
            return "Task timed out after \(timeout.compact) seconds"
        case let .signalled(signal):
            return "Handler killed by signal \(signal)"
        case let .exited(status) where status != 0:
            return "Handler exited with status \(status)"
        case .exited:
            if outcome.stdoutTruncated {
                return "Response exceeds \(HandlerProcess.responseLimit) bytes"
            }
            return nil
        }
    }
}

extension LocalPlatform: FunctionCatalog {
    public func publish(_ function: String, description: String) async throws -> (version: FunctionVersion, isNew: Bool) {
        try functions.publish(function, description: description)
    }

    /// Update and publish under the account's lock, which every update of a function takes.
    public func publish(_ function: String, applying change: FunctionChange, description: String) async throws -> (version: FunctionVersion, isNew: Bool) {
        try checkRuntime(of: change.applied(to: functions.function(function).configuration))
        return try functions.updateAndPublish(name: function, change: change, description: description)
    }

    /// Local alarms are files: polling them every second costs nothing.
    public var defaultPollInterval: TimeInterval { 1 }

    public func versions(of function: String) async throws -> [FunctionVersion] {
        try functions.versions(of: function)
    }

    public func aliases(of function: String) async throws -> [Alias] {
        try functions.aliases(of: function).map(Self.withARN)
    }

    public func createAlias(_ name: String, of function: String, routing: AliasRouting, description: String) async throws -> Alias {
        Self.withARN(try functions.createAlias(name, of: function, routing: routing, description: description))
    }

    public func updateAlias(_ name: String, of function: String, routing: AliasRouting?, description: String?, revisionId: String?) async throws -> Alias {
        Self.withARN(try functions.updateAlias(name, of: function, routing: routing, description: description, revisionId: revisionId))
    }

    public func deleteAlias(_ name: String, of function: String, isBusy: @Sendable () throws -> String?) async throws {
        try functions.deleteAlias(name, of: function, isBusy: isBusy)
    }
}

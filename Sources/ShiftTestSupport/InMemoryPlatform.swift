import Foundation
import ShiftCore

/// A `FunctionPlatform` held in memory, for engine tests: published versions, aliases with revision ids,
/// a record of every `updateAlias` call, scripted faults and scripted hook functions.
///
/// Lock-protected rather than an actor so that tests and `ClockDriver` can read it synchronously.
/// Time comes from the injected clock, so recorded calls line up with a `ManualClock`'s timeline.
public final class InMemoryPlatform: FunctionCatalog, @unchecked Sendable {
    /// One `updateAlias` call: when it was made, the routing it asked for, and whether it was applied.
    public struct AliasUpdate: Equatable, Sendable {
        /// The clock's time of the call.
        public var time: Date
        /// The function whose alias was to move.
        public var function: String
        /// The alias name.
        public var alias: String
        /// The routing the caller asked for.
        public var routing: AliasRouting
        /// False when the call threw: a scripted failure, a stale revision, an unpublished version.
        public var isApplied: Bool
    }

    /// One invocation of a function, as a hook script sees it.
    public struct Invocation: Sendable {
        /// The function invoked.
        public let function: String
        /// The qualifier it was invoked at.
        public let qualifier: FunctionQualifier
        /// The event it received.
        public let payload: Data
        /// Where the invocation counts itself running or sleeping, and whose clock it sleeps on.
        let platform: InMemoryPlatform

        /// The payload decoded as the event the engine sends hooks, if it is one.
        public var hookEvent: HookEvent? { try? JSONDecoder().decode(HookEvent.self, from: payload) }

        /// Sleeps on the platform's clock, as a slow hook. Use this, not the clock directly: while it sleeps the
        /// invocation counts as waiting on the clock, which is what lets a driver advance time.
        /// - Throws: `CancellationError` when the invocation is cancelled (e.g. by the engine's hook timeout).
        public func sleep(for seconds: TimeInterval) async throws {
            platform.changeActivity(running: -1, sleeping: +1)
            defer { platform.changeActivity(running: +1, sleeping: -1) }
            try await platform.clock.sleep(for: seconds)
        }
    }

    /// What a scripted function does when invoked: return a result, sleep first, or throw.
    public typealias Script = @Sendable (Invocation) async throws -> InvocationResult

    /// How many invocations are in progress: `running` ones do work, `sleeping` ones wait on the clock.
    public struct InvocationActivity: Equatable, Sendable {
        /// Invocations doing work (or about to return).
        public var running: Int
        /// Invocations inside `Invocation.sleep(for:)`.
        public var sleeping: Int
    }

    private struct FunctionState {
        var versions: [Int: FunctionVersion] = [:]
        var aliases: [String: Alias] = [:]
        var script: Script?
    }

    private struct ScriptedFailure {
        var remaining: Int
        var matches: @Sendable (AliasRouting) -> Bool
        var error: Error
    }

    let clock: any Clock
    // Guarded by `lock`.
    private let lock = NSLock()
    private var functions: [String: FunctionState] = [:]
    private var updateLog: [AliasUpdate] = []
    private var invocationLog: [Invocation] = []
    private var failures: [ScriptedFailure] = []
    private var updateObserver: (@Sendable (AliasUpdate) -> Void)?
    private var activity = InvocationActivity(running: 0, sleeping: 0)
    private var pendingNotices: [String] = []

    /// A platform without functions, on `clock`.
    public init(clock: any Clock) {
        self.clock = clock
    }

    // MARK: Setting up

    /// Creates `function` (if new) with published `versions`.
    public func publish(_ function: String, versions: [Int]) {
        let now = clock.now
        lock.withLock {
            for number in versions {
                // A fixed, valid configuration: the engine never looks inside it.
                let configuration = try! FunctionConfiguration(handler: "./handler.sh")
                functions[function, default: FunctionState()].versions[number] = FunctionVersion(
                    number: number, codeSHA256: "sha-\(function)-\(number)", configuration: configuration, description: "", publishedAt: now)
            }
        }
    }

    /// Creates or replaces an alias, with a fresh revision id, as an administrator would; not recorded as an update.
    @discardableResult
    /// With `keepingRevision`, the revision id stays as it was, as some services (moto) leave it.
    public func setAlias(_ name: String, of function: String, routing: AliasRouting, keepingRevision: Bool = false) -> Alias {
        lock.withLock {
            let revision = keepingRevision ? functions[function]?.aliases[name]?.revisionId : nil
            let alias = Alias(functionName: function, name: name, routing: routing, revisionId: revision ?? UUID().uuidString, description: "", updatedAt: clock.now)
            functions[function, default: FunctionState()].aliases[name] = alias
            return alias
        }
    }

    /// Queues a note for the event log, as a platform notes a retried call.
    public func addNotice(_ notice: String) {
        lock.withLock { pendingNotices.append(notice) }
    }

    /// Seconds between alarm polls when a request does not say.
    public var defaultPollInterval: TimeInterval { 1 }

    /// Changes an alias's routing and description (through `updateAlias(_:of:routing:revisionId:)`, so recorded).
    public func updateAlias(_ name: String, of function: String, routing: AliasRouting?, description: String?, revisionId: String?) async throws -> Alias {
        let current = try await alias(name, of: function)
        return try await updateAlias(name, of: function, routing: routing ?? current.routing, revisionId: revisionId)
    }

    /// Publishing `$LATEST` as is: the newest version.
    /// - Throws: `ShiftCoreError.notFound` for a function without versions.
    public func publish(_ function: String, description: String) async throws -> (version: FunctionVersion, isNew: Bool) {
        try await publish(function, applying: FunctionChange(), description: description)
    }

    public func drainNotices() -> [String] {
        lock.withLock {
            defer { pendingNotices.removeAll() }
            return pendingNotices
        }
    }

    /// Makes `function` (created if new) run `script` when invoked. Unscripted functions answer `{}` successfully.
    public func script(_ function: String, _ script: @escaping Script) {
        lock.withLock { functions[function, default: FunctionState()].script = script }
    }

    /// Makes the next `count` `updateAlias` calls whose routing satisfies `predicate` throw `error` (and change nothing).
    public func failNextUpdates(_ count: Int, where predicate: @escaping @Sendable (AliasRouting) -> Bool = { _ in true },
                                error: Error = ShiftCoreError.failed(reason: "scripted platform failure")) {
        lock.withLock { failures.append(ScriptedFailure(remaining: count, matches: predicate, error: error)) }
    }

    /// Calls `observer` at the start of every `updateAlias` call, before anything changes, e.g. to look at the journal.
    public func whenUpdatingAlias(_ observer: @escaping @Sendable (AliasUpdate) -> Void) {
        lock.withLock { updateObserver = observer }
    }

    // MARK: Inspecting

    /// Every `updateAlias` call in order, applied or not.
    public var updates: [AliasUpdate] { lock.withLock { updateLog } }

    /// The `updateAlias` calls that changed the alias, in order.
    public var appliedUpdates: [AliasUpdate] { updates.filter(\.isApplied) }

    /// Every invocation in order.
    public var invocations: [Invocation] { lock.withLock { invocationLog } }

    /// Invocations in progress, for `ClockDriver`.
    public var invocationActivity: InvocationActivity { lock.withLock { activity } }

    /// The alias as stored, or nil.
    public func currentAlias(_ name: String, of function: String) -> Alias? {
        lock.withLock { functions[function]?.aliases[name] }
    }

    // MARK: FunctionPlatform

    /// A published version.
    /// - Throws: `ShiftCoreError.notFound` for an unknown function or version.
    public func version(_ number: Int, of function: String) async throws -> FunctionVersion {
        try lock.withLock {
            let state = try existing(function)
            guard let version = state.versions[number] else {
                throw ShiftCoreError.notFound(kind: "version", name: "\(function):\(number)", hint: "published versions are \(state.versions.keys.sorted())")
            }
            return version
        }
    }

    /// The alias as stored.
    /// - Throws: `ShiftCoreError.notFound` for an unknown function or alias.
    public func alias(_ name: String, of function: String) async throws -> Alias {
        try lock.withLock { try existingAlias(name, of: function) }
    }

    /// Records the call, then applies it with a new revision id unless a scripted failure, a stale revision or an
    /// unpublished version stops it.
    /// - Throws: the scripted error; `ShiftCoreError.conflict` for a stale `revisionId`; `ShiftCoreError.notFound`.
    public func updateAlias(_ name: String, of function: String, routing: AliasRouting, revisionId: String?) async throws -> Alias {
        let now = clock.now
        let call = AliasUpdate(time: now, function: function, alias: name, routing: routing, isApplied: false)
        let observer = lock.withLock { updateObserver }
        observer?(call)
        return try lock.withLock {
            var applied = call
            defer { updateLog.append(applied) }
            if let index = failures.firstIndex(where: { $0.remaining > 0 && $0.matches(routing) }) {
                failures[index].remaining -= 1
                throw failures[index].error
            }
            let current = try existingAlias(name, of: function)
            if let revisionId, revisionId != current.revisionId {
                throw ShiftCoreError.conflict(reason: "alias \(function):\(name) changed since revision \(revisionId) (now \(current.revisionId))")
            }
            for version in routing.versions where functions[function]?.versions[version] == nil {
                throw ShiftCoreError.notFound(kind: "version", name: "\(function):\(version)", hint: "publish it first")
            }
            var updated = current
            updated.routing = routing
            updated.revisionId = UUID().uuidString
            updated.updatedAt = now
            functions[function]?.aliases[name] = updated
            applied.isApplied = true
            return updated
        }
    }

    /// Checks that the function, and the version or alias it is qualified with, exist.
    /// - Throws: `ShiftCoreError.notFound` naming what is missing.
    public func checkInvocable(_ function: String, qualifier: FunctionQualifier) async throws {
        try lock.withLock {
            let state = try existing(function)
            switch qualifier {
            case .latest:
                break
            case let .version(number) where state.versions[number] == nil:
                throw ShiftCoreError.notFound(kind: "version", name: "\(function):\(number)", hint: "publish it first")
            case let .alias(name) where state.aliases[name] == nil:
                throw ShiftCoreError.notFound(kind: "alias", name: "\(function):\(name)", hint: "create it first")
            case .version, .alias:
                break
            }
        }
    }

    /// Records the invocation and runs the function's script; an unscripted function answers `{}` successfully.
    /// - Throws: `ShiftCoreError.notFound` for an unknown function; whatever the script throws.
    public func invoke(_ function: String, qualifier: FunctionQualifier, payload: Data) async throws -> InvocationResult {
        let invocation = Invocation(function: function, qualifier: qualifier, payload: payload, platform: self)
        let script: Script? = try lock.withLock {
            let state = try existing(function)
            invocationLog.append(invocation)
            activity.running += 1
            return state.script
        }
        defer { changeActivity(running: -1, sleeping: 0) }
        guard let script else { return Self.result("{}") }
        return try await script(invocation)
    }

    // MARK: Results

    /// A result with `json` as the response; `functionError` makes it a failed invocation.
    public static func result(_ json: String, functionError: String? = nil, logTail: String = "") -> InvocationResult {
        InvocationResult(executedVersion: "$LATEST", payload: Data(json.utf8), functionError: functionError, duration: 0.01, logTail: logTail)
    }

    // MARK: Private

    fileprivate func changeActivity(running: Int, sleeping: Int) {
        lock.withLock {
            activity.running += running
            activity.sleeping += sleeping
        }
    }

    /// Publishes the function's code as the next version: "code" is the last path component of `change.codePath`
    /// (the test's name for the bytes), its CodeSha256 is `sha-<code>`; unchanged code returns the newest version.
    /// - Throws: `ShiftCoreError.notFound` for an unknown function.
    public func publish(_ function: String, applying change: FunctionChange, description: String) async throws -> (version: FunctionVersion, isNew: Bool) {
        let now = clock.now
        return try lock.withLock {
            let state = try existing(function)
            let code = change.codePath.map { "sha-\($0.lastPathComponent)" }
            let newest = state.versions.keys.max().flatMap { state.versions[$0] }
            if let newest, code == nil || newest.codeSHA256 == code { return (newest, false) }
            let version = FunctionVersion(number: (newest?.number ?? 0) + 1, codeSHA256: code ?? "sha-\(function)-1",
                                          configuration: try FunctionConfiguration(handler: "./handler.sh"), description: description, publishedAt: now)
            functions[function]?.versions[version.number] = version
            return (version, true)
        }
    }

    /// Every published version, oldest first.
    public func versions(of function: String) async throws -> [FunctionVersion] {
        try lock.withLock { try existing(function).versions.values.sorted { $0.number < $1.number } }
    }

    /// Every alias of the function, by name.
    public func aliases(of function: String) async throws -> [Alias] {
        try lock.withLock { try existing(function).aliases.values.sorted { $0.name < $1.name } }
    }

    /// Creates an alias; not recorded as an update.
    /// - Throws: `ShiftCoreError.alreadyExists`; `ShiftCoreError.notFound` for an unknown function.
    public func createAlias(_ name: String, of function: String, routing: AliasRouting, description: String) async throws -> Alias {
        try lock.withLock {
            guard try existing(function).aliases[name] == nil else {
                throw ShiftCoreError.alreadyExists(kind: "alias", name: "\(function):\(name)", hint: "update it instead")
            }
            let alias = Alias(functionName: function, name: name, routing: routing, revisionId: UUID().uuidString, description: description, updatedAt: clock.now)
            functions[function]?.aliases[name] = alias
            return alias
        }
    }

    /// Deletes an alias.
    /// - Throws: `ShiftCoreError.notFound`; `ShiftCoreError.refused` when `isBusy` says why not.
    public func deleteAlias(_ name: String, of function: String, isBusy: @Sendable () throws -> String?) async throws {
        if let reason = try isBusy() { throw ShiftCoreError.refused(reason: reason) }
        try lock.withLock {
            _ = try existingAlias(name, of: function)
            functions[function]?.aliases[name] = nil
        }
    }

    // MARK: Functions (FunctionCatalog)

    /// Creates a function without versions; its code is named by `code`'s last path component, as `publish` reads it.
    /// - Throws: `ShiftCoreError.alreadyExists`.
    public func createFunction(_ name: String, code: URL, configuration: FunctionConfiguration, creation: FunctionCreation) async throws -> FunctionDetails {
        try lock.withLock {
            guard functions[name] == nil else { throw ShiftCoreError.alreadyExists(kind: "function", name: name, hint: "update it instead") }
            functions[name] = FunctionState()
        }
        return FunctionDetails(name: name, configuration: configuration, codeSHA256: "sha-\(code.lastPathComponent)", lastModified: clock.now)
    }

    /// The function's `$LATEST` as its newest version describes it (this double keeps no separate `$LATEST`).
    /// - Throws: `ShiftCoreError.notFound`.
    public func updateFunction(_ name: String, change: FunctionChange) async throws -> FunctionDetails {
        try await function(name)
    }

    /// The function's newest version's configuration and code (or a fixed configuration before any version), at
    /// any qualifier: this double keeps no separate `$LATEST`.
    /// - Throws: `ShiftCoreError.notFound`.
    public func function(_ name: String, qualifier: FunctionQualifier) async throws -> FunctionDetails {
        try lock.withLock { try details(name, try existing(name)) }
    }

    /// Every published version's configuration, oldest first.
    /// - Throws: `ShiftCoreError.notFound`.
    public func versionConfigurations(of function: String) async throws -> [FunctionDetails] {
        try await versions(of: function).map { version in
            FunctionDetails(name: function, configuration: version.configuration, codeSHA256: version.codeSHA256, lastModified: version.publishedAt)
        }
    }

    /// Every function, by name.
    public func functions() async throws -> [FunctionDetails] {
        try lock.withLock { try functions.keys.sorted().map { try details($0, functions[$0]!) } }
    }

    /// Deletes a function unless `isBusy` says why not.
    /// - Throws: `ShiftCoreError.notFound`; `ShiftCoreError.refused`.
    public func deleteFunction(_ name: String, isBusy: @Sendable (String) throws -> String?) async throws {
        if let reason = try isBusy(name) { throw ShiftCoreError.refused(reason: reason) }
        try lock.withLock {
            _ = try existing(name)
            functions[name] = nil
        }
    }

    /// Call with `lock` held.
    private func details(_ name: String, _ state: FunctionState) throws -> FunctionDetails {
        let newest = state.versions.keys.max().flatMap { state.versions[$0] }
        var details = FunctionDetails(name: name, configuration: try newest?.configuration ?? FunctionConfiguration(handler: "./handler.sh"),
                                      codeSHA256: newest?.codeSHA256, lastModified: newest?.publishedAt)
        details.versionCount = state.versions.count
        return details
    }

    /// Call with `lock` held.
    private func existing(_ function: String) throws -> FunctionState {
        guard let state = functions[function] else {
            throw ShiftCoreError.notFound(kind: "function", name: function, hint: "publish it in the test first")
        }
        return state
    }

    /// Call with `lock` held.
    private func existingAlias(_ name: String, of function: String) throws -> Alias {
        guard let alias = try existing(function).aliases[name] else {
            throw ShiftCoreError.notFound(kind: "alias", name: "\(function):\(name)", hint: "create it in the test first")
        }
        return alias
    }
}

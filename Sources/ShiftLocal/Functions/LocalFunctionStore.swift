import Foundation
import ShiftCore
import ShiftStorage

/// Functions, versions and aliases of one account, kept in the state directory.
///
/// Every read-modify-write holds the account's lock; every write is atomic. Readers take no lock:
/// files are only ever replaced by rename, so a reader sees a whole old file or a whole new one.
public struct LocalFunctionStore: Sendable {
    public let state: StateDirectory
    let clock: any Clock

    public init(state: StateDirectory, clock: any Clock) {
        self.state = state
        self.clock = clock
    }

    // MARK: Functions

    /// Creates a function whose `$LATEST` runs the code at `codePath`.
    /// - Throws: `ShiftCoreError.alreadyExists`, `ShiftCoreError.invalidValue`, `LocalPlatformError.unreadableCode`.
    @discardableResult
    public func createFunction(name: String, codePath: URL, configuration: FunctionConfiguration, reservedConcurrency: Int? = nil) throws -> FunctionRecord {
        try ResourceName.validateFunction(name)
        let reserved = try FunctionChange(reservedConcurrency: reservedConcurrency).appliedReservedConcurrency(to: nil)
        try CodeSnapshot.validate(codePath)
        return try withAccountLock {
            guard try readFunction(name) == nil else {
                throw ShiftCoreError.alreadyExists(kind: "function", name: name, hint: "use 'shift function update \(name)' to change it")
            }
            let now = clock.now
            let record = FunctionRecord(name: name, codePath: codePath.standardizedFileURL.path, configuration: configuration, createdAt: now, updatedAt: now, reservedConcurrency: reserved)
            try JSONFile.write(record, to: state.functionFile(name))
            return record
        }
    }

    /// Applies `change` to a function's `$LATEST`.
    /// - Throws: `ShiftCoreError.notFound`, `ShiftCoreError.invalidValue`, `LocalPlatformError.unreadableCode`.
    @discardableResult
    public func updateFunction(name: String, change: FunctionChange) throws -> FunctionRecord {
        if let codePath = change.codePath { try CodeSnapshot.validate(codePath) }
        return try withAccountLock { try apply(change, to: name) }
    }

    /// Applies `change` and publishes the result, holding the account's lock throughout: no other update (a
    /// `function update` in another process) can come between, so the version holds exactly `change`'s code.
    /// - Throws: as `updateFunction` and `publish`.
    public func updateAndPublish(name: String, change: FunctionChange, description: String) throws -> (version: FunctionVersion, isNew: Bool) {
        if let codePath = change.codePath { try CodeSnapshot.validate(codePath) }
        return try withAccountLock {
            try apply(change, to: name)
            return try publishHoldingLock(name, description: description)
        }
    }

    /// The caller holds the account lock.
    @discardableResult
    private func apply(_ change: FunctionChange, to name: String) throws -> FunctionRecord {
        var record = try function(name)
        record.configuration = try change.applied(to: record.configuration)
        record.reservedConcurrency = try change.appliedReservedConcurrency(to: record.reservedConcurrency)
        if let codePath = change.codePath { record.codePath = codePath.standardizedFileURL.path }
        record.updatedAt = clock.now
        try JSONFile.write(record, to: state.functionFile(name))
        return record
    }

    /// The function named `name`.
    /// - Throws: `ShiftCoreError.notFound` when there is none; `StorageError.corruptState` when its file is damaged.
    public func function(_ name: String) throws -> FunctionRecord {
        try ResourceName.validateFunction(name)
        guard let record = try readFunction(name) else {
            throw ShiftCoreError.notFound(kind: "function", name: name, hint: "create it with 'shift function create \(name) --code PATH --handler CMD' (account '\(state.account)')")
        }
        return record
    }

    /// Every function of the account, by name.
    public func functions() throws -> [FunctionRecord] {
        try state.entries(in: state.functionsDirectory).compactMap { try readFunction($0) }
    }

    /// Deletes a function with its versions and metrics.
    /// - Parameter isBusy: says why the function may not go (a deployment in progress), or nil.
    /// - Throws: `ShiftCoreError.refused` while an alias points at it or `isBusy` says so.
    public func deleteFunction(_ name: String, isBusy: (String) throws -> String? = { _ in nil }) throws {
        try withAccountLock {
            _ = try function(name)
            let aliases = try aliasNames(of: name)
            guard aliases.isEmpty else {
                throw ShiftCoreError.refused(reason: "function '\(name)' still has aliases (\(aliases.joined(separator: ", "))); delete them first with 'shift alias delete \(name) ALIAS'")
            }
            if let reason = try isBusy(name) {
                throw ShiftCoreError.refused(reason: "function '\(name)' is in use: \(reason)")
            }
            // Rename first so that a crash mid-delete leaves no half-function under the real name.
            let doomed = state.functionsDirectory.appendingPathComponent(".deleted-\(name)-\(UUID().uuidString)")
            try FileManager.default.moveItem(at: state.functionDirectory(name), to: doomed)
            AtomicFile.syncDirectory(state.functionsDirectory)
            try? FileManager.default.removeItem(at: doomed)
        }
    }

    // MARK: Versions

    /// Snapshots the function's code and configuration as a new version, unless they equal the latest version's.
    /// - Returns: the version, and whether it is new.
    /// - Throws: `ShiftCoreError.notFound`, `StorageError`.
    public func publish(_ name: String, description: String = "") throws -> (version: FunctionVersion, isNew: Bool) {
        try withAccountLock { try publishHoldingLock(name, description: description) }
    }

    /// The caller holds the account lock.
    private func publishHoldingLock(_ name: String, description: String) throws -> (version: FunctionVersion, isNew: Bool) {
        do {
            let record = try function(name)
            let versionsDirectory = state.versionsDirectory(name)
            removeAbandonedSnapshots(in: versionsDirectory)
            // Hash the copy, not the source: what we record is exactly what we stored, even if the source changes meanwhile.
            let staging = versionsDirectory.appendingPathComponent(".staging-\(UUID().uuidString)")
            try CodeSnapshot.copy(from: record.codeURL, to: staging.appendingPathComponent("code"))
            let codeSHA256 = try CodeSnapshot.hash(of: snapshotCodeURL(staging.appendingPathComponent("code"), source: record.codeURL))
            let latestNumber = versionNumbers(of: name).last
            // A damaged latest version.json must stop the publish: skipping it would publish a duplicate version.
            let latest: FunctionVersion?
            do {
                latest = try latestNumber.map { try self.version($0, of: name) }
            } catch {
                try? FileManager.default.removeItem(at: staging)
                throw error
            }
            if let latest, latest.matches(codeSHA256: codeSHA256, configuration: record.configuration) {
                try? FileManager.default.removeItem(at: staging)
                return (latest, false)
            }
            let version = FunctionVersion(
                number: (latestNumber ?? 0) + 1,
                codeSHA256: codeSHA256,
                configuration: record.configuration,
                description: description,
                publishedAt: clock.now
            )
            try JSONFile.write(version, to: staging.appendingPathComponent("version.json"))
            // The rename publishes: before it the version does not exist, after it it is complete.
            guard rename(staging.path, state.versionDirectory(name, version.number).path) == 0 else {
                let detail = StorageError.errnoDescription()
                try? FileManager.default.removeItem(at: staging)
                throw StorageError.io(path: state.versionDirectory(name, version.number).path, operation: "publish", detail: detail)
            }
            AtomicFile.syncDirectory(versionsDirectory)
            return (version, true)
        }
    }

    /// A published version.
    /// - Throws: `ShiftCoreError.notFound` naming the versions that exist.
    public func version(_ number: Int, of function: String) throws -> FunctionVersion {
        try version(number, of: try self.function(function))
    }

    /// A published version of a function whose record the caller has read (an invocation reads it once).
    /// - Throws: `ShiftCoreError.notFound` naming the versions that exist.
    public func version(_ number: Int, of record: FunctionRecord) throws -> FunctionVersion {
        let function = record.name
        guard let version = try JSONFile.readIfPresent(FunctionVersion.self, from: state.versionFile(function, number)) else {
            let existing = versionNumbers(of: function)
            let hint = existing.isEmpty
                ? "publish one with 'shift function publish \(function)'"
                : "published versions are \(existing.map(String.init).joined(separator: ", "))"
            throw ShiftCoreError.notFound(kind: "version", name: "\(function):\(number)", hint: hint)
        }
        return version
    }

    /// Every published version, oldest first.
    public func versions(of function: String) throws -> [FunctionVersion] {
        _ = try self.function(function)
        return try versionNumbers(of: function).map { try version($0, of: function) }
    }

    /// Where a version's code lives, as a handler's working directory.
    public func codeDirectory(of function: String, version number: Int) -> URL {
        state.versionCode(function, number)
    }

    // MARK: Aliases

    /// Creates an alias.
    /// - Throws: `ShiftCoreError.alreadyExists`, `ShiftCoreError.notFound` for an unpublished version.
    @discardableResult
    public func createAlias(_ name: String, of function: String, routing: AliasRouting, description: String = "") throws -> Alias {
        try ResourceName.validateAlias(name)
        return try withAccountLock {
            try requirePublished(routing, of: function)
            guard try readAlias(name, of: function) == nil else {
                throw ShiftCoreError.alreadyExists(kind: "alias", name: "\(function):\(name)", hint: "use 'shift alias update \(function) \(name)' to move it")
            }
            let alias = Alias(functionName: function, name: name, routing: routing, revisionId: UUID().uuidString.lowercased(), description: description, updatedAt: clock.now)
            try JSONFile.write(alias, to: state.aliasFile(function, name))
            return alias
        }
    }

    /// An alias.
    /// - Throws: `ShiftCoreError.notFound`.
    public func alias(_ name: String, of function: String) throws -> Alias {
        try ResourceName.validateAlias(name)
        return try alias(name, of: try self.function(function))
    }

    /// An alias of a function whose record the caller has read (an invocation reads it once).
    /// - Throws: `ShiftCoreError.notFound`.
    public func alias(_ name: String, of record: FunctionRecord) throws -> Alias {
        try ResourceName.validateAlias(name)
        let function = record.name
        guard let alias = try readAlias(name, of: function) else {
            throw ShiftCoreError.notFound(kind: "alias", name: "\(function):\(name)", hint: "create it with 'shift alias create \(function) \(name) --version N'")
        }
        return alias
    }

    /// Every alias of a function, by name.
    public func aliases(of function: String) throws -> [Alias] {
        _ = try self.function(function)
        return try aliasNames(of: function).compactMap { try readAlias($0, of: function) }
    }

    /// Moves an alias. With `revisionId`, refuses when the alias changed since that revision was read.
    /// - Throws: `ShiftCoreError.conflict` for a stale revision; `ShiftCoreError.notFound` for an unpublished version.
    @discardableResult
    public func updateAlias(_ name: String, of function: String, routing: AliasRouting?, description: String? = nil, revisionId: String? = nil) throws -> Alias {
        try withAccountLock {
            var alias = try self.alias(name, of: function)
            if let revisionId, revisionId != alias.revisionId {
                throw ShiftCoreError.conflict(reason: "alias \(function):\(name) changed since revision \(revisionId) (now \(alias.revisionId)); read it again with 'shift alias get \(function) \(name)' and retry")
            }
            if let routing {
                try requirePublished(routing, of: function)
                alias.routing = routing
            }
            if let description { alias.description = description }
            alias.revisionId = UUID().uuidString.lowercased()
            alias.updatedAt = clock.now
            try JSONFile.write(alias, to: state.aliasFile(function, name))
            return alias
        }
    }

    /// Deletes an alias.
    /// - Parameter isBusy: says why the alias may not go (a deployment in progress), or nil.
    /// - Throws: `ShiftCoreError.notFound`, `ShiftCoreError.refused`.
    public func deleteAlias(_ name: String, of function: String, isBusy: () throws -> String? = { nil }) throws {
        try withAccountLock {
            _ = try alias(name, of: function)
            if let reason = try isBusy() {
                throw ShiftCoreError.refused(reason: "alias \(function):\(name) is in use: \(reason)")
            }
            guard unlink(state.aliasFile(function, name).path) == 0 else {
                throw StorageError.io(path: state.aliasFile(function, name).path, operation: "delete", detail: StorageError.errnoDescription())
            }
            AtomicFile.syncDirectory(state.aliasesDirectory(function))
        }
    }

    // MARK: Internals

    /// Runs `body` holding the account lock.
    func withAccountLock<T>(_ body: () throws -> T) throws -> T {
        try FileLock.withLock(at: state.accountLock, body)
    }

    private func readFunction(_ name: String) throws -> FunctionRecord? {
        try JSONFile.readIfPresent(FunctionRecord.self, from: state.functionFile(name))
    }

    private func readAlias(_ name: String, of function: String) throws -> Alias? {
        try JSONFile.readIfPresent(Alias.self, from: state.aliasFile(function, name))
    }

    private func aliasNames(of function: String) throws -> [String] {
        state.entries(in: state.aliasesDirectory(function), suffix: ".json")
    }

    private func versionNumbers(of function: String) -> [Int] {
        state.entries(in: state.versionsDirectory(function)).compactMap(Int.init).sorted()
    }

    private func requirePublished(_ routing: AliasRouting, of function: String) throws {
        for number in routing.versions {
            _ = try version(number, of: function)
        }
    }

    /// A single-file function's snapshot holds that one file; hash it alone so the hash is the file's own.
    private func snapshotCodeURL(_ code: URL, source: URL) -> URL {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: source.path, isDirectory: &isDirectory)
        return isDirectory.boolValue ? code : code.appendingPathComponent(source.lastPathComponent)
    }

    /// Staging directories left by a publish that crashed before its rename.
    private func removeAbandonedSnapshots(in directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasPrefix(".staging-") {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}

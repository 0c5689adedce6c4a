import Foundation
import ShiftCore
import ShiftLocal
import ShiftPlatforms
import ShiftStorage

/// Which platform the chosen account is on, and the objects that drive it.
extension GlobalOptions {
    /// The state directory's root: `--state-dir`, else `$SHIFT_HOME`, else `./.shift`.
    var stateRoot: URL {
        StateDirectory.resolveRoot(option: stateDirectory, environment: ProcessInfo.processInfo.environment, currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The account's local state (deployment records, locks, parameters), whatever its platform.
    func accountState() throws -> StateDirectory {
        try StateDirectory(root: stateRoot, account: account)
    }

    /// The account's platform, resolved from its settings (read once, here): call once per command.
    /// - Parameter keyFile: `--key-file`, for the local parameter store.
    /// - Throws: what ``AccountResolver/resolve(_:keyFile:)`` throws.
    func platform(keyFile: String? = nil, clock: any Clock = SystemClock()) throws -> AccountPlatform {
        try AccountResolver(root: stateRoot, environment: ProcessInfo.processInfo.environment, clock: clock).resolve(account, keyFile: keyFile)
    }

    /// The account's deployment records: shared when the account has a state location, else the state directory's.
    func deployments() throws -> any DeploymentStore {
        try AccountResolver(root: stateRoot, environment: ProcessInfo.processInfo.environment, clock: SystemClock()).deployments(of: account)
    }

    /// The account's functions, versions, aliases and invocations: local or AWS.
    func catalog(clock: any Clock = SystemClock()) throws -> any FunctionCatalog {
        try platform(clock: clock).functions
    }

}

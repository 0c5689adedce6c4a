import Foundation
import ShiftCore
import ShiftLocal
import ShiftPlatforms
import ShiftStorage

/// shift's environment, read once: `ProcessInfo.environment` builds a new dictionary from `environ` at every call.
let processEnvironment = ProcessInfo.processInfo.environment

/// Where a command acts: a state directory and an account in it, however the command line was read
/// (`GlobalOptions` for every command, `Invocation` for `invoke`'s direct reading).
protocol AccountScope {
    /// `--state-dir`, nil for `$SHIFT_HOME` or `./.shift`.
    var stateDirectory: String? { get }
    /// `--account`.
    var account: String { get }
}

extension GlobalOptions: AccountScope {}

/// Which platform the chosen account is on, and the objects that drive it.
extension AccountScope {
    /// The state directory's root: `--state-dir`, else `$SHIFT_HOME`, else `./.shift`.
    var stateRoot: URL {
        StateDirectory.resolveRoot(option: stateDirectory, environment: processEnvironment, currentDirectory: FileManager.default.currentDirectoryPath)
    }

    /// The account's local state (deployment records, locks, parameters), whatever its platform.
    func accountState() throws -> StateDirectory {
        try StateDirectory(root: stateRoot, account: account)
    }

    /// The account's platform, resolved from its settings (read once, here): call once per command.
    /// - Parameter keyFile: `--key-file`, for the local parameter store.
    /// - Throws: what ``AccountResolver/resolve(_:keyFile:)`` throws.
    func platform(keyFile: String? = nil, clock: any Clock = SystemClock()) throws -> AccountPlatform {
        try AccountResolver(root: stateRoot, environment: processEnvironment, clock: clock).resolve(account, keyFile: keyFile)
    }

    /// The account's deployment records: shared when the account has a state location, else the state directory's.
    func deployments() throws -> any DeploymentStore {
        try AccountResolver(root: stateRoot, environment: processEnvironment, clock: SystemClock()).deployments(of: account)
    }

    /// The account's functions, versions, aliases and invocations: local or AWS.
    func catalog(clock: any Clock = SystemClock()) throws -> any FunctionCatalog {
        try platform(clock: clock).functions
    }

}

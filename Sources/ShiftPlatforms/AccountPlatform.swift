import Foundation
import ShiftCore
import ShiftStorage

/// One account's platform, as protocols: what every command acts on, whichever platform the account is on.
///
/// ``AccountResolver`` builds it once per process from the account's settings; nothing above it asks which
/// platform it has. A capability a platform lacks is an error from that platform's implementation.
public struct AccountPlatform: Sendable {
    /// The account's name, as `--account` takes it.
    public let account: String
    /// The account's settings (local unless `shift account add` said otherwise).
    public let settings: AccountSettings
    /// The account's local state: deployment records, locks, runs; on every platform.
    public let state: StateDirectory
    /// Functions, versions, aliases and invocations.
    public let functions: any FunctionCatalog
    /// Where a deployment reads the states of the alarms it watches.
    public let alarmSource: any AlarmSource
}

import Foundation
import ShiftCore
import ShiftStorage

/// Which platform each account of a state directory is on: `<root>/accounts/<name>/account.json`.
///
/// An account without the file is local, so the local platform needs no set-up; `shift account add` writes the
/// file (atomically) for any other.
public struct AccountRegistry: Sendable {
    public let root: URL

    /// The registry of the state directory at `root`.
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The settings file of `account`.
    public func file(of account: String) -> URL {
        root.appendingPathComponent("accounts").appendingPathComponent(account).appendingPathComponent("account.json")
    }

    /// The account's settings; local when nothing was configured.
    /// - Throws: `ShiftCoreError.invalidValue` for a bad name; `StorageError.corruptState` naming a damaged file.
    public func settings(of account: String) throws -> AccountSettings {
        try ResourceName.validateFunction(account, field: "--account")
        return try JSONFile.readIfPresent(AccountSettings.self, from: file(of: account)) ?? .local
    }

    /// Whether `account` was configured with `shift account add`.
    public func isConfigured(_ account: String) -> Bool {
        FileManager.default.fileExists(atPath: file(of: account).path)
    }

    /// Saves the account's settings, replacing any.
    /// - Throws: `ShiftCoreError.invalidValue` for a bad name; `StorageError.io`.
    public func save(_ settings: AccountSettings, for account: String) throws {
        try ResourceName.validateFunction(account, field: "account name")
        try FileManager.default.createDirectory(at: file(of: account).deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONFile.write(settings, to: file(of: account))
    }

    /// Forgets the account's settings (it becomes local again); its local state stays.
    /// - Throws: `ShiftCoreError.notFound` when it was not configured.
    public func remove(_ account: String) throws {
        guard isConfigured(account) else {
            throw ShiftCoreError.notFound(kind: "account", name: account, hint: "see 'shift account list'")
        }
        try FileManager.default.removeItem(at: file(of: account))
    }

    /// Every account with state or settings, by name, with its settings.
    /// - Throws: `StorageError.corruptState` naming a damaged settings file.
    public func accounts() throws -> [(name: String, settings: AccountSettings)] {
        let directory = root.appendingPathComponent("accounts")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
            .filter { !$0.hasPrefix(".") && (try? ResourceName.validateFunction($0)) != nil }
            .sorted()
        return try names.map { ($0, try settings(of: $0)) }
    }
}

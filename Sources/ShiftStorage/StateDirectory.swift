import Foundation
import ShiftCore

/// Where one account's local state lives, and the name of every file in it.
///
/// ```
/// <root>/accounts/<account>/
///   .lock                                   read-modify-write of functions, versions, aliases
///   functions/<name>/function.json
///   functions/<name>/versions/<n>/version.json, code/   (immutable once renamed into place)
///   functions/<name>/aliases/<alias>.json
///   functions/<name>/metrics.tsv, metrics.1.tsv          (append-only, rotated)
///   alarms/<name>.json
///   deployments/<id>.json, <id>.controls           (a record per deployment; its control requests from any process)
///   deployments/latest/<function>.<alias>.json     (the id of the alias's newest deployment, written before its record)
///   deployments/index.jsonl                        (append-only: one line per record write, what listing reads)
///   locks/deployment-index.lock                      (held while a record is written with its index lines)
///   locks/deployment-controls.lock                   (held while a control request is numbered and appended)
///   locks/<function>.<alias>.lock                    (held by the deploying process)
///   locks/publish/<function>.lock                    (held while code is uploaded and published as a version)
///   locks/runs/<id>.lock                             (a pipeline run's lease taken through FileLeaseStore)
///   locks/<function>.concurrency.<n>.lock            (reserved-concurrency slots, held while a handler runs)
/// ```
public struct StateDirectory: Sendable, Equatable {
    public let root: URL
    public let account: String

    /// - Throws: `ShiftCoreError.invalidValue` for an account name that could escape the directory.
    public init(root: URL, account: String) throws {
        try ResourceName.validateFunction(account, field: "--account")
        self.root = root.standardizedFileURL
        self.account = account
    }

    /// `--state-dir`, else `$SHIFT_HOME`, else `./.shift`.
    public static func resolveRoot(option: String?, environment: [String: String], currentDirectory: String) -> URL {
        let path = option ?? environment["SHIFT_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ".shift"
        return URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: currentDirectory, isDirectory: true)).standardizedFileURL
    }

    public var accountDirectory: URL { root.appendingPathComponent("accounts").appendingPathComponent(account) }
    public var accountLock: URL { accountDirectory.appendingPathComponent(".lock") }
    public var functionsDirectory: URL { accountDirectory.appendingPathComponent("functions") }

    public func functionDirectory(_ name: String) -> URL { functionsDirectory.appendingPathComponent(name) }
    public func functionFile(_ name: String) -> URL { functionDirectory(name).appendingPathComponent("function.json") }
    public func versionsDirectory(_ function: String) -> URL { functionDirectory(function).appendingPathComponent("versions") }
    public func versionDirectory(_ function: String, _ number: Int) -> URL { versionsDirectory(function).appendingPathComponent(String(number)) }
    public func versionFile(_ function: String, _ number: Int) -> URL { versionDirectory(function, number).appendingPathComponent("version.json") }
    public func versionCode(_ function: String, _ number: Int) -> URL { versionDirectory(function, number).appendingPathComponent("code") }
    public func aliasesDirectory(_ function: String) -> URL { functionDirectory(function).appendingPathComponent("aliases") }
    public func aliasFile(_ function: String, _ alias: String) -> URL { aliasesDirectory(function).appendingPathComponent("\(alias).json") }
    public func metricsDirectory(_ function: String) -> URL { functionDirectory(function) }

    public var alarmsDirectory: URL { accountDirectory.appendingPathComponent("alarms") }
    public var alarmsLock: URL { alarmsDirectory.appendingPathComponent(".lock") }
    public func alarmFile(_ name: String) -> URL { alarmsDirectory.appendingPathComponent("\(name).json") }

    public var deploymentsDirectory: URL { accountDirectory.appendingPathComponent("deployments") }
    public func deploymentFile(_ id: String) -> URL { deploymentsDirectory.appendingPathComponent("\(id).json") }
    /// Every control request (stop, pause, resume, promote) made for the deployment, in sequence order.
    public func controlsFile(_ id: String) -> URL { deploymentsDirectory.appendingPathComponent("\(id).controls") }
    public var deploymentControlsLock: URL { accountDirectory.appendingPathComponent("locks").appendingPathComponent("deployment-controls.lock") }
    /// The deployment index: a summary line per record write, so that listing need not read every record.
    public var deploymentIndexFile: URL { deploymentsDirectory.appendingPathComponent("index.jsonl") }
    public var deploymentIndexLock: URL { accountDirectory.appendingPathComponent("locks").appendingPathComponent("deployment-index.lock") }
    /// Names the alias's newest deployment: only that one can be unfinished, since a deployment starts only once the
    /// alias's previous one has ended. Function and alias names have no '.', so the name is unambiguous.
    public var latestDeploymentsDirectory: URL { deploymentsDirectory.appendingPathComponent("latest") }
    public func latestDeploymentFile(_ function: String, _ alias: String) -> URL {
        latestDeploymentsDirectory.appendingPathComponent("\(function).\(alias).json")
    }
    /// One of a function's reserved-concurrency slots, held (flock) by an invocation while its handler runs.
    public func concurrencySlot(_ function: String, _ index: Int) -> URL {
        accountDirectory.appendingPathComponent("locks").appendingPathComponent("\(function).concurrency.\(index).lock")
    }

    /// Held (flock) by the process deploying to the alias for as long as it runs.
    public func aliasLock(_ function: String, _ alias: String) -> URL {
        accountDirectory.appendingPathComponent("locks").appendingPathComponent("\(function).\(alias).lock")
    }

    /// Held (flock) while a function's code is uploaded and published as a version. In a directory of its own:
    /// `locks/<function>.publish.lock` would be the alias lock of an alias named `publish`.
    public func publishLock(_ function: String) -> URL {
        accountDirectory.appendingPathComponent("locks").appendingPathComponent("publish").appendingPathComponent("\(function).lock")
    }

    /// Held (flock) by a process running a pipeline run through this store's leases. The state directory's own
    /// runs hold `pipelines/runs/<id>/run.lock` instead (`PipelineRunStore`), which lives outside any account.
    public func runLock(_ id: String) -> URL {
        accountDirectory.appendingPathComponent("locks").appendingPathComponent("runs").appendingPathComponent("\(id).lock")
    }

    /// Every account that has a directory under this state directory's root, by name.
    public var accounts: [String] {
        entries(in: root.appendingPathComponent("accounts"))
    }

    /// Names of the entries in `directory` that end in `suffix`, without it, sorted; hidden files skipped.
    public func entries(in directory: URL, suffix: String = "") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names
            .filter { !$0.hasPrefix(".") && $0.hasSuffix(suffix) }
            .map { String($0.dropLast(suffix.count)) }
            .sorted()
    }
}

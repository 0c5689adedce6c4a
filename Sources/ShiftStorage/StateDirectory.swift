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
        self.root = URL(fileURLWithPath: Self.standardizedPath(root.path, in: "/"), isDirectory: true)
        self.account = account
    }

    /// `--state-dir`, else `$SHIFT_HOME`, else `./.shift`.
    public static func resolveRoot(option: String?, environment: [String: String], currentDirectory: String) -> URL {
        let path = option ?? environment["SHIFT_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ".shift"
        return URL(fileURLWithPath: standardizedPath(path, in: currentDirectory), isDirectory: true)
    }

    /// `path` made absolute from `directory`, without `.` and `..` segments or repeated slashes: what
    /// `URL.standardizedFileURL` gives, by string arithmetic. Every command resolves its state directory, and
    /// Foundation's standardizing builds a `Set` whose first instantiation scans every protocol conformance of
    /// the binary. As there, a `..` removes the segment before it even when that is a symbolic link.
    static func standardizedPath(_ path: String, in directory: String) -> String {
        var segments: [Substring] = []
        for segment in ((path.hasPrefix("/") ? "" : directory + "/") + path).split(separator: "/") {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        // Appended one by one: `joined(separator:)` over substrings is one more scan of the conformances.
        var standardized = ""
        for segment in segments {
            standardized += "/"
            standardized += segment
        }
        return standardized.isEmpty ? "/" : standardized
    }

    public var accountDirectory: URL { root.child("accounts").child(account) }
    public var accountLock: URL { accountDirectory.child(".lock") }
    public var functionsDirectory: URL { accountDirectory.child("functions") }

    public func functionDirectory(_ name: String) -> URL { functionsDirectory.child(name) }
    public func functionFile(_ name: String) -> URL { functionDirectory(name).child("function.json") }
    public func versionsDirectory(_ function: String) -> URL { functionDirectory(function).child("versions") }
    public func versionDirectory(_ function: String, _ number: Int) -> URL { versionsDirectory(function).child(String(number)) }
    public func versionFile(_ function: String, _ number: Int) -> URL { versionDirectory(function, number).child("version.json") }
    public func versionCode(_ function: String, _ number: Int) -> URL { versionDirectory(function, number).child("code") }
    public func aliasesDirectory(_ function: String) -> URL { functionDirectory(function).child("aliases") }
    public func aliasFile(_ function: String, _ alias: String) -> URL { aliasesDirectory(function).child("\(alias).json") }
    public func metricsDirectory(_ function: String) -> URL { functionDirectory(function) }

    public var alarmsDirectory: URL { accountDirectory.child("alarms") }
    public var alarmsLock: URL { alarmsDirectory.child(".lock") }
    public func alarmFile(_ name: String) -> URL { alarmsDirectory.child("\(name).json") }

    public var deploymentsDirectory: URL { accountDirectory.child("deployments") }
    public func deploymentFile(_ id: String) -> URL { deploymentsDirectory.child("\(id).json") }
    /// Every control request (stop, pause, resume, promote) made for the deployment, in sequence order.
    public func controlsFile(_ id: String) -> URL { deploymentsDirectory.child("\(id).controls") }
    public var deploymentControlsLock: URL { accountDirectory.child("locks").child("deployment-controls.lock") }
    /// The deployment index: a summary line per record write, so that listing need not read every record.
    public var deploymentIndexFile: URL { deploymentsDirectory.child("index.jsonl") }
    public var deploymentIndexLock: URL { accountDirectory.child("locks").child("deployment-index.lock") }
    /// Names the alias's newest deployment: only that one can be unfinished, since a deployment starts only once the
    /// alias's previous one has ended. Function and alias names have no '.', so the name is unambiguous.
    public var latestDeploymentsDirectory: URL { deploymentsDirectory.child("latest") }
    public func latestDeploymentFile(_ function: String, _ alias: String) -> URL {
        latestDeploymentsDirectory.child("\(function).\(alias).json")
    }
    /// One of a function's reserved-concurrency slots, held (flock) by an invocation while its handler runs.
    public func concurrencySlot(_ function: String, _ index: Int) -> URL {
        accountDirectory.child("locks").child("\(function).concurrency.\(index).lock")
    }

    /// Held (flock) by the process deploying to the alias for as long as it runs.
    public func aliasLock(_ function: String, _ alias: String) -> URL {
        accountDirectory.child("locks").child("\(function).\(alias).lock")
    }

    /// Held (flock) while a function's code is uploaded and published as a version. In a directory of its own:
    /// `locks/<function>.publish.lock` would be the alias lock of an alias named `publish`.
    public func publishLock(_ function: String) -> URL {
        accountDirectory.child("locks").child("publish").child("\(function).lock")
    }

    /// Held (flock) by a process running a pipeline run through this store's leases. The state directory's own
    /// runs hold `pipelines/runs/<id>/run.lock` instead (`PipelineRunStore`), which lives outside any account.
    public func runLock(_ id: String) -> URL {
        accountDirectory.child("locks").child("runs").child("\(id).lock")
    }

    /// Every account that has a directory under this state directory's root, by name.
    public var accounts: [String] {
        entries(in: root.child("accounts"))
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

private extension URL {
    /// `component` under this URL. `appendingPathComponent(_:)` asks the file system whether each new path is a
    /// directory (a `stat` per component, a dozen for one state file); these paths are names, built before they
    /// exist.
    func child(_ component: String) -> URL {
        appendingPathComponent(component, isDirectory: false)
    }
}

import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal

/// `text` for people, `json` for programs.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Options every command accepts, before or after the subcommand's name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("state-dir"), help: "The state directory (default: $SHIFT_HOME, else ./.shift).")
    var stateDirectory: String?

    @Option(help: "The account to act in.")
    var account: String = "default"

    @Option(help: "Output format: text or json.")
    var output: OutputFormat = .text

    var isJSON: Bool { output == .json }

    /// The local platform for the chosen state directory and account.
    func localPlatform(clock: any Clock = SystemClock()) throws -> LocalPlatform {
        let environment = ProcessInfo.processInfo.environment
        let root = StateDirectory.resolveRoot(option: stateDirectory, environment: environment, currentDirectory: FileManager.default.currentDirectoryPath)
        return LocalPlatform(state: try StateDirectory(root: root, account: account), clock: clock)
    }

    static let names = ["--state-dir", "--account", "--output"]

    /// ArgumentParser reads an option only where its command declares it; these are declared on every leaf
    /// command, so `shift --account prod alias get ...` is rewritten as `shift alias get ... --account prod`.
    static func movingLeadingOptions(in arguments: [String]) -> [String] {
        var leading: [String] = []
        var rest = arguments[...]
        while let first = rest.first {
            if names.contains(where: { first.hasPrefix("\($0)=") }) {
                leading.append(first)
                rest = rest.dropFirst()
            } else if names.contains(first), rest.count >= 2 {
                leading.append(contentsOf: rest.prefix(2))
                rest = rest.dropFirst(2)
            } else {
                break
            }
        }
        return Array(rest) + leading
    }
}

import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal
import ShiftSecrets

/// `--key-file`, shared by `key` and `param`.
struct KeyOptions: ParsableArguments {
    @Option(name: .customLong("key-file"), help: "The master key file (default: $SHIFT_KEY_FILE, else <state-dir>/keys/<account>.key). SHIFT_MASTER_KEY or SHIFT_PASSPHRASE take precedence.")
    var keyFile: String?

    func location(_ platform: LocalPlatform) -> MasterKeyLocation {
        MasterKeyLocation(keyFile: keyFile, state: platform.state, environment: ProcessInfo.processInfo.environment)
    }

    /// The account's parameter store, opened with its master key.
    func store(_ global: GlobalOptions) throws -> ParameterStore {
        let platform = try global.localPlatform()
        return ParameterStore(directory: platform.state, masterKey: try location(platform).load(), clock: SystemClock())
    }
}

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "The master key that wraps the parameter store's data key.",
        subcommands: [Init.self, Rotate.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create the master key file (mode 0600); never overwrites one.")

        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let location = key.location(try global.localPlatform())
            try location.initialize()
            Output.line("created master key file \(location.keyFile.path) (mode 0600); back it up apart from the state directory")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the master key: the data key is re-wrapped, values are not re-encrypted, the old key stops working.")

        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let platform = try global.localPlatform()
            let location = key.location(platform)
            let store = ParameterStore(directory: platform.state, masterKey: try location.load(), clock: SystemClock())
            _ = try location.rotate(store)
            Output.line("rotated the master key in \(location.keyFile.path); every value still decrypts with it, the old key no longer opens the store")
        }
    }
}

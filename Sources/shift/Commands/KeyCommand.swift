import ArgumentParser
import Foundation
import ShiftCore
import ShiftSecrets

/// `--key-file`, shared by `key` and `param`.
struct KeyOptions: ParsableArguments {
    @Option(name: .customLong("key-file"), help: "The master key file (default: $SHIFT_KEY_FILE, else <state-dir>/keys/<account>.key). SHIFT_MASTER_KEY or SHIFT_PASSPHRASE take precedence.")
    var keyFile: String?
}

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "The master key that wraps the parameter store's data key.",
        subcommands: [Init.self, Rotate.self]
    )

    struct Init: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the master key file (mode 0600); never overwrites one.")

        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let location = try global.platform(keyFile: key.keyFile).masterKey()
            try location.initialize()
            Output.line("created master key file \(location.keyFile.path) (mode 0600); back it up apart from the state directory")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Replace the master key: the data key of every account it opens is re-wrapped, values are not re-encrypted, the old key stops working.",
            discussion: """
                The new key is staged in <key file>.new until every keyring opens with it; run again after an interruption, \
                the rotation finishes with that staged key (it is never replaced). A key from SHIFT_MASTER_KEY or \
                SHIFT_PASSPHRASE is replaced by the one in SHIFT_NEW_MASTER_KEY or SHIFT_NEW_PASSPHRASE; after an interruption, \
                run it again with the same variables.
                """)

        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let platform = try global.platform(keyFile: key.keyFile)
            let location = try platform.masterKey()
            let rotation = try location.rotate(in: platform.state, clock: SystemClock())
            let accounts = rotation.rewrapped.isEmpty ? "no account has a keyring yet" : "re-wrapped the data key of account(s) \(rotation.rewrapped.joined(separator: ", "))"
            let rotated = rotation.finishedInterrupted ? "finished the interrupted rotation of the master key" : "rotated the master key"
            if location.isFromEnvironment {
                Output.line("\(rotated); \(accounts); from now on set SHIFT_MASTER_KEY or SHIFT_PASSPHRASE to the new value")
            } else {
                Output.line("\(rotated) in \(location.keyFile.path); \(accounts)")
            }
            for (account, reason) in rotation.untouched.sorted(by: { $0.key < $1.key }) {
                Output.note("left account \(account) untouched: \(reason)")
            }
        }
    }
}

import ArgumentParser
import Foundation
import ShiftAWS
import ShiftCore
import ShiftLocal
import ShiftPlatforms

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Choose each account's platform: local (the default) or AWS.",
        subcommands: [Add.self, List.self, Get.self, Remove.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Configure an account's platform (replaces what was configured).",
            discussion: """
                Credentials are never stored: they come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN, \
                else the profile in ~/.aws/credentials and ~/.aws/config. Example: \
                shift account add prod --platform aws --region eu-west-1 --profile prod. \
                With --state s3://BUCKET/PREFIX, deployments, leases and stop requests are shared by every machine \
                that uses the account (see the README's 'Teams and CI fleets').
                """)

        @Argument(help: "The account's name, as --account takes it.") var name: String
        @Option(help: "local or aws.") var platform: AccountSettings.Platform
        @Option(help: "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, or the profile's).") var region: String?
        @Option(help: "AWS profile in the shared config files (else AWS_PROFILE, or default).") var profile: String?
        @Option(name: .customLong("endpoint-url"), help: "One endpoint for Lambda, CloudWatch and SSM, e.g. a moto server.") var endpointURL: String?
        @Option(help: "Execution role ARN for functions that 'shift function create' makes on AWS.") var role: String?
        @Option(help: "Runtime for functions that 'shift function create' makes on AWS (default provided.al2023).") var runtime: String?
        @Option(help: "AWS: shared state for teams and CI fleets, s3://BUCKET/PREFIX (the bucket must exist).") var state: String?
        @Option(name: .customLong("state-kms-key"), help: "AWS: KMS key id, ARN or alias that shared state objects are encrypted with.") var stateKMSKey: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if let endpointURL, CredentialsChain.withoutUserInfo(endpointURL) != endpointURL {
                throw ValidationError("--endpoint-url carries a user and password; remove them: credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile, and are never stored.")
            }
            if platform == .local, [region, profile, endpointURL, role, runtime, state, stateKMSKey].contains(where: { $0 != nil }) {
                throw ValidationError("--region, --profile, --endpoint-url, --role, --runtime, --state and --state-kms-key are AWS settings; a local account takes none (its state is the state directory).")
            }
            if stateKMSKey != nil, state == nil {
                throw ValidationError("--state-kms-key encrypts shared state; give the account --state s3://BUCKET/PREFIX too.")
            }
        }

        func run() async throws {
            // Here, not in validate(): ArgumentParser reports what validate() throws as a failure (exit 1), not bad input.
            try ResourceName.validateFunction(name, field: "account name")
            let location = try state.map { try SharedStateLocation(parsing: $0, field: "--state") }
            try stateKMSKey.map { try KMSKeyReference.validate($0, field: "--state-kms-key") }
            let settings = AccountSettings(platform: platform, region: region, profile: profile, endpointURL: endpointURL, role: role, runtime: runtime,
                                           state: location, stateKMSKey: stateKMSKey)
            if platform == .aws {
                // Check what can be checked without a call: the endpoint's form and that a region resolves.
                let chain = CredentialsChain(environment: processEnvironment, profile: profile)
                let resolvedRegion = try chain.resolveRegion(override: region)
                _ = try chain.resolveEndpoint(serviceID: "Lambda", endpointPrefix: "lambda", region: resolvedRegion, override: endpointURL)
            }
            // Before saving: a bucket that is missing or denied, or a prefix holding other things, changes nothing.
            try await AccountResolver(root: global.stateRoot, environment: processEnvironment, clock: SystemClock()).claimSharedState(of: settings)
            try AccountRegistry(root: global.stateRoot).save(settings, for: name)
            if global.isJSON {
                try Output.json(AccountView(name: name, settings: settings))
            } else {
                Output.line("account \(name) is on the \(platform.rawValue) platform\(region.map { " in \($0)" } ?? "")\(location.map { ", state shared in \($0)" } ?? "")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts with state or settings.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let accounts = try AccountRegistry(root: global.stateRoot).accounts()
            if global.isJSON {
                try Output.json(["Accounts": accounts.map { AccountView(name: $0.name, settings: $0.settings) }])
                return
            }
            var rows = [["ACCOUNT", "PLATFORM", "REGION", "PROFILE", "ENDPOINT"]]
            rows += accounts.map { [$0.name, $0.settings.platform.rawValue, $0.settings.region ?? "-", $0.settings.profile ?? "-", $0.settings.endpointURL ?? "-"] }
            Output.table(rows)
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show an account's settings (an unconfigured account is local).")
        @Argument(help: "The account's name.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let settings = try AccountRegistry(root: global.stateRoot).settings(of: name)
            if global.isJSON {
                try Output.json(AccountView(name: name, settings: settings))
                return
            }
            Output.line("account:  \(name)")
            Output.line("platform: \(settings.platform.rawValue)")
            for (label, value) in [("region", settings.region), ("profile", settings.profile), ("endpoint", settings.endpointURL), ("role", settings.role), ("runtime", settings.runtime),
                                   ("state", settings.state?.description), ("kms key", settings.stateKMSKey)] {
                if let value { Output.line("\(label):\(String(repeating: " ", count: max(1, 9 - label.count)))\(value)") }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "remove", abstract: "Forget an account's settings (it becomes local); its local state stays.")
        @Argument(help: "The account's name.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try AccountRegistry(root: global.stateRoot).remove(name)
            if !global.isJSON { Output.line("account \(name) is local again") }
        }
    }
}

extension AccountSettings.Platform: ExpressibleByArgument {}

/// An account as `--output json` shows it.
struct AccountView: Encodable {
    var Name: String
    var Platform: String
    var Region: String?
    var Profile: String?
    var EndpointUrl: String?
    var Role: String?
    var Runtime: String?
    var State: String?
    var StateKmsKey: String?

    init(name: String, settings: AccountSettings) {
        Name = name
        Platform = settings.platform.rawValue
        Region = settings.region
        Profile = settings.profile
        EndpointUrl = settings.endpointURL
        Role = settings.role
        Runtime = settings.runtime
        State = settings.state?.description
        StateKmsKey = settings.stateKMSKey
    }
}

import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal
import ShiftSecrets

struct FunctionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "function",
        abstract: "Create, change, publish and inspect functions.",
        subcommands: [Create.self, Update.self, Get.self, List.self, Delete.self, Publish.self, Versions.self]
    )

    /// The flags `create` and `update` share.
    struct ConfigurationOptions: ParsableArguments {
        @Option(help: "The code: a directory, or a single file (e.g. a script or a zip).")
        var code: String?

        @Option(help: "The command that handles an event, run with /bin/sh -c in the code's directory; with --runtime, the handler as Lambda names it (e.g. app.lambda_handler).")
        var handler: String?

        @Option(help: "A Lambda runtime: on local accounts python3.x (python3.12, ...), nodejs20.x or nodejs22.x, run with Lambda's programming model; without it, --handler is a command. AWS: else the account's --runtime, else provided.al2023.")
        var runtime: String?

        @Option(parsing: .unconditional, help: "Seconds before an invocation is killed (1 to 900; default 3).")
        var timeout: Int?

        @Option(name: .customLong("env"), help: "An environment variable KEY=VALUE (repeat for more). On update, replaces all variables.")
        var environment: [String] = []

        @Option(help: "Free text.")
        var description: String?

        @Option(name: .customLong("reserved-concurrency"), parsing: .unconditional,
                help: "At most N invocations of any version at once; the rest are throttled (0 throttles all). Not snapshotted by publish.")
        var reservedConcurrency: Int?

        @Flag(name: .customLong("no-reserved-concurrency"), help: "On update: drop the reserved concurrency (no limit of its own).")
        var noReservedConcurrency = false

        func validate() throws {
            if noReservedConcurrency && reservedConcurrency != nil {
                throw ValidationError("Give --reserved-concurrency N or --no-reserved-concurrency, not both.")
            }
        }

        var codeURL: URL? {
            code.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)).standardizedFileURL }
        }

        func change() throws -> FunctionChange {
            FunctionChange(
                codePath: codeURL,
                handler: handler,
                runtime: runtime,
                timeout: timeout.map(TimeInterval.init),
                environment: environment.isEmpty ? nil : try FunctionConfiguration.parseEnvironment(environment),
                description: description,
                reservedConcurrency: reservedConcurrency,
                removesReservedConcurrency: noReservedConcurrency)
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a function from code on this machine.")

        @Argument(help: "The function's name.") var name: String
        @OptionGroup var options: ConfigurationOptions
        @Option(help: "AWS accounts: the execution role ARN (else the account's --role).") var role: String?
        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            guard options.code != nil else { throw ValidationError("Missing --code PATH: the directory or file holding the function's code.") }
            guard options.handler != nil else { throw ValidationError(options.runtime == nil
                ? "Missing --handler CMD: the command that handles an event, e.g. './handler.sh'."
                : "Missing --handler MODULE.FUNCTION: the handler \(options.runtime!) calls, e.g. 'app.lambda_handler' or 'index.handler'.") }
        }

        func run() async throws {
            let change = try options.change()
            let configuration = try change.applied(to: FunctionConfiguration(handler: options.handler ?? ""))
            let creation = FunctionCreation(reservedConcurrency: options.reservedConcurrency, role: role)
            let created = try await global.platform(keyFile: key.keyFile).functions.createFunction(name, code: change.codePath!, configuration: configuration, creation: creation)
            try FunctionRender.show(created, global: global, verb: "created")
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "update", abstract: "Change a function's code or configuration ($LATEST); publish to snapshot it.")

        @Argument(help: "The function's name.") var name: String
        @OptionGroup var options: ConfigurationOptions
        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            let options = self.options
            if options.code == nil && options.handler == nil && options.runtime == nil && options.timeout == nil && options.environment.isEmpty && options.description == nil
                && options.reservedConcurrency == nil && !options.noReservedConcurrency {
                throw ValidationError("Nothing to update: give --code, --handler, --runtime, --timeout, --env or --description.")
            }
        }

        func run() async throws {
            let updated = try await global.platform(keyFile: key.keyFile).functions.updateFunction(name, change: try options.change())
            try FunctionRender.show(updated, global: global, verb: "updated")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "get",
            abstract: "Show a function's configuration: $LATEST, a version, or the version an alias points at.",
            discussion: "JSON: Lambda's GetFunctionConfiguration fields; NAME:ALIAS gives the alias's primary version, with the alias's ARN.")

        @Argument(help: "NAME[:VERSION|:ALIAS|:$LATEST]") var target: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let (name, qualifier) = try FunctionQualifier.split(target)
            try FunctionRender.show(try await global.catalog().function(name, qualifier: qualifier), global: global, verb: nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the account's functions.")

        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let functions = try await global.catalog().functions()
            if global.isJSON {
                try Output.json(["Functions": functions.map(FunctionConfigurationView.init)])
                return
            }
            guard !functions.isEmpty else {
                Output.note("no functions in account '\(global.account)'; create one with 'shift function create NAME --code PATH --handler CMD'")
                return
            }
            Output.table(withoutEmptyColumns: [
                ["NAME"] + functions.map(\.name),
                ["VERSIONS"] + functions.map { $0.versionCount.map(String.init) },
                ["RUNTIME"] + functions.map(\.runtime),
                ["HANDLER"] + functions.map(\.configuration.handler),
                ["TIMEOUT"] + functions.map { "\(Int($0.configuration.timeout))s" },
                ["CODE"] + functions.map { $0.codePath ?? $0.codeSHA256 ?? "-" },
            ])
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a function, its versions and metrics (refused while an alias or a deployment uses it).")

        @Argument(help: "The function's name.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let platform = try global.platform()
            // The account's deployments, wherever they live: another machine's, on a shared state location.
            let busy = try await platform.deployments.unfinishedDeployment(of: name).map { "deployment \($0.id) is \($0.status.rawValue)" }
            try await platform.functions.deleteFunction(name) { _ in busy }
            if !global.isJSON { Output.line("deleted function \(name)") }
        }
    }

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "publish",
            abstract: "Snapshot the code and configuration as an immutable, numbered version.",
            discussion: "When neither changed since the latest version, no version is made and the latest number is printed.")

        @Argument(help: "The function's name.") var name: String
        @Option(help: "Free text for the version.") var description: String = ""
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let catalog = try global.catalog()
            let (version, isNew) = try await catalog.publish(name, description: description)
            if global.isJSON {
                // PublishVersion answers with the version's FunctionConfiguration.
                try Output.json(FunctionConfigurationView(try await catalog.function(name, qualifier: .version(version.number))))
            } else {
                Output.line(String(version.number))
                Output.note(isNew ? "published \(name):\(version.number) (code \(version.codeSHA256))" : "unchanged since version \(version.number); no new version")
            }
        }
    }

    struct Versions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "versions", abstract: "List a function's published versions with their code hashes.")

        @Argument(help: "The function's name.") var name: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let catalog = try global.catalog()
            if global.isJSON {
                try Output.json(["Versions": try await catalog.versionConfigurations(of: name).map(FunctionConfigurationView.init)])
                return
            }
            let versions = try await catalog.versions(of: name)
            var rows = [["VERSION", "PUBLISHED", "CODE SHA-256", "HANDLER", "DESCRIPTION"]]
            for version in versions {
                rows.append([String(version.number), Timestamp.format(version.publishedAt), version.codeSHA256, version.configuration.handler, version.description])
            }
            Output.table(rows)
        }
    }
}

/// How a function is shown: the lines its platform has something for.
enum FunctionRender {
    static func show(_ function: FunctionDetails, global: GlobalOptions, verb: String?) throws {
        if global.isJSON {
            try Output.json(FunctionConfigurationView(function))
            return
        }
        if let verb { Output.note("\(verb) function \(function.name)") }
        let configuration = function.configuration
        Output.line("name:        \(function.name)")
        if function.version != "$LATEST" { Output.line("version:     \(function.version)") }
        if let arn = function.arn { Output.line("arn:         \(arn)") }
        if let path = function.codePath { Output.line("code:        \(path)") }
        Output.line("code sha256: \(function.codeSHA256 ?? "-")")
        if let runtime = function.runtime { Output.line("runtime:     \(runtime)") }
        Output.line("handler:     \(configuration.handler)")
        Output.line("timeout:     \(Int(configuration.timeout))s")
        if let reserved = function.reservedConcurrency { Output.line("concurrency: \(reserved) reserved (every version)") }
        if !configuration.description.isEmpty { Output.line("description: \(configuration.description)") }
        for (key, value) in configuration.environment.sorted(by: { $0.key < $1.key }) {
            Output.line("env:         \(key)=\(value)")
        }
        if let modified = function.lastModified { Output.line("modified:    \(Timestamp.format(modified))") }
    }
}

import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal

struct AliasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias",
        abstract: "Point names at versions, optionally splitting traffic between two.",
        subcommands: [Create.self, Get.self, List.self, Update.self, Delete.self]
    )

    /// `--additional-version M --weight W`, as Lambda's RoutingConfig.
    struct RoutingOptions: ParsableArguments {
        // Arrays, so that a second --additional-version is refused rather than silently replacing the first.
        @Option(name: .customLong("additional-version"), parsing: .unconditionalSingleValue, help: "A second version that receives --weight of the traffic (at most one, as Lambda).")
        var additionalVersions: [Int] = []

        @Option(name: .customLong("weight"), parsing: .unconditionalSingleValue, help: "The share of traffic for --additional-version, from 0 to 1 (0.1 is 10 %).")
        var weights: [Double] = []

        var additionalVersion: Int? { additionalVersions.first }
        var weight: Double? { weights.first }

        func validate() throws {
            guard additionalVersions.count <= 1 else {
                throw ValidationError("--additional-version is given \(additionalVersions.count) times (\(additionalVersions.map(String.init).joined(separator: ", "))); an alias routes to at most one additional version, as Lambda's.")
            }
            guard weights.count <= 1 else {
                throw ValidationError("--weight is given \(weights.count) times; give one weight, for the one additional version.")
            }
            if additionalVersion != nil && weight == nil {
                throw ValidationError("--additional-version needs --weight W (the share of traffic it receives, from 0 to 1).")
            }
            if additionalVersion == nil && weight != nil {
                throw ValidationError("--weight needs --additional-version M (the version that receives it).")
            }
        }

        /// The additional version and its weight; `validate()` has made sure they come as a pair.
        func additional() throws -> AliasRouting.AdditionalVersion? {
            guard let additionalVersion, let weight else { return nil }
            return AliasRouting.AdditionalVersion(version: additionalVersion, weight: try Weight(weight, field: "--weight"))
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "create", abstract: "Create an alias.")

        @Argument(help: "The function's name.") var function: String
        @Argument(help: "The alias's name.") var alias: String
        @Option(parsing: .unconditional, help: "The version that receives the traffic.") var version: Int
        @OptionGroup var routing: RoutingOptions
        @Option(help: "Free text.") var description: String = ""
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let routing = try AliasRouting(primaryVersion: version, additionalVersion: try self.routing.additional())
            let created = try await global.catalog().createAlias(alias, of: function, routing: routing, description: description)
            try AliasRender.show(created, global: global, verb: "created")
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show an alias (JSON: Lambda's GetAlias fields).")

        @Argument(help: "The function's name.") var function: String
        @Argument(help: "The alias's name.") var alias: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try AliasRender.show(try await global.catalog().alias(alias, of: function), global: global, verb: nil)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List a function's aliases.")

        @Argument(help: "The function's name.") var function: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let aliases = try await global.catalog().aliases(of: function)
            if global.isJSON {
                try Output.json(["Aliases": aliases.map(AliasView.init)])
                return
            }
            var rows = [["ALIAS", "ROUTING", "REVISION", "UPDATED"]]
            rows += aliases.map { [$0.name, $0.routing.description, $0.revisionId, Timestamp.format($0.updatedAt)] }
            Output.table(rows)
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Move an alias.",
            discussion: "Without --additional-version or --no-additional-version, the alias keeps its additional version, as Lambda's UpdateAlias does.")

        @Argument(help: "The function's name.") var function: String
        @Argument(help: "The alias's name.") var alias: String
        @Option(parsing: .unconditional, help: "The version that receives the traffic.") var version: Int?
        @OptionGroup var routing: RoutingOptions
        @Flag(name: .customLong("no-additional-version"), help: "Send all traffic to --version.") var noAdditionalVersion = false
        @Option(name: .customLong("revision-id"), help: "Refuse the update if the alias changed since this revision.") var revisionId: String?
        @Option(help: "Free text.") var description: String?
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if noAdditionalVersion && (routing.additionalVersion != nil || routing.weight != nil) {
                throw ValidationError("--no-additional-version cannot be combined with --additional-version or --weight.")
            }
            if version == nil && !noAdditionalVersion && routing.additionalVersion == nil && description == nil {
                throw ValidationError("Nothing to update: give --version, --additional-version with --weight, --no-additional-version or --description.")
            }
        }

        func run() async throws {
            let catalog = try global.catalog()
            let current = try await catalog.alias(alias, of: function)
            var newRouting: AliasRouting?
            if version != nil || noAdditionalVersion || routing.additionalVersion != nil {
                let additional = noAdditionalVersion ? nil : (try routing.additional() ?? current.routing.additionalVersion)
                newRouting = try AliasRouting(primaryVersion: version ?? current.routing.primaryVersion, additionalVersion: additional)
            }
            let updated = try await catalog.updateAlias(alias, of: function, routing: newRouting, description: description, revisionId: revisionId)
            try AliasRender.show(updated, global: global, verb: "updated")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete an alias (refused while a deployment holds it).")

        @Argument(help: "The function's name.") var function: String
        @Argument(help: "The alias's name.") var alias: String
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let platform = try global.platform()
            // The account's deployments, wherever they live: another machine's, on a shared state location.
            let busy = try await platform.deployments.unfinishedDeployment(of: alias, function: function).map { "deployment \($0.id) is \($0.status.rawValue)" }
            try await platform.functions.deleteAlias(alias, of: function) { busy }
            if !global.isJSON { Output.line("deleted alias \(function):\(alias)") }
        }
    }
}

/// How an alias is shown.
enum AliasRender {
    static func show(_ alias: Alias, global: GlobalOptions, verb: String?) throws {
        if global.isJSON {
            try Output.json(AliasView(alias))
            return
        }
        if let verb { Output.note("\(verb) alias \(alias.functionName):\(alias.name)") }
        Output.line("alias:       \(alias.functionName):\(alias.name)")
        Output.line("version:     \(alias.routing.primaryVersion) (\(alias.routing.weight(of: alias.routing.primaryVersion)))")
        if let additional = alias.routing.additionalVersion {
            Output.line("additional:  \(additional.version) (\(additional.weight))")
        }
        Output.line("revision:    \(alias.revisionId)")
        if !alias.description.isEmpty { Output.line("description: \(alias.description)") }
        Output.line("updated:     \(Timestamp.format(alias.updatedAt))")
    }
}

import ArgumentParser
import Foundation
import ShiftCore
import ShiftPlatforms

struct ParamCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "param",
        abstract: "An encrypted parameter store per account, as SSM Parameter Store.",
        subcommands: [Put.self, Get.self, List.self, History.self, Delete.self, Label.self]
    )

    struct Put: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "put",
            abstract: "Store a value as a new version of a parameter.",
            discussion: "Prefer --value-file or --value-stdin for secrets, so they stay out of shell history and ps.")

        @Argument(help: "The name, e.g. /orders/prod/db-password.") var name: String
        @Argument(help: "The value (see --value-file, --value-stdin).") var value: String?
        @Option(help: "String, StringList or SecureString.") var type: ParameterType = .string
        @Option(help: "Free text.") var description: String?
        @Flag(help: "Replace an existing parameter with a new version.") var overwrite = false
        @Option(name: .customLong("value-file"), help: "Read the value from a file (a trailing newline is dropped).") var valueFile: String?
        @Flag(name: .customLong("value-stdin"), help: "Read the value from stdin (a trailing newline is dropped).") var valueStdin = false
        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            let sources = [value != nil, valueFile != nil, valueStdin].filter { $0 }.count
            guard sources == 1 else { throw ValidationError("Give the value exactly one way: as an argument, --value-file PATH or --value-stdin.") }
        }

        func run() async throws {
            let parameter = try ParameterName(name)
            let value = try readValue()
            let version = try await key.parameters(global).putParameter(parameter, value: value, type: type, description: description, overwrite: overwrite)
            if global.isJSON {
                try Output.json(["Version": version])
            } else {
                Output.line("\(parameter) version \(version)")
            }
        }

        private func readValue() throws -> String {
            if let value { return value }
            let data: Data
            if let valueFile {
                guard let contents = FileManager.default.contents(atPath: valueFile) else {
                    throw ShiftCoreError.invalidValue(field: "--value-file", value: valueFile, expected: "a readable file holding the value")
                }
                data = contents
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            return text
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "get", abstract: "Show a parameter; a SecureString shows as **** unless --decrypt.")

        @Argument(help: "NAME, NAME:VERSION or NAME:LABEL.") var name: String
        @Option(parsing: .unconditional, help: "A version number.") var version: Int?
        @Flag(help: "Show a SecureString's value.") var decrypt = false
        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if version != nil && name.contains(":") {
                throw ValidationError("Give the version as NAME:VERSION or with --version, not both.")
            }
        }

        func run() async throws {
            let (parameter, selector) = try ParameterSelector.parse(name)
            let result = try await key.parameters(global).getParameter(parameter, selector: version.map(ParameterSelector.version) ?? selector, decrypt: decrypt)
            if global.isJSON {
                try Output.json(["Parameter": result])
            } else {
                Output.line(result.value)
                let labels = result.labels ?? []
                Output.note("\(result.name) version \(result.version) (\(result.type.rawValue))\(labels.isEmpty ? "" : ", labels \(labels.map(\.rawValue).joined(separator: ", "))")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List parameters (names and metadata, never values).",
            discussion: "--output json is SSM's DescribeParameters response: {\"Parameters\": [ParameterMetadata]}.")

        @Option(help: "Only names under this path, e.g. /orders/.") var path: String?
        @Flag(help: "Include every level below --path.") var recursive = false
        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let listing = try await key.parameters(global).describeParameters(path: path, recursive: recursive || path == nil)
            let parameters = listing.parameters
            for reason in listing.skipped { Output.note("warning: \(reason)") }
            defer { if !listing.skipped.isEmpty { Output.note("warning: \(listing.skipped.count) parameter(s) could not be read and are not listed") } }
            if global.isJSON {
                try Output.json(["Parameters": parameters])
                return
            }
            var rows = [["NAME", "TYPE", "VERSION", "MODIFIED", "DESCRIPTION"]]
            rows += parameters.map { [$0.name.rawValue, $0.type.rawValue, String($0.version), Timestamp.format($0.lastModifiedDate), $0.description ?? ""] }
            Output.table(rows)
        }
    }

    struct History: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "Every version of a parameter.")

        @Argument(help: "The name.") var name: String
        @Flag(help: "Show SecureString values.") var decrypt = false
        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            let entries = try await key.parameters(global).getParameterHistory(try ParameterName(name), decrypt: decrypt)
            if global.isJSON {
                try Output.json(["Parameters": entries])
                return
            }
            var rows = [["VERSION", "TYPE", "MODIFIED", "LABELS", "VALUE"]]
            rows += entries.map { [String($0.version), $0.type.rawValue, Timestamp.format($0.lastModifiedDate), $0.labels.map(\.rawValue).joined(separator: ","), $0.value] }
            Output.table(rows)
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a parameter with all its versions.")

        @Argument(help: "The name.") var name: String
        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await key.parameters(global).deleteParameter(try ParameterName(name))
            if !global.isJSON { Output.line("deleted parameter \(name)") }
        }
    }

    struct Label: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "label", abstract: "Attach a label to a version (moving it from any other version).")

        @Argument(help: "The name.") var name: String
        @Option(parsing: .unconditional, help: "The version to label.") var version: Int
        @Argument(help: "The label.") var label: String
        @OptionGroup var key: KeyOptions
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await key.parameters(global).labelParameterVersion(try ParameterName(name), version: version, label: try ParameterLabel(label))
            if !global.isJSON { Output.line("labelled \(name) version \(version) as \(label)") }
        }
    }
}

extension ParameterType: ExpressibleByArgument {}

import ArgumentParser
import Foundation
import ShiftSAM
import ShiftStorage

struct SAMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sam",
        abstract: "Adopt shift from an AWS SAM app.",
        subcommands: [Convert.self]
    )

    struct Convert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "convert",
            abstract: "Convert a SAM template's functions and DeploymentPreferences into a pipeline file.",
            discussion: """
                Prints the pipeline (or writes it atomically with --out), each part commented with the template line it came from. \
                What cannot carry over is listed on stderr as file:line:column: property: what to do instead; --strict makes that an error. \
                The pipeline's account is --account (default 'default'). With --output json: {pipeline (without --out), out, notCarriedOver: [{file, line, column, property, advice}]}. \
                Exit codes: 0 converted, 2 bad input (the template, an option, or --strict with parts that do not carry over).
                """)

        @Argument(help: "The SAM template (YAML or JSON).") var template: String
        @Option(name: .customLong("parameter-overrides"), parsing: .upToNextOption,
                help: "KEY=VALUE for the template's parameters, or pseudo parameters such as AWS::Region=eu-west-1.")
        var parameterOverrides: [String] = []
        @Option(help: "The account's platform: local or aws.") var platform: String = "local"
        @Option(help: "Local accounts: invocations per second through each alias while it shifts, so that its alarms see data.")
        var traffic: Double?
        @Option(help: "Write the pipeline to this file (atomically) instead of stdout.") var out: String?
        @Flag(help: "Fail (exit 2) when any part of the template cannot carry over.") var strict = false
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            guard let platform = ConversionOptions.Platform(rawValue: platform) else {
                throw SAMError.invalidOption(option: "--platform", value: platform, expected: "local or aws")
            }
            if let traffic, !(traffic > 0 && traffic <= 1000) {
                throw SAMError.invalidOption(option: "--traffic", value: "\(traffic)", expected: "invocations per second, more than 0 and at most 1000")
            }
            let current = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            let templateURL = URL(fileURLWithPath: template, relativeTo: current).standardizedFileURL
            guard let data = FileManager.default.contents(atPath: templateURL.path) else {
                throw SAMError.unreadableFile(file: template, detail: FileManager.default.fileExists(atPath: templateURL.path) ? "permission denied or not a file" : "no such file")
            }
            let outURL = out.map { URL(fileURLWithPath: $0, relativeTo: current).standardizedFileURL }
            let options = ConversionOptions(parameterOverrides: try ConversionOptions.parseOverrides(parameterOverrides), account: global.account, platform: platform,
                                            traffic: traffic, outputDirectory: outURL?.deletingLastPathComponent() ?? current)
            let conversion = try SAMConverter.convert(String(decoding: data, as: UTF8.self), file: template, templateURL: templateURL, options: options)
            if global.isJSON {
                struct Item: Encodable { var file: String; var line: Int; var column: Int; var property: String; var advice: String }
                struct Report: Encodable { var pipeline: String?; var out: String?; var notCarriedOver: [Item] }
                let items = conversion.items.map { Item(file: $0.file, line: $0.position.line, column: $0.position.column, property: $0.property, advice: $0.advice) }
                if strict, !items.isEmpty { throw SAMError.notCarriedOver(file: template, count: items.count) }
                if let outURL { try AtomicFile.write(Data(conversion.pipeline.utf8), to: outURL) }
                try Output.json(Report(pipeline: outURL == nil ? conversion.pipeline : nil, out: out, notCarriedOver: items))
                return
            }
            for item in conversion.items { Output.note(item.description) }
            if strict, !conversion.items.isEmpty { throw SAMError.notCarriedOver(file: template, count: conversion.items.count) }
            if let outURL {
                try AtomicFile.write(Data(conversion.pipeline.utf8), to: outURL)
                Output.note("wrote \(out!)\(conversion.items.isEmpty ? "" : " (\(conversion.items.count) part\(conversion.items.count == 1 ? "" : "s") of the template did not carry over, listed above)")")
            } else {
                Output.write(conversion.pipeline, to: .standardOutput)
            }
        }
    }
}

import ArgumentParser
import Foundation
import ShiftCore
import ShiftLocal

struct InvokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoke",
        abstract: "Run a function once and print its response.",
        discussion: """
            NAME:ALIAS routes by the alias's weights; NAME:N runs version N; NAME alone runs $LATEST. \
            The executed version goes to stderr (text) or ExecutedVersion (json). A handler error exits 1. \
            JSON: Lambda's Invoke response (FunctionError Unhandled, LogResult base64), shift's additions under Shift.
            """)

    @Argument(help: "NAME[:ALIAS|:VERSION]") var target: String
    @OptionGroup var payload: PayloadOptions
    @Flag(help: "Print the tail of the handler's log (its stderr) to stderr.") var log = false
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        try await invocation.run()
    }

    /// What these arguments ask for.
    var invocation: Invocation {
        Invocation(target: target, payload: payload.payload, payloadFile: payload.payloadFile, log: log,
                   stateDirectory: global.stateDirectory, account: global.account, output: global.output)
    }
}

/// One `shift invoke`: what `InvokeCommand` parsed, or what `Invocation.read(_:)` read directly.
struct Invocation: AccountScope, Equatable {
    var target: String
    var payload: String?
    var payloadFile: String?
    var log = false
    var stateDirectory: String?
    var account = GlobalOptions.defaultAccount
    var output = OutputFormat.text

    func run() async throws {
        let (function, qualifier) = try FunctionQualifier.split(target)
        let event = try PayloadOptions.data(payload: payload, payloadFile: payloadFile)
        let result = try await catalog().invoke(function, qualifier: qualifier, payload: event)
        let response = String(decoding: result.payload, as: UTF8.self)
        if output == .json {
            try Output.json(InvocationView(result))
        } else {
            if !response.isEmpty { Output.line(response.hasSuffix("\n") ? String(response.dropLast()) : response) }
            if log || !result.succeeded, !result.logTail.isEmpty { Output.write(result.logTail, to: .standardError) }
            Output.note("executed version \(result.executedVersion) in \(Int(result.duration * 1000)) ms")
        }
        if let error = result.functionError {
            throw ShiftCoreError.failed(reason: "\(function):\(result.executedVersion) failed: \(error)")
        }
    }
}

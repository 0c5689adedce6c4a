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
        let (function, qualifier) = try FunctionQualifier.split(target)
        let event = try payload.data()
        let result = try await global.catalog().invoke(function, qualifier: qualifier, payload: event)
        let response = String(decoding: result.payload, as: UTF8.self)
        if global.isJSON {
            try Output.json(InvocationView(result))
        } else {
            if !response.isEmpty { Output.line(response.hasSuffix("\n") ? String(response.dropLast()) : response) }
            if log || !result.succeeded, !result.logTail.isEmpty { FileHandle.standardError.write(Data(result.logTail.utf8)) }
            Output.note("executed version \(result.executedVersion) in \(Int(result.duration * 1000)) ms")
        }
        if let error = result.functionError {
            throw ShiftCoreError.failed(reason: "\(function):\(result.executedVersion) failed: \(error)")
        }
    }
}

import Foundation
import ShiftAWS
import ShiftCore

/// `shift function ...` on an AWS account: the same commands, driving Lambda.
enum AWSFunctionCommands {
    static func show(_ wire: LambdaWire.FunctionConfiguration, global: GlobalOptions, verb: String?) throws {
        if global.isJSON {
            try Output.json(wire)
            return
        }
        if let verb { Output.note("\(verb) function \(wire.FunctionName)") }
        Output.line("name:        \(wire.FunctionName)")
        if let arn = wire.FunctionArn { Output.line("arn:         \(arn)") }
        Output.line("code sha256: \(wire.CodeSha256 ?? "-")")
        Output.line("runtime:     \(wire.Runtime ?? "-")")
        Output.line("handler:     \(wire.Handler ?? "-")")
        Output.line("timeout:     \(wire.Timeout ?? 3)s")
        if let description = wire.Description, !description.isEmpty { Output.line("description: \(description)") }
        for (key, value) in (wire.Environment?.Variables ?? [:]).sorted(by: { $0.key < $1.key }) {
            Output.line("env:         \(key)=\(value)")
        }
        if let modified = wire.LastModified { Output.line("modified:    \(modified)") }
    }

    static func list(_ platform: AWSPlatform, global: GlobalOptions) async throws {
        let functions = try await platform.lambda.listFunctions().sorted { $0.FunctionName < $1.FunctionName }
        if global.isJSON {
            try Output.json(["Functions": functions])
            return
        }
        var rows = [["NAME", "RUNTIME", "HANDLER", "TIMEOUT", "CODE SHA-256"]]
        rows += functions.map { [$0.FunctionName, $0.Runtime ?? "-", $0.Handler ?? "-", "\($0.Timeout ?? 3)s", $0.CodeSha256 ?? "-"] }
        Output.table(rows)
    }
}

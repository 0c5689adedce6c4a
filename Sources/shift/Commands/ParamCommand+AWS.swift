import Foundation
import ShiftAWS
import ShiftCore
import ShiftSecrets

/// `shift param ...` on an AWS account: the same commands on SSM Parameter Store. Names are validated as
/// locally (SSM's rules) before any call; SecureString values show as `****` unless `--decrypt`.
enum AWSParamCommands {
    /// A parameter as `--output json` shows it: SSM's GetParameter fields, with an ISO 8601 date.
    struct View: Encodable {
        var Name: String
        var `Type`: String
        var Value: String
        var Version: Int
        var LastModifiedDate: Date?
        var Selector: String?
        var Labels: [String]?
        var Description: String?

        init(_ parameter: SSMClient.Parameter, decrypt: Bool) {
            let shown = parameter.masked(!decrypt)
            Name = shown.Name
            self.Type = shown.Type
            Value = shown.Value ?? ""
            Version = shown.Version
            LastModifiedDate = shown.LastModifiedDate.map { Date(timeIntervalSince1970: $0) }
            Selector = shown.Selector
            Labels = shown.Labels
            Description = shown.Description
        }
    }

    static func put(_ aws: AWSPlatform, name: ParameterName, value: String, type: ParameterType, description: String?, overwrite: Bool, global: GlobalOptions) async throws {
        let version = try await aws.ssm.putParameter(name.rawValue, value: value, type: type.rawValue, description: description, overwrite: overwrite)
        if global.isJSON {
            try Output.json(["Version": version])
        } else {
            Output.line("\(name) version \(version)")
        }
    }

    static func get(_ aws: AWSPlatform, name: String, decrypt: Bool, global: GlobalOptions) async throws {
        let parameter = View(try await aws.ssm.getParameter(name, decrypt: decrypt), decrypt: decrypt)
        if global.isJSON {
            try Output.json(["Parameter": parameter])
        } else {
            Output.line(parameter.Value)
            Output.note("\(parameter.Name) version \(parameter.Version) (\(parameter.Type))")
        }
    }

    static func list(_ aws: AWSPlatform, path: String?, recursive: Bool, global: GlobalOptions) async throws {
        let parameters = try await aws.ssm.getParametersByPath(path ?? "/", recursive: recursive || path == nil, decrypt: false)
            .map { View($0, decrypt: false) }
            .sorted { $0.Name < $1.Name }
        if global.isJSON {
            // Names and metadata only, as the local listing: never values.
            try Output.json(["Parameters": parameters.map { var view = $0; view.Value = ""; return view }])
            return
        }
        var rows = [["NAME", "TYPE", "VERSION", "MODIFIED", "DESCRIPTION"]]
        rows += parameters.map { [$0.Name, $0.Type, String($0.Version), $0.LastModifiedDate.map(Timestamp.format) ?? "-", $0.Description ?? ""] }
        Output.table(rows)
    }

    static func history(_ aws: AWSPlatform, name: ParameterName, decrypt: Bool, global: GlobalOptions) async throws {
        let entries = try await aws.ssm.getParameterHistory(name.rawValue, decrypt: decrypt).map { View($0, decrypt: decrypt) }
        if global.isJSON {
            try Output.json(["Parameters": entries])
            return
        }
        var rows = [["VERSION", "TYPE", "MODIFIED", "LABELS", "VALUE"]]
        rows += entries.map { [String($0.Version), $0.Type, $0.LastModifiedDate.map(Timestamp.format) ?? "-", ($0.Labels ?? []).joined(separator: ","), $0.Value] }
        Output.table(rows)
    }
}

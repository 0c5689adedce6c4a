import Foundation
import ShiftCore

/// `ParameterCatalog` on SSM Parameter Store: names are validated by shift's rules before any call, SecureStrings are
/// encrypted by SSM with the account's KMS key, and a value SSM returns encrypted is shown as `****`.
extension AWSPlatform: ParameterCatalog {
    public func putParameter(_ name: ParameterName, value: String, type: ParameterType, description: String?, overwrite: Bool) async throws -> Int {
        try await ssm.putParameter(name.rawValue, value: value, type: type.rawValue, description: description, overwrite: overwrite)
    }

    /// GetParameter, with the selector in the name as SSM takes it (`NAME:3`, `NAME:prod`); SSM does not return the
    /// version's labels here, so `labels` is nil.
    public func getParameter(_ name: ParameterName, selector: ParameterSelector?, decrypt: Bool) async throws -> Parameter {
        let wire = try await ssm.getParameter(name.rawValue + (selector?.text ?? ""), decrypt: decrypt)
        let type = try Self.parameterType(wire.Type, of: wire.Name, operation: "GetParameter")
        return Parameter(
            name: try Self.parameterName(wire.Name, operation: "GetParameter"), type: type,
            value: Self.shown(wire.Value, type: type, decrypt: decrypt), version: wire.Version,
            lastModifiedDate: try Self.date(wire.LastModifiedDate, of: wire.Name, operation: "GetParameter"),
            selector: wire.Selector, arn: wire.ARN ?? arn(of: name), dataType: wire.DataType, labels: nil)
    }

    /// DescribeParameters; a parameter whose name shift does not accept (SSM allows a few more) is skipped and said so.
    public func describeParameters(path: String?, recursive: Bool) async throws -> ParameterListing {
        if let path { try ParameterName.validate(path: path) }
        var listing = ParameterListing(parameters: [])
        // `/orders/` and `/orders` are one path locally; SSM's Path filter takes the second form.
        let filter = path.map { $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        for wire in try await ssm.describeParameters(path: filter, recursive: recursive) {
            guard let name = ParameterName(rawValue: wire.Name) else {
                listing.skipped.append("parameter '\(wire.Name)' has a name shift does not accept; read it with the aws CLI")
                continue
            }
            listing.parameters.append(ParameterMetadata(
                name: name, type: try Self.parameterType(wire.Type, of: wire.Name, operation: "DescribeParameters"), version: wire.Version,
                description: wire.Description, lastModifiedDate: try Self.date(wire.LastModifiedDate, of: wire.Name, operation: "DescribeParameters"),
                arn: wire.ARN ?? arn(of: name), dataType: wire.DataType, lastModifiedUser: wire.LastModifiedUser))
        }
        listing.parameters.sort { $0.name < $1.name }
        return listing
    }

    public func getParameterHistory(_ name: ParameterName, decrypt: Bool) async throws -> [ParameterHistoryEntry] {
        try await ssm.getParameterHistory(name.rawValue, decrypt: decrypt).map { wire in
            let type = try Self.parameterType(wire.Type, of: wire.Name, operation: "GetParameterHistory")
            return ParameterHistoryEntry(
                name: name, type: type, value: Self.shown(wire.Value, type: type, decrypt: decrypt), version: wire.Version,
                description: wire.Description, lastModifiedDate: try Self.date(wire.LastModifiedDate, of: wire.Name, operation: "GetParameterHistory"),
                labels: (wire.Labels ?? []).compactMap(ParameterLabel.init(rawValue:)).sorted(),
                dataType: wire.DataType, lastModifiedUser: wire.LastModifiedUser)
        }
    }

    public func deleteParameter(_ name: ParameterName) async throws {
        try await ssm.deleteParameter(name.rawValue)
    }

    public func labelParameterVersion(_ name: ParameterName, version: Int, label: ParameterLabel) async throws {
        try await ssm.labelParameterVersion(name.rawValue, version: version, label: label.rawValue)
    }

    /// The ARN SSM gives `name` in this region, for an answer that lacks one; the account id is unknown without STS.
    private func arn(of name: ParameterName) -> String {
        "arn:aws:ssm:\(region)::\(name.arnResource)"
    }

    /// A value as shown: a SecureString not asked for decrypted is SSM's ciphertext, never printed: `****`.
    private static func shown(_ value: String?, type: ParameterType, decrypt: Bool) -> String {
        type == .secureString && !decrypt ? SecretMasker.mask : value ?? ""
    }

    private static func parameterName(_ text: String, operation: String) throws -> ParameterName {
        guard let name = ParameterName(rawValue: text) else {
            throw AWSPlatformError.malformedResponse(service: "SSM", operation: operation, detail: "parameter name '\(text.prefix(80))' is not one shift accepts")
        }
        return name
    }

    private static func parameterType(_ text: String, of name: String, operation: String) throws -> ParameterType {
        guard let type = ParameterType(rawValue: text) else {
            throw AWSPlatformError.malformedResponse(service: "SSM", operation: operation, detail: "parameter '\(name)' has type '\(text.prefix(40))'; expected String, StringList or SecureString")
        }
        return type
    }

    private static func date(_ seconds: Double?, of name: String, operation: String) throws -> Date {
        guard let seconds else {
            throw AWSPlatformError.malformedResponse(service: "SSM", operation: operation, detail: "parameter '\(name)' has no LastModifiedDate")
        }
        return Date(epochSeconds: seconds)
    }
}

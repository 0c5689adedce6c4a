import Foundation
import ShiftCore

/// The SSM Parameter Store calls shift makes, on the JSON 1.1 API (`X-Amz-Target: AmazonSSM.<Operation>`).
///
/// SecureString values are decrypted by SSM itself (`WithDecryption`), with the account's KMS key; shift
/// never sees a key. Values returned here are secrets when their type is SecureString: callers mask them.
public struct SSMClient: Sendable {
    public let client: AWSServiceClient

    /// A client that sends through `client` (whose service is SSM).
    public init(client: AWSServiceClient) {
        self.client = client
    }

    /// One parameter version as SSM describes it, with SSM's field names.
    public struct Parameter: Codable, Equatable, Sendable {
        public var Name: String
        public var `Type`: String
        public var Value: String?
        public var Version: Int
        /// Seconds since 1970, as the JSON protocol sends timestamps.
        public var LastModifiedDate: Double?
        public var Selector: String?
        public var Labels: [String]?
        public var Description: String?
        public var ARN: String?
        public var DataType: String?
        /// GetParameterHistory only: who stored the version.
        public var LastModifiedUser: String?

        /// The same parameter with its value replaced by `****` when it is a SecureString that was not decrypted
        /// or must not be shown.
        public func masked(_ mask: Bool) -> Parameter {
            guard mask, Type == "SecureString" else { return self }
            var copy = self
            copy.Value = "****"
            return copy
        }
    }

    private func call<Response: Decodable>(_ type: Response.Type, _ operation: String, _ body: [String: Any], retriesUnanswered: Bool = true) async throws -> Response {
        try await client.call(type, operation: operation, body: body, retriesUnanswered: retriesUnanswered)
    }

    private struct Empty: Decodable {}

    /// PutParameter; returns the new version.
    public func putParameter(_ name: String, value: String, type: String, description: String?, overwrite: Bool) async throws -> Int {
        struct Answer: Decodable { var Version: Int }
        var body: [String: Any] = ["Name": name, "Value": value, "Type": type, "Overwrite": overwrite]
        if let description { body["Description"] = description }
        // Not resent unanswered: a lost answer would turn into ParameterAlreadyExists, or a second version.
        return try await call(Answer.self, "PutParameter", body, retriesUnanswered: false).Version
    }

    /// GetParameter; `name` may carry a selector (`NAME:3`, `NAME:prod`).
    public func getParameter(_ name: String, decrypt: Bool) async throws -> Parameter {
        struct Answer: Decodable { var Parameter: SSMClient.Parameter }
        return try await call(Answer.self, "GetParameter", ["Name": name, "WithDecryption": decrypt]).Parameter
    }

    /// One parameter as DescribeParameters describes it: metadata of its latest version, never a value.
    public struct ParameterMetadata: Codable, Equatable, Sendable {
        public var Name: String
        public var `Type`: String
        public var Version: Int
        /// Seconds since 1970, as the JSON protocol sends timestamps.
        public var LastModifiedDate: Double?
        public var LastModifiedUser: String?
        public var Description: String?
        public var ARN: String?
        public var DataType: String?
    }

    /// DescribeParameters, every page: all parameters when `path` is nil, else those under it (its `Path` filter,
    /// `Recursive` or `OneLevel`).
    public func describeParameters(path: String?, recursive: Bool) async throws -> [ParameterMetadata] {
        struct Answer: Decodable { var Parameters: [SSMClient.ParameterMetadata]?; var NextToken: String? }
        var all: [ParameterMetadata] = []
        var token: String?
        repeat {
            var body: [String: Any] = ["MaxResults": 50]
            if let path {
                body["ParameterFilters"] = [["Key": "Path", "Option": recursive ? "Recursive" : "OneLevel", "Values": [path]]]
            }
            if let token { body["NextToken"] = token }
            let page = try await call(Answer.self, "DescribeParameters", body)
            all += page.Parameters ?? []
            token = page.NextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return all
    }

    /// GetParameterHistory, every page, oldest first.
    public func getParameterHistory(_ name: String, decrypt: Bool) async throws -> [Parameter] {
        struct Answer: Decodable { var Parameters: [SSMClient.Parameter]?; var NextToken: String? }
        var all: [Parameter] = []
        var token: String?
        repeat {
            var body: [String: Any] = ["Name": name, "WithDecryption": decrypt]
            if let token { body["NextToken"] = token }
            let page = try await call(Answer.self, "GetParameterHistory", body)
            all += page.Parameters ?? []
            token = page.NextToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        return all.sorted { $0.Version < $1.Version }
    }

    /// DeleteParameter, every version with it.
    public func deleteParameter(_ name: String) async throws {
        _ = try await call(Empty.self, "DeleteParameter", ["Name": name])
    }

    /// LabelParameterVersion: moves `label` to `version`.
    public func labelParameterVersion(_ name: String, version: Int, label: String) async throws {
        struct Answer: Decodable { var InvalidLabels: [String]? }
        let answer = try await call(Answer.self, "LabelParameterVersion", ["Name": name, "ParameterVersion": version, "Labels": [label]])
        if let invalid = answer.InvalidLabels, !invalid.isEmpty {
            throw ShiftCoreError.invalidValue(field: "label", value: invalid.joined(separator: ", "), expected: "a label SSM accepts: letters, digits, '.', '-' and '_', not starting with a digit or 'aws'/'ssm'")
        }
    }
}

/// Resolves `{{param:/path}}` references from SSM Parameter Store, decrypting SecureStrings.
public struct SSMParameterResolver: ParameterResolver {
    public let ssm: SSMClient

    public init(ssm: SSMClient) {
        self.ssm = ssm
    }

    /// - Throws: `ShiftCoreError.notFound` naming the parameter when SSM has no such name; SSM's other errors.
    public func resolve(_ name: String) async throws -> String {
        do {
            return try await ssm.getParameter(name, decrypt: true).Value ?? ""
        } catch let AWSPlatformError.service(_, _, _, code, _, _) where code == "ParameterNotFound" {
            throw ShiftCoreError.notFound(kind: "parameter", name: name, hint: "create it with 'shift param put \(name) VALUE' on this account")
        }
    }
}

import Foundation

/// Lambda's wire shapes (API version 2015-03-31), with AWS's field names.
public enum LambdaWire {
    /// `RoutingConfig`: the additional version and its weight, keyed by version number as a string.
    public struct RoutingConfig: Codable, Equatable, Sendable {
        public var AdditionalVersionWeights: [String: Double]?

        public init(additionalVersionWeights: [String: Double]?) {
            self.AdditionalVersionWeights = additionalVersionWeights
        }
    }

    /// `AliasConfiguration`: the answer of GetAlias, CreateAlias and UpdateAlias.
    public struct AliasConfiguration: Codable, Equatable, Sendable {
        public var AliasArn: String?
        public var Name: String
        public var FunctionVersion: String
        public var Description: String?
        public var RoutingConfig: RoutingConfig?
        public var RevisionId: String?
    }

    /// `ListAliases`' answer.
    public struct AliasList: Codable, Sendable {
        public var Aliases: [AliasConfiguration]?
        public var NextMarker: String?
    }

    /// `Environment` / `EnvironmentResponse`.
    public struct Environment: Codable, Equatable, Sendable {
        public var Variables: [String: String]?
    }

    /// `FunctionConfiguration`: the answer of GetFunctionConfiguration, CreateFunction, PublishVersion, ...
    public struct FunctionConfiguration: Codable, Equatable, Sendable {
        public var FunctionName: String
        public var FunctionArn: String?
        public var Runtime: String?
        public var Role: String?
        public var Handler: String?
        public var CodeSha256: String?
        public var CodeSize: Int?
        public var MemorySize: Int?
        public var PackageType: String?
        public var Architectures: [String]?
        public var Description: String?
        public var Timeout: Int?
        public var Version: String?
        public var Environment: Environment?
        public var LastModified: String?
        public var RevisionId: String?
        /// `Pending` while a new function is being created, then `Active`.
        public var State: String?
        public var StateReason: String?
        /// `InProgress` while an update is being applied, then `Successful` or `Failed`.
        public var LastUpdateStatus: String?
        public var LastUpdateStatusReason: String?
    }

    /// `ListVersionsByFunction`' and `ListFunctions`' answers.
    public struct FunctionList: Codable, Sendable {
        public var Versions: [FunctionConfiguration]?
        public var Functions: [FunctionConfiguration]?
        public var NextMarker: String?
    }
}

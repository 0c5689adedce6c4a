import Foundation
import ShiftCore

/// `--output json` shapes, with Lambda's field names so that scripts written for the AWS CLI read them.
struct EnvironmentView: Encodable {
    var Variables: [String: String]
}

/// GetFunctionConfiguration, for `$LATEST` or a published version; fields a platform does not report are left out.
struct FunctionConfigurationView: Encodable {
    var FunctionName: String
    var FunctionArn: String?
    var Runtime: String?
    var Role: String?
    var Version: String
    var Handler: String
    var Timeout: Int
    var Environment: EnvironmentView
    var Description: String
    var CodeSha256: String?
    var CodeSize: Int?
    var CodePath: String?
    var LastModified: Date?
    var RevisionId: String?
    var State: String?
    var LastUpdateStatus: String?
    /// Lambda reports this through GetFunctionConcurrency; shown here beside the configuration it belongs to.
    var ReservedConcurrentExecutions: Int?

    init(_ function: FunctionDetails) {
        FunctionName = function.name
        FunctionArn = function.arn
        Runtime = function.runtime
        Role = function.role
        Version = "$LATEST"
        Handler = function.configuration.handler
        Timeout = Int(function.configuration.timeout)
        Environment = EnvironmentView(Variables: function.configuration.environment)
        Description = function.configuration.description
        CodeSha256 = function.codeSHA256
        CodeSize = function.codeSize
        CodePath = function.codePath
        LastModified = function.lastModified
        RevisionId = function.revisionId
        State = function.state
        LastUpdateStatus = function.lastUpdateStatus
        ReservedConcurrentExecutions = function.reservedConcurrency
    }

    init(function: String, version: FunctionVersion) {
        FunctionName = function
        Version = String(version.number)
        Handler = version.configuration.handler
        Timeout = Int(version.configuration.timeout)
        Environment = EnvironmentView(Variables: version.configuration.environment)
        Description = version.description
        CodeSha256 = version.codeSHA256
        CodePath = nil
        LastModified = version.publishedAt
    }
}

/// GetAlias.
struct AliasView: Encodable {
    struct RoutingConfigView: Encodable {
        var AdditionalVersionWeights: [String: Double]
    }

    var FunctionName: String
    var Name: String
    var FunctionVersion: String
    var RoutingConfig: RoutingConfigView
    var RevisionId: String
    var Description: String
    var LastModified: Date

    init(_ alias: Alias) {
        FunctionName = alias.functionName
        Name = alias.name
        FunctionVersion = String(alias.routing.primaryVersion)
        var weights: [String: Double] = [:]
        if let additional = alias.routing.additionalVersion {
            weights[String(additional.version)] = additional.weight.value
        }
        RoutingConfig = RoutingConfigView(AdditionalVersionWeights: weights)
        RevisionId = alias.revisionId
        Description = alias.description
        LastModified = alias.updatedAt
    }
}

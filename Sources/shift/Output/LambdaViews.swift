import Foundation
import ShiftCore
import ShiftLocal

/// `--output json` shapes, with Lambda's field names so that scripts written for the AWS CLI read them.
struct EnvironmentView: Encodable {
    var Variables: [String: String]
}

/// GetFunctionConfiguration, for `$LATEST` or a published version.
struct FunctionConfigurationView: Encodable {
    var FunctionName: String
    var Version: String
    var Handler: String
    var Timeout: Int
    var Environment: EnvironmentView
    var Description: String
    var CodeSha256: String
    var CodePath: String?
    var LastModified: Date
    /// Lambda reports this through GetFunctionConcurrency; shown here beside the configuration it belongs to.
    var ReservedConcurrentExecutions: Int?

    init(record: FunctionRecord, codeSHA256: String) {
        FunctionName = record.name
        Version = "$LATEST"
        Handler = record.configuration.handler
        Timeout = Int(record.configuration.timeout)
        Environment = EnvironmentView(Variables: record.configuration.environment)
        Description = record.configuration.description
        CodeSha256 = codeSHA256
        CodePath = record.codePath
        LastModified = record.updatedAt
        ReservedConcurrentExecutions = record.reservedConcurrency
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

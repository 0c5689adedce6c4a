import Foundation
import ShiftCore

/// `--output json` shapes: exactly Lambda's API responses (field names, JSON types and formats of botocore's service
/// model), so that scripts written for the AWS CLI read them. What shift adds goes under the one extra key
/// `"Shift"`, never among Lambda's fields; a field the platform does not report is left out, as Lambda leaves
/// out what does not apply.
struct EnvironmentView: Encodable {
    var Variables: [String: String]
}

/// `FunctionConfiguration`: GetFunctionConfiguration, CreateFunction, UpdateFunction*, PublishVersion, and each
/// item of ListFunctions and ListVersionsByFunction.
struct FunctionConfigurationView: Encodable {
    /// What shift adds to a function configuration.
    struct ShiftView: Encodable {
        /// Local: where `$LATEST`'s code lives on this machine.
        var CodePath: String?
        /// Local: the function's reserved concurrency (Lambda reports it through GetFunctionConcurrency).
        var ReservedConcurrentExecutions: Int?
        /// Local: how many versions are published (`function list`).
        var VersionCount: Int?

        var isEmpty: Bool { CodePath == nil && ReservedConcurrentExecutions == nil && VersionCount == nil }
    }

    var FunctionName: String
    var FunctionArn: String?
    var Runtime: String?
    var Role: String?
    var Handler: String
    var CodeSize: Int?
    var Description: String
    var Timeout: Int
    var MemorySize: Int?
    /// Lambda's format: `2026-12-01T22:03:09.123+0000`.
    var LastModified: String?
    var CodeSha256: String?
    var Version: String
    /// `{{param:/path}}` references show as written: they are resolved only inside an invocation.
    var Environment: EnvironmentView?
    var RevisionId: String?
    var State: String?
    var LastUpdateStatus: String?
    var PackageType: String?
    var Architectures: [String]?
    var Shift: ShiftView?

    init(_ function: FunctionDetails) {
        FunctionName = function.name
        FunctionArn = function.arn
        Runtime = function.runtime
        Role = function.role
        Handler = function.configuration.handler
        CodeSize = function.codeSize
        Description = function.configuration.description
        Timeout = Int(function.configuration.timeout)
        MemorySize = function.memorySize
        LastModified = function.lastModified.map(LambdaTimestamp.format)
        CodeSha256 = function.codeSHA256
        Version = function.version
        // Lambda leaves Environment out of a function without variables.
        Environment = function.configuration.environment.isEmpty ? nil : EnvironmentView(Variables: function.configuration.environment)
        RevisionId = function.revisionId
        State = function.state
        LastUpdateStatus = function.lastUpdateStatus
        PackageType = function.packageType
        Architectures = function.architectures
        let shift = ShiftView(CodePath: function.codePath, ReservedConcurrentExecutions: function.reservedConcurrency, VersionCount: function.versionCount)
        Shift = shift.isEmpty ? nil : shift
    }
}

/// `AliasConfiguration`: GetAlias, CreateAlias, UpdateAlias, and each item of ListAliases.
struct AliasView: Encodable {
    struct RoutingConfigView: Encodable {
        var AdditionalVersionWeights: [String: Double]
    }

    /// What shift adds to an alias.
    struct ShiftView: Encodable {
        var FunctionName: String
    }

    var AliasArn: String?
    var Name: String
    var FunctionVersion: String
    var Description: String
    var RoutingConfig: RoutingConfigView
    var RevisionId: String
    var Shift: ShiftView

    init(_ alias: Alias) {
        AliasArn = alias.arn
        Name = alias.name
        FunctionVersion = String(alias.routing.primaryVersion)
        Description = alias.description
        var weights: [String: Double] = [:]
        if let additional = alias.routing.additionalVersion {
            weights[String(additional.version)] = additional.weight.value
        }
        RoutingConfig = RoutingConfigView(AdditionalVersionWeights: weights)
        RevisionId = alias.revisionId
        Shift = ShiftView(FunctionName: alias.functionName)
    }
}

/// `InvocationResponse`: Invoke with `RequestResponse` and `LogType: Tail`.
struct InvocationView: Encodable {
    /// What shift adds to an invocation.
    struct ShiftView: Encodable {
        /// Wall time of the invocation, to a tenth of a millisecond.
        var DurationMilliseconds: Double
        /// Why it failed in words, where Lambda's `FunctionError` only says `Unhandled` (local handlers).
        var FunctionErrorReason: String?
    }

    var StatusCode = 200
    var FunctionError: String?
    /// The last 4 KB of the log, base64.
    var LogResult: String
    var ExecutedVersion: String
    /// The response as text (Lambda's SDKs hand it over as a byte stream; JSON has no bytes).
    var Payload: String
    var Shift: ShiftView

    init(_ result: InvocationResult) {
        FunctionError = result.functionErrorType
        LogResult = result.logResult
        ExecutedVersion = result.executedVersion
        Payload = String(decoding: result.payload, as: UTF8.self)
        Shift = ShiftView(DurationMilliseconds: (result.duration * 1000 * 10).rounded() / 10, FunctionErrorReason: result.functionErrorReason)
    }
}

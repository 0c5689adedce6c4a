import Foundation
import ShiftCore

/// The errors of the AWS platform: credentials, profiles, regions and endpoints that cannot be resolved, and
/// requests that cannot be signed.
///
/// No case carries a secret: cases name the variable, file, line, profile or key at fault, never its value
/// when that value could be a credential.
public enum AWSPlatformError: CategorizedError, LocalizedError, Equatable {
    /// `AWS_ACCESS_KEY_ID` or `AWS_SECRET_ACCESS_KEY` is set without the other.
    case incompleteEnvironmentCredentials(present: String, missing: String)
    /// The profile is in neither the shared credentials file nor the config file.
    case profileNotFound(profile: String, credentialsFile: String, configFile: String)
    /// The profile exists but lacks a key that credentials need (`aws_secret_access_key`, ...).
    case incompleteProfile(profile: String, file: String, line: Int, missingKey: String)
    /// A shared config or credentials file has a line that is neither a section, a `key = value` pair nor a comment.
    case malformedConfigFile(file: String, line: Int, detail: String)
    /// A shared config or credentials file exists but cannot be read.
    case unreadableConfigFile(file: String, detail: String)
    /// No region in the account, `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile.
    case missingRegion(profile: String, configFile: String)
    /// A region that cannot name a host.
    case invalidRegion(source: String, value: String)
    /// An endpoint override is not an absolute http(s) URL.
    case invalidEndpoint(source: String, value: String)
    /// A request URL has no host, so it cannot be signed.
    case unsignableURL(url: String)
    /// The service answered with an error: its code and message as it sent them, after `attempts` tries.
    case service(service: String, operation: String, status: Int, code: String, message: String, attempts: Int)
    /// No answer arrived (connection refused, reset, timed out) after `attempts` tries.
    case unreachable(service: String, operation: String, endpoint: String, detail: String, attempts: Int)
    /// The service answered 2xx with a body shift cannot read.
    case malformedResponse(service: String, operation: String, detail: String)
    /// The code to upload cannot be read.
    case unreadableCode(path: String, detail: String)
    /// Lambda could not apply a change to a function, or took too long.
    case functionUpdateFailed(function: String, reason: String)
    /// An account's platform settings are missing something the AWS platform needs.
    case unsupported(operation: String, hint: String)
    /// A proxy variable (`https_proxy`, `HTTP_PROXY`, ...) that is not an `http://` proxy URL; `value` without its password.
    case invalidProxy(variable: String, value: String, expected: String)
    /// A version published from an upload holds other bytes than the zip sent.
    case codeMismatch(function: String, version: Int, published: String, sent: String)

    public var category: ErrorCategory {
        switch self {
        case .unreadableConfigFile, .unreachable, .malformedResponse, .functionUpdateFailed, .codeMismatch: return .failed
        case let .service(_, _, status, code, _, _):
            // A stale RevisionId means someone else moved the alias: a conflict, as the local platform reports it.
            if code == "PreconditionFailedException" { return .conflict }
            return (400...499).contains(status) && !RetryPolicy.isRetryable(status: status, code: code) ? .badInput : .failed
        default: return .badInput
        }
    }

    public var errorDescription: String? {
        switch self {
        case let .incompleteEnvironmentCredentials(present, missing):
            return "\(present) is set but \(missing) is not; set both, or unset \(present) to use a profile"
        case let .profileNotFound(profile, credentialsFile, configFile):
            return "profile '\(profile)' is in neither \(credentialsFile) nor \(configFile) (as [profile \(profile)]); "
                + "add it, or choose another with AWS_PROFILE or --profile"
        case let .incompleteProfile(profile, file, line, missingKey):
            return "\(file):\(line): profile '\(profile)' has no \(missingKey); add it to the profile"
        case let .malformedConfigFile(file, line, detail):
            return "\(file):\(line): \(detail); expected [section], key = value, or a # comment"
        case let .unreadableConfigFile(file, detail):
            return "cannot read \(file): \(detail)"
        case let .missingRegion(profile, configFile):
            return "no region: set AWS_REGION, pass --region, or add 'region = ...' to profile '\(profile)' in \(configFile)"
        case let .invalidRegion(source, value):
            return "\(source) is '\(value)'; expected a region such as eu-west-1 (lowercase letters, digits and dashes)"
        case let .invalidEndpoint(source, value):
            return "\(source) is '\(value)'; expected an absolute URL such as http://127.0.0.1:5000"
        case let .invalidProxy(variable, value, expected):
            return "\(variable) is '\(value)'; expected \(expected), or unset it to connect directly"
        case let .unsignableURL(url):
            return "cannot sign a request to '\(url)': the URL has no host"
        case let .service(service, operation, status, code, message, attempts):
            let tries = attempts > 1 ? ", after \(attempts) attempts" : ""
            return "\(code): \(message) (\(service) \(operation), HTTP \(status)\(tries))"
        case let .unreachable(service, operation, endpoint, detail, attempts):
            return "\(service) \(operation): no answer from \(endpoint) after \(attempts) attempt\(attempts == 1 ? "" : "s") (\(detail)); "
                + "check the account's --endpoint-url, AWS_ENDPOINT_URL and the network"
        case let .malformedResponse(service, operation, detail):
            return "\(service) \(operation): unreadable response: \(detail)"
        case let .unreadableCode(path, detail):
            return "cannot read code at \(path): \(detail); give --code a readable directory or .zip file"
        case let .functionUpdateFailed(function, reason):
            return "Lambda did not apply the change to \(function): \(reason); see its LastUpdateStatusReason in the console or 'aws lambda get-function-configuration'"
        case let .unsupported(operation, hint):
            return "\(operation) is not available on the AWS platform; \(hint)"
        case let .codeMismatch(function, version, published, sent):
            return "version \(version) has CodeSha256 \(published), not \(sent), the hash of the zip uploaded to \(function); publish again"
        }
    }
}

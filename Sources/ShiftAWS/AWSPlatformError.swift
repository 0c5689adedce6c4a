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
    /// An endpoint override is not an absolute http(s) URL.
    case invalidEndpoint(source: String, value: String)
    /// A request URL has no host, so it cannot be signed.
    case unsignableURL(url: String)

    public var category: ErrorCategory {
        switch self {
        case .unreadableConfigFile: return .failed
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
        case let .invalidEndpoint(source, value):
            return "\(source) is '\(value)'; expected an absolute URL such as http://127.0.0.1:5000"
        case let .unsignableURL(url):
            return "cannot sign a request to '\(url)': the URL has no host"
        }
    }
}

import Foundation

/// The standard AWS resolution chain for credentials, region and endpoint, as the AWS CLI and SDKs apply it.
///
/// Pure: it reads only the environment dictionary it is given and the two shared files whose paths it derives
/// from that environment, so tests pass a dictionary and temporary files.
/// - Credentials: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`); then the profile
///   (`AWS_PROFILE`, else `default`) from the credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else
///   `~/.aws/credentials`) and then the config file (`AWS_CONFIG_FILE`, else `~/.aws/config`).
///   A profile named explicitly (an account's `--profile`) skips the environment keys, as `aws --profile` does.
/// - Region: the explicit override, `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
/// - Endpoint: the explicit override, `AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the profile's
///   `endpoint_url`, then the public `https://<prefix>.<region>.amazonaws.com`.
public struct CredentialsChain: Sendable {
    /// The environment variables, typically `ProcessInfo.processInfo.environment`.
    public let environment: [String: String]
    /// The profile named explicitly, which wins over `AWS_PROFILE` and the environment's keys.
    public let explicitProfile: String?

    /// A chain over `environment`; `profile` is an account's explicit profile, if any.
    public init(environment: [String: String], profile: String? = nil) {
        self.environment = environment
        self.explicitProfile = profile.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The profile in use: the explicit one, `AWS_PROFILE`, else `default`.
    public var profileName: String { explicitProfile ?? variable("AWS_PROFILE") ?? "default" }

    /// `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`.
    public var credentialsFilePath: String {
        expandingTilde(variable("AWS_SHARED_CREDENTIALS_FILE") ?? "~/.aws/credentials")
    }

    /// `AWS_CONFIG_FILE`, else `~/.aws/config`.
    public var configFilePath: String {
        expandingTilde(variable("AWS_CONFIG_FILE") ?? "~/.aws/config")
    }

    /// Resolves the credentials.
    /// - Throws: `AWSPlatformError.incompleteEnvironmentCredentials` when only one of the key variables is set,
    ///   `.profileNotFound` naming both files when the profile is in neither, `.incompleteProfile` naming the
    ///   file and line when the profile lacks a key, and the shared files' read and parse errors.
    public func resolveCredentials() throws -> AWSCredentials {
        if explicitProfile == nil {
            let id = variable("AWS_ACCESS_KEY_ID")
            let secret = variable("AWS_SECRET_ACCESS_KEY")
            switch (id, secret) {
            case let (id?, secret?):
                return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: variable("AWS_SESSION_TOKEN"))
            case (.some, nil):
                throw AWSPlatformError.incompleteEnvironmentCredentials(present: "AWS_ACCESS_KEY_ID", missing: "AWS_SECRET_ACCESS_KEY")
            case (nil, .some):
                throw AWSPlatformError.incompleteEnvironmentCredentials(present: "AWS_SECRET_ACCESS_KEY", missing: "AWS_ACCESS_KEY_ID")
            case (nil, nil):
                break
            }
        }
        let name = profileName
        // The credentials file wins key by key; the config file may hold keys too (botocore reads both).
        let sources = [try SharedConfigFile.load(path: credentialsFilePath), try SharedConfigFile.load(path: configFilePath)]
        let found = sources.compactMap { $0 }.compactMap { file in file.profiles[name].map { (file: file, profile: $0) } }
        guard !found.isEmpty else {
            throw AWSPlatformError.profileNotFound(profile: name, credentialsFile: credentialsFilePath, configFile: configFilePath)
        }
        func value(_ key: String) -> String? {
            found.lazy.compactMap { $0.profile.values[key] }.first { !$0.isEmpty }
        }
        let first = found[0]
        guard let id = value("aws_access_key_id") else {
            throw AWSPlatformError.incompleteProfile(profile: name, file: first.file.path, line: first.profile.line, missingKey: "aws_access_key_id")
        }
        guard let secret = value("aws_secret_access_key") else {
            throw AWSPlatformError.incompleteProfile(profile: name, file: first.file.path, line: first.profile.line, missingKey: "aws_secret_access_key")
        }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: value("aws_session_token"))
    }

    /// Resolves the region: `override` (an account's `--region`), `AWS_REGION`, `AWS_DEFAULT_REGION`, then the
    /// profile's `region` in the config file.
    /// - Throws: `AWSPlatformError.missingRegion` naming the profile and config file when none is set, and the
    ///   config file's read and parse errors.
    public func resolveRegion(override: String? = nil) throws -> String {
        let candidates: [(source: String, value: () throws -> String?)] = [
            ("--region", { override.flatMap { $0.isEmpty ? nil : $0 } }),
            ("AWS_REGION", { variable("AWS_REGION") }),
            ("AWS_DEFAULT_REGION", { variable("AWS_DEFAULT_REGION") }),
            ("region of profile '\(profileName)' in \(configFilePath)", { try profileSetting("region") }),
        ]
        for candidate in candidates {
            guard let region = try candidate.value() else { continue }
            // A region names a host (lambda.<region>.amazonaws.com): lowercase letters, digits and dashes only.
            guard region.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }) else {
                throw AWSPlatformError.invalidRegion(source: candidate.source, value: region)
            }
            return region
        }
        throw AWSPlatformError.missingRegion(profile: profileName, configFile: configFilePath)
    }

    /// Resolves the endpoint of one service.
    ///
    /// - Parameters:
    ///   - serviceID: the SDK service ID whose `AWS_ENDPOINT_URL_<SERVICE>` applies: `Lambda`, `CloudWatch`,
    ///     `SSM` (uppercased, spaces and dashes as `_`).
    ///   - endpointPrefix: the host prefix of the public endpoint: `lambda`, `monitoring`, `ssm`.
    ///   - region: the resolved region.
    ///   - override: an account's `--endpoint-url`, which wins over everything.
    /// - Throws: `AWSPlatformError.invalidEndpoint` naming the variable or setting whose URL is not absolute.
    public func resolveEndpoint(serviceID: String, endpointPrefix: String, region: String, override: String? = nil) throws -> URL {
        let serviceVariable = "AWS_ENDPOINT_URL_" + serviceID.uppercased()
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        // In order of precedence; the config file is read only when nothing before it is set.
        let candidates: [(source: String, value: () throws -> String?)] = [
            ("--endpoint-url", { override.flatMap { $0.isEmpty ? nil : $0 } }),
            (serviceVariable, { variable(serviceVariable) }),
            ("AWS_ENDPOINT_URL", { variable("AWS_ENDPOINT_URL") }),
            ("endpoint_url of profile '\(profileName)' in \(configFilePath)", { try profileSetting("endpoint_url") }),
        ]
        var found: (source: String, value: String)?
        for candidate in candidates where found == nil {
            if let value = try candidate.value() { found = (candidate.source, value) }
        }
        if let (source, value) = found {
            guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", url.host != nil
            else { throw AWSPlatformError.invalidEndpoint(source: source, value: Self.withoutUserInfo(value)) }
            return url
        }
        let domain = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        guard let url = URL(string: "https://\(endpointPrefix).\(region).\(domain)") else {
            throw AWSPlatformError.invalidRegion(source: "region", value: region)
        }
        return url
    }

    // MARK: - Private

    /// An environment variable, with an empty value counting as unset.
    private func variable(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// A setting of the profile in the config file, or nil when the file, profile or key is absent.
    private func profileSetting(_ key: String) throws -> String? {
        guard let value = try SharedConfigFile.load(path: configFilePath)?.profiles[profileName]?.values[key],
              !value.isEmpty else { return nil }
        return value
    }

    private func expandingTilde(_ path: String) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = variable("HOME") ?? NSHomeDirectory()
        return home + path.dropFirst()
    }

    /// Drops `user:password@` from a URL-like text before it goes into a message.
    public static func withoutUserInfo(_ text: String) -> String {
        guard let at = text.firstIndex(of: "@"), let schemeEnd = text.range(of: "://"), schemeEnd.upperBound < at else { return text }
        return String(text[..<schemeEnd.upperBound]) + "****@" + String(text[text.index(after: at)...])
    }
}

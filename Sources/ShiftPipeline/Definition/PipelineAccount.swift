import ShiftCore

/// Where a stage acts: a platform and its settings.
public struct PipelineAccount: Codable, Equatable, Sendable {
    /// Which platform an account is on.
    public enum Platform: String, Codable, CaseIterable, Sendable {
        /// The local platform: an account of the state directory.
        case local
        /// AWS Lambda, CloudWatch and SSM, through the AWS platform.
        case aws
    }

    /// The name stages use.
    public var name: String
    public var platform: Platform
    /// For `local`: the state directory's account (default: `name`).
    public var localAccount: String
    /// For `aws`: the region, profile and endpoint, as written.
    public var region: String?
    public var profile: String?
    public var endpoint: String?
    /// For `aws`: the execution role ARN of functions a deploy stage creates.
    public var role: String?
    /// For `aws`: the runtime of functions a deploy stage creates (default `provided.al2023`).
    public var runtime: String?
    /// For `aws`: where deployments and leases are shared between machines (`state: s3://BUCKET/PREFIX`); the
    /// state directory when nil.
    public var state: SharedStateLocation?
    /// For `aws` with `state`: the KMS key (id, ARN or alias) the state's objects are encrypted with
    /// (`stateKmsKey:`); the bucket's default encryption when nil.
    public var stateKMSKey: String?

    public init(name: String, platform: Platform, localAccount: String? = nil, region: String? = nil, profile: String? = nil, endpoint: String? = nil,
                role: String? = nil, runtime: String? = nil, state: SharedStateLocation? = nil, stateKMSKey: String? = nil) {
        self.name = name
        self.platform = platform
        self.localAccount = localAccount ?? name
        self.region = region
        self.profile = profile
        self.endpoint = endpoint
        self.role = role
        self.runtime = runtime
        self.state = state
        self.stateKMSKey = stateKMSKey
    }
}

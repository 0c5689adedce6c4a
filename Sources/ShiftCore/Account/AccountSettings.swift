/// Which platform an account is on, and what that platform needs to reach it.
///
/// Accounts are named (`default`, `staging`, `prod`); `shift --account NAME` picks one. An account nobody
/// configured is a local one, so the local platform needs no set-up.
public struct AccountSettings: Codable, Equatable, Sendable {
    /// The platforms shift drives.
    public enum Platform: String, Codable, CaseIterable, Sendable {
        /// Functions are programs on this machine; state lives in the state directory.
        case local
        /// Real Lambda, CloudWatch and SSM APIs.
        case aws
    }

    public var platform: Platform
    /// AWS: the region; else `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's.
    public var region: String?
    /// AWS: the profile in the shared config files; else `AWS_PROFILE` or `default`.
    public var profile: String?
    /// AWS: an endpoint for every service (moto, LocalStack); else `AWS_ENDPOINT_URL` or the public endpoints.
    public var endpointURL: String?
    /// AWS: the execution role ARN given to functions that `shift function create` makes.
    public var role: String?
    /// AWS: the runtime of functions that `shift function create` makes (default `provided.al2023`).
    public var runtime: String?
    /// AWS: where deployments, leases and stop requests are shared between machines (`s3://BUCKET/PREFIX`);
    /// the state directory when nil.
    public var state: SharedStateLocation?
    /// AWS: the KMS key (id, ARN or alias) shared state objects are encrypted with; the bucket's default when nil.
    public var stateKMSKey: String?

    /// Settings for `platform`, with the AWS fields given.
    public init(platform: Platform, region: String? = nil, profile: String? = nil, endpointURL: String? = nil, role: String? = nil, runtime: String? = nil,
                state: SharedStateLocation? = nil, stateKMSKey: String? = nil) {
        self.platform = platform
        self.region = region
        self.profile = profile
        self.endpointURL = endpointURL
        self.role = role
        self.runtime = runtime
        self.state = state
        self.stateKMSKey = stateKMSKey
    }

    /// An account no one configured: local.
    public static let local = AccountSettings(platform: .local)
}

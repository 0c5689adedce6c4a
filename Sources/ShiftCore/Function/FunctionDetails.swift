import Foundation

/// A function's configuration at `$LATEST` (its current code and configuration) or at a published version, as its
/// platform reports it: what Lambda's GetFunctionConfiguration answers.
///
/// The fields every platform has come first; the rest are set by the platform that has them (the local
/// platform's code path and reserved concurrency, Lambda's runtime and role) and nil elsewhere.
public struct FunctionDetails: Equatable, Sendable {
    public var name: String
    /// `$LATEST`, or a published version's number.
    public var version: String = "$LATEST"
    public var configuration: FunctionConfiguration
    /// The SHA-256 of the code, base64 as Lambda reports it; nil when the platform did not say.
    public var codeSHA256: String?
    /// When `$LATEST` last changed.
    public var lastModified: Date?
    /// How many versions are published; nil when the platform's listing does not say (Lambda's does not).
    public var versionCount: Int?
    /// Local: where the code lives on this machine.
    public var codePath: String?
    /// Local: at most this many invocations at once, of every version.
    public var reservedConcurrency: Int?
    /// The ARN as Lambda's `FunctionArn`: with the qualifier it was asked for, if any (the local platform's use a
    /// fixed partition, region and account id).
    public var arn: String?
    /// The runtime, as the configuration holds it (nil for a local command handler).
    public var runtime: String? {
        get { configuration.runtime }
        set { configuration.runtime = newValue }
    }
    /// AWS: the execution role.
    public var role: String?
    /// The code's size in bytes (Lambda: the deployment package's; local: the code's files').
    public var codeSize: Int?
    /// Memory in MB (Lambda's `MemorySize`; the local platform reports Lambda's default and does not enforce it).
    public var memorySize: Int?
    /// Lambda's `PackageType` (`Zip` or `Image`) and `Architectures` (`x86_64` or `arm64`).
    public var packageType: String?
    public var architectures: [String]?
    /// The revision, and Lambda's `State` and `LastUpdateStatus`.
    public var revisionId: String?
    public var state: String?
    public var lastUpdateStatus: String?

    public init(name: String, configuration: FunctionConfiguration, codeSHA256: String?, lastModified: Date?) {
        self.name = name
        self.configuration = configuration
        self.codeSHA256 = codeSHA256
        self.lastModified = lastModified
    }
}

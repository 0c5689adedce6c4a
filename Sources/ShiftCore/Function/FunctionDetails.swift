import Foundation

/// A function's `$LATEST` (its current code and configuration) as its platform reports it.
///
/// The fields every platform has come first; the rest are set by the platform that has them (the local
/// platform's code path and reserved concurrency, Lambda's ARN, runtime and update state) and nil elsewhere.
public struct FunctionDetails: Equatable, Sendable {
    public var name: String
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
    /// AWS: the function's ARN, runtime, execution role and code size.
    public var arn: String?
    public var runtime: String?
    public var role: String?
    public var codeSize: Int?
    /// AWS: the revision, and Lambda's `State` and `LastUpdateStatus`.
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

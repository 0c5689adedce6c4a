import Foundation

/// The secret half of a SigV4 signature: an access key pair and, for temporary credentials, a session token.
///
/// SigV4 uses the access key ID in the credential scope of the `Authorization` header, the secret access key
/// to derive the signing key, and sends the session token as `X-Amz-Security-Token`. Only the access key ID is
/// meant to be seen; `description` and `debugDescription` mask everything else, so credentials can be logged,
/// interpolated into messages or dumped by a test failure without leaking.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The access key ID, e.g. `AKIDEXAMPLE`. Appears in every signed request.
    public let accessKeyId: String
    /// The secret access key. Never printed.
    public let secretAccessKey: String
    /// The session token of temporary (STS) credentials. Never printed.
    public let sessionToken: String?

    /// Credentials from their three parts; an empty session token counts as none.
    public init(accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = (sessionToken?.isEmpty ?? true) ? nil : sessionToken
    }

    /// The credentials with the secret and token masked, and the access key ID cut to its last four characters,
    /// as `aws configure list` shows it.
    public var description: String {
        let token = sessionToken == nil ? "none" : Self.mask
        return "AWSCredentials(accessKeyId: \(Self.maskedAccessKeyId(accessKeyId)), secretAccessKey: \(Self.mask), sessionToken: \(token))"
    }

    /// The same masked text as `description`: a debugger or `dump` must not reveal the secret either.
    public var debugDescription: String { description }

    /// Masked children, so that `dump` and test-failure reflection do not walk into the secret either.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "accessKeyId": Self.maskedAccessKeyId(accessKeyId),
            "secretAccessKey": Self.mask,
            "sessionToken": sessionToken == nil ? "none" : Self.mask,
        ])
    }

    /// What stands in for a secret in any text.
    static let mask = "****"

    /// `AKIDEXAMPLE` -> `****MPLE`: enough to tell keys apart, not enough to use one.
    static func maskedAccessKeyId(_ id: String) -> String {
        id.count <= 4 ? mask : mask + id.suffix(4)
    }
}

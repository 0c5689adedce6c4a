import Foundation
import ShiftCore

/// The STS call shift makes: `GetCallerIdentity`, on the Query API (a form-encoded `POST /`, an XML answer), to
/// record who approved a pipeline stage by the credentials they hold rather than the name they type. It needs no
/// permission: any valid credentials may ask who they are.
public struct STSClient: Sendable {
    public let client: AWSServiceClient

    /// A client that sends through `client` (whose service is STS).
    public init(client: AWSServiceClient) {
        self.client = client
    }

    /// Who a set of credentials is, as STS answers (`GetCallerIdentityResult`).
    public struct CallerIdentity: Equatable, Sendable {
        /// `arn:aws:iam::123456789012:user/alice` or `arn:aws:sts::123456789012:assumed-role/ROLE/SESSION`.
        public var arn: String
        public var account: String
        public var userID: String

        public init(arn: String, account: String, userID: String) {
            self.arn = arn
            self.account = account
            self.userID = userID
        }
    }

    /// GetCallerIdentity.
    /// - Throws: `AWSPlatformError.service` (invalid or expired credentials), `.unreachable`, `.malformedResponse`
    ///   when the answer has no ARN.
    public func callerIdentity() async throws -> CallerIdentity {
        let operation = "GetCallerIdentity"
        guard case let .query(version) = client.service.wireProtocol else {
            throw AWSPlatformError.malformedResponse(service: client.service.name, operation: operation, detail: "the client is not a Query-protocol client")
        }
        let body = Data("Action=\(operation)&Version=\(version)".utf8)
        let response = try await client.send(operation: operation, method: "POST", path: "/", headers: client.service.wireProtocol.headers(for: operation), body: body)
        return try Self.parseCallerIdentity(response.body)
    }

    /// Reads a `GetCallerIdentityResponse` document.
    /// - Throws: `AWSPlatformError.malformedResponse`.
    static func parseCallerIdentity(_ data: Data) throws -> CallerIdentity {
        func malformed(_ detail: String) -> AWSPlatformError {
            .malformedResponse(service: "STS", operation: "GetCallerIdentity", detail: detail)
        }
        let root: XMLElement
        do { root = try XMLElement.parse(data) } catch { throw malformed(error.localizedDescription) }
        guard root.name == "GetCallerIdentityResponse", let result = root.child("GetCallerIdentityResult") else {
            throw malformed("expected GetCallerIdentityResponse/GetCallerIdentityResult, got \(root.name)")
        }
        guard let arn = result.child("Arn")?.text, arn.hasPrefix("arn:") else { throw malformed("the answer has no Arn") }
        return CallerIdentity(arn: arn, account: result.child("Account")?.text ?? "", userID: result.child("UserId")?.text ?? "")
    }
}

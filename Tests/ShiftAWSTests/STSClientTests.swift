import Foundation
import ShiftAWS
import ShiftCore
import ShiftTestSupport
import XCTest

/// STS GetCallerIdentity: the Query request shift sends, the XML answer it reads, the XML error it reports, and a
/// real moto server's answer.
final class STSClientTests: XCTestCase {
    private func client(_ transport: ScriptedTransport) -> STSClient {
        STSClient(client: AWSServiceClient(service: .sts, endpoint: URL(string: "http://127.0.0.1:1")!, credentials: AWSServiceClientTests.credentials,
                                           region: "eu-west-1", transport: transport, clock: InstantClock(), random: { 0.5 }))
    }

    private static let answer = """
        <GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
          <GetCallerIdentityResult>
            <Arn>arn:aws:sts::123456789012:assumed-role/Releasers/alice</Arn>
            <UserId>AROAEXAMPLE:alice</UserId>
            <Account>123456789012</Account>
          </GetCallerIdentityResult>
          <ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>
        </GetCallerIdentityResponse>
        """

    func testCallerIdentity_sendsTheQueryForm_andReadsTheXMLAnswer() async throws {
        let transport = ScriptedTransport([.response(HTTPResponse(status: 200, headers: ["Content-Type": "text/xml"], body: Data(Self.answer.utf8)))])
        let identity = try await client(transport).callerIdentity()
        XCTAssertEqual(identity, STSClient.CallerIdentity(arn: "arn:aws:sts::123456789012:assumed-role/Releasers/alice", account: "123456789012", userID: "AROAEXAMPLE:alice"))
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url.path, "/")
        XCTAssertEqual(String(decoding: request.body, as: UTF8.self), "Action=GetCallerIdentity&Version=2011-06-15")
        XCTAssertEqual(request.headers["Content-Type"], "application/x-www-form-urlencoded; charset=utf-8")
        XCTAssertTrue(request.headers["Authorization"]?.contains("/eu-west-1/sts/aws4_request") == true, request.headers["Authorization"] ?? "")
    }

    func testAnErrorAnswer_isReportedWithItsXMLCodeAndMessage() async throws {
        let body = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <Error><Type>Sender</Type><Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message></Error>
              <RequestId>abc</RequestId>
            </ErrorResponse>
            """
        let transport = ScriptedTransport([.response(HTTPResponse(status: 403, body: Data(body.utf8)))])
        await XCTAssertThrowsAsync(try await client(transport).callerIdentity()) { error in
            guard case let .service(service, operation, status, code, message, _)? = error as? AWSPlatformError else { return XCTFail("\(error)") }
            XCTAssertEqual([service, operation, code], ["STS", "GetCallerIdentity", "InvalidClientTokenId"])
            XCTAssertEqual(status, 403)
            XCTAssertEqual(message, "The security token included in the request is invalid.")
        }
    }

    func testAnAnswerWithoutAnARN_isMalformed() async throws {
        let transport = ScriptedTransport([.response(HTTPResponse(status: 200, body: Data("<GetCallerIdentityResponse><GetCallerIdentityResult/></GetCallerIdentityResponse>".utf8)))])
        await XCTAssertThrowsAsync(try await client(transport).callerIdentity()) { error in
            guard case .malformedResponse? = error as? AWSPlatformError else { return XCTFail("\(error)") }
        }
    }

    func testCallerIdentity_againstMoto_isTheCredentialsARN() async throws {
        let moto: MotoServer
        do { (moto, _) = try MotoServer.shared() } catch let unavailable as MotoServer.Unavailable { throw XCTSkip(unavailable.description) }
        let platform = try AWSPlatform(settings: AccountSettings(platform: .aws, endpointURL: moto.endpoint.absoluteString), environment: MotoServer.environment)
        let identity = try await platform.sts.callerIdentity()
        XCTAssertTrue(identity.arn.hasPrefix("arn:aws:"), identity.arn)
        XCTAssertTrue(identity.arn.contains(identity.account), "\(identity)")
        XCTAssertEqual(identity.account.count, 12, "\(identity)")
    }
}

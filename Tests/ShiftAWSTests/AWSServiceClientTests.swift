import Foundation
import ShiftAWS
import ShiftCore
import XCTest

final class AWSServiceClientTests: XCTestCase {
    static let credentials = AWSCredentials(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "token-secret")

    func makeClient(_ transport: ScriptedTransport, clock: InstantClock = InstantClock(), policy: RetryPolicy = .standard, log: RetryLog? = nil, service: AWSService = .lambda) -> AWSServiceClient {
        AWSServiceClient(
            service: service, endpoint: URL(string: "http://127.0.0.1:1")!, credentials: Self.credentials, region: "eu-west-1",
            transport: transport, clock: clock, retryPolicy: policy, retryLog: log, random: { 0.5 })
    }

    func testThrottled429_isRetriedThenSucceeds_andTheRetryIsLogged() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(429, #"{"message":"Rate exceeded"}"#, headers: ["X-Amzn-ErrorType": "TooManyRequestsException"]),
            ScriptedTransport.json(200, "{}"),
        ])
        let log = RetryLog()
        let clock = InstantClock()
        let response = try await makeClient(transport, clock: clock, log: log).send(operation: "GetAlias", method: "GET", path: "/x")
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(transport.requests.count, 2)
        let retries = log.drain()
        XCTAssertEqual(retries.map(\.attempt), [2])
        XCTAssertEqual(retries.first?.reason, "TooManyRequestsException")
        XCTAssertEqual(clock.slept, [0.1], "full jitter at 0.5 of the first ceiling (0.2 s)")
    }

    func testThrottlingCodeWith400_isRetried() async throws {
        // CloudWatch's JSON protocol names the Query API's code in x-amzn-query-error; __type is its own.
        let transport = ScriptedTransport([
            ScriptedTransport.json(400, #"{"__type":"com.amazonaws.cloudwatch#ThrottlingException","message":"Rate exceeded"}"#, headers: ["x-amzn-query-error": "Throttling;Sender"]),
            ScriptedTransport.json(200, #"{"MetricAlarms":[],"CompositeAlarms":[]}"#),
        ])
        let log = RetryLog()
        _ = try await makeClient(transport, log: log, service: .cloudWatch).send(operation: "DescribeAlarms", method: "POST", path: "/")
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertEqual(log.drain().first?.reason, "Throttling")
    }

    func testJSONProtocolCall_namesTheOperationInTheTargetHeader_andPostsJSON() async throws {
        let transport = ScriptedTransport([ScriptedTransport.json(200, #"{"MetricAlarms":[],"CompositeAlarms":[]}"#)])
        let alarms = try await CloudWatchClient(client: makeClient(transport, service: .cloudWatch)).describeAlarms(named: ["a", "b"])
        XCTAssertEqual(alarms, [])
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url.path, "/")
        XCTAssertEqual(request.headers["X-Amz-Target"], "GraniteServiceVersion20100801.DescribeAlarms")
        XCTAssertEqual(request.headers["Content-Type"], "application/x-amz-json-1.0")
        let body = try XCTUnwrap(JSONSerialization.jsonObject(with: request.body) as? [String: [String]])
        XCTAssertEqual(body, ["AlarmNames": ["a", "b"], "AlarmTypes": ["MetricAlarm", "CompositeAlarm"]])
    }

    func testServerError_isRetriedWithGrowingBackoff_upToTheAttemptLimit() async throws {
        let transport = ScriptedTransport(Array(repeating: ScriptedTransport.json(503, #"{"message":"busy"}"#, headers: ["X-Amzn-ErrorType": "ServiceException"]), count: 10))
        let clock = InstantClock()
        do {
            _ = try await makeClient(transport, clock: clock, policy: RetryPolicy(maxAttempts: 4, baseDelay: 1, maxDelay: 3, maxElapsed: 100)).send(operation: "UpdateAlias", method: "PUT", path: "/x")
            XCTFail("expected the last error")
        } catch let error as AWSPlatformError {
            XCTAssertEqual(error, .service(service: "Lambda", operation: "UpdateAlias", status: 503, code: "ServiceException", message: "busy", attempts: 4))
            XCTAssertEqual(error.category, .failed)
            XCTAssertEqual(error.errorDescription, "ServiceException: busy (Lambda UpdateAlias, HTTP 503, after 4 attempts)")
        }
        XCTAssertEqual(transport.requests.count, 4)
        XCTAssertEqual(clock.slept, [0.5, 1, 1.5], "ceilings 1, 2, 3 (capped) at jitter 0.5")
    }

    func testTotalRetryTime_isBounded() async throws {
        let transport = ScriptedTransport(Array(repeating: ScriptedTransport.json(500, "{}"), count: 10))
        let clock = InstantClock()
        let started = clock.now
        _ = try? await makeClient(transport, clock: clock, policy: RetryPolicy(maxAttempts: 10, baseDelay: 4, maxDelay: 4, maxElapsed: 5)).send(operation: "GetAlias", method: "GET", path: "/x")
        XCTAssertLessThanOrEqual(clock.now.timeIntervalSince(started), 5)
        XCTAssertEqual(transport.requests.count, 3, "2 s + 2 s waited; a third wait would pass 5 s")
    }

    func testClientError_isNotRetried_andMapsToBadInput() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(404, #"{"Type":"User","message":"Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope"}"#,
                                   headers: ["X-Amzn-ErrorType": "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/"]),
        ])
        do {
            _ = try await makeClient(transport).send(operation: "GetAlias", method: "GET", path: "/x")
            XCTFail("expected an error")
        } catch let error as AWSPlatformError {
            XCTAssertEqual(error.category, .badInput)
            XCTAssertEqual(error.errorDescription, "ResourceNotFoundException: Function not found: arn:aws:lambda:eu-west-1:123456789012:function:nope (Lambda GetAlias, HTTP 404)")
        }
        XCTAssertEqual(transport.requests.count, 1)
    }

    func testStaleRevision_isAConflict() async throws {
        let transport = ScriptedTransport([
            ScriptedTransport.json(412, #"{"message":"The Revision Id provided does not match the latest Revision Id."}"#, headers: ["X-Amzn-ErrorType": "PreconditionFailedException"]),
        ])
        do {
            _ = try await makeClient(transport).send(operation: "UpdateAlias", method: "PUT", path: "/x")
            XCTFail("expected an error")
        } catch let error as AWSPlatformError {
            XCTAssertEqual(error.category, .conflict)
        }
    }

    func testJSON11Error_namespacedTypeIsCleaned() {
        let response = HTTPResponse(status: 400, body: Data(#"{"__type":"com.amazonaws.ssm#ParameterNotFound","message":"Parameter /x not found."}"#.utf8))
        let error = AWSService.ssm.wireProtocol.error(in: response)
        XCTAssertEqual(error.code, "ParameterNotFound")
        XCTAssertEqual(error.message, "Parameter /x not found.")
    }

    func testUnreadableErrorBody_namesTheStatus() {
        let error = AWSProtocol.restJSON.error(in: HTTPResponse(status: 502, body: Data()))
        XCTAssertEqual(error.code, "HTTP502")
    }

    func testTransportFailure_isRetriedThenReportedAsUnreachable() async throws {
        let transport = ScriptedTransport([.failure(HTTPTransportError.connectionRefused), .failure(HTTPTransportError.connectionRefused)])
        do {
            _ = try await makeClient(transport, policy: RetryPolicy(maxAttempts: 2)).send(operation: "GetAlias", method: "GET", path: "/x")
            XCTFail("expected an error")
        } catch let error as AWSPlatformError {
            guard case let .unreachable(_, _, _, detail, attempts) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(detail, "connection refused")
            XCTAssertEqual(attempts, 2)
            XCTAssertEqual(error.category, .failed)
        }
    }

    func testEveryAttempt_isSignedAndCarriesTheSessionTokenButNoErrorDoes() async throws {
        let transport = ScriptedTransport([ScriptedTransport.json(500, #"{"message":"boom"}"#), ScriptedTransport.json(400, #"{"message":"bad"}"#)])
        do {
            _ = try await makeClient(transport).send(operation: "GetAlias", method: "GET", path: "/x")
        } catch {
            let text = "\(error) \((error as? LocalizedError)?.errorDescription ?? "")"
            XCTAssertFalse(text.contains(Self.credentials.secretAccessKey))
            XCTAssertFalse(text.contains("token-secret"))
        }
        for request in transport.requests {
            XCTAssertTrue(request.headers["Authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") ?? false)
            XCTAssertEqual(request.headers["X-Amz-Security-Token"], "token-secret")
        }
    }

    func testQueryParameters_areEncodedOnce() async throws {
        let transport = ScriptedTransport([ScriptedTransport.json(200, "{}")])
        _ = try await makeClient(transport).send(operation: "Invoke", method: "POST", path: "/2015-03-31/functions/f/invocations", query: [("Qualifier", "a b")])
        XCTAssertEqual(transport.requests.first?.url.absoluteString, "http://127.0.0.1:1/2015-03-31/functions/f/invocations?Qualifier=a%20b")
    }

    func testUnansweredInvoke_isNotSentAgain_butAThrottledOneIs() async throws {
        let unanswered = ScriptedTransport([.failure(HTTPTransportError.timedOut), ScriptedTransport.json(200, "{}")])
        let lambda = LambdaClient(client: makeClient(unanswered))
        do {
            _ = try await lambda.invoke("f", qualifier: "live", payload: Data("{}".utf8))
            XCTFail("expected an error")
        } catch let error as AWSPlatformError {
            guard case .unreachable = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(unanswered.requests.count, 1, "the function may have run: not shift's to run again")

        let throttled = ScriptedTransport([
            ScriptedTransport.json(429, #"{"message":"Rate exceeded"}"#, headers: ["X-Amzn-ErrorType": "TooManyRequestsException"]),
            ScriptedTransport.json(200, "{}", headers: ["X-Amz-Executed-Version": "3"]),
        ])
        let result = try await LambdaClient(client: makeClient(throttled)).invoke("f", qualifier: "live", payload: Data("{}".utf8))
        XCTAssertEqual(result.executedVersion, "3")
        XCTAssertEqual(throttled.requests.count, 2)
    }
}

import Foundation
import ShiftCore

/// Sends signed requests to one AWS service, retrying throttling, 5xx and transport failures.
///
/// Each attempt is signed anew (SigV4 signatures carry the time) at the injected clock's time, so tests pin it.
/// A non-retryable error, or the last attempt's, becomes an `AWSPlatformError` carrying the service's error
/// code and message and the number of attempts. Secrets never reach an error: bodies are quoted only from
/// the service's answers, and credentials only enter the signer.
public struct AWSServiceClient: Sendable {
    public let service: AWSService
    public let endpoint: URL
    let signer: SigV4Signer
    let transport: any HTTPTransport
    let clock: any Clock
    let retryPolicy: RetryPolicy
    let retryLog: RetryLog?
    /// A number in [0, 1) for the backoff's jitter.
    let random: @Sendable () -> Double
    /// How long one attempt may wait for its answer.
    let requestTimeout: TimeInterval

    /// A client for `service` at `endpoint`.
    public init(
        service: AWSService, endpoint: URL, credentials: AWSCredentials, region: String,
        transport: any HTTPTransport = AsyncHTTPClientTransport(), clock: any Clock = SystemClock(),
        retryPolicy: RetryPolicy = .standard, retryLog: RetryLog? = nil,
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, requestTimeout: TimeInterval = 60
    ) {
        self.service = service
        self.endpoint = endpoint
        self.signer = SigV4Signer(credentials: credentials, region: region, service: service.signingName)
        self.transport = transport
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.retryLog = retryLog
        self.random = random
        self.requestTimeout = requestTimeout
    }

    /// Sends one call and returns the first 2xx response.
    /// - Parameters:
    ///   - operation: the API operation's name, for errors and the retry log (`UpdateAlias`).
    ///   - path: the percent-encoded path below the endpoint, starting with `/`.
    ///   - query: query parameters, encoded here.
    ///   - timeout: how long one attempt may wait for its answer; the client's default when nil.
    ///   - retriesUnanswered: whether a request that got no answer is sent again. False for calls that must not
    ///     run twice when the first may have been carried out (Invoke): only answered throttling and 5xx retry.
    /// - Throws: `AWSPlatformError.service` for an error answer, `.unreachable` when no answer came.
    public func send(
        operation: String, method: String, path: String, query: [(String, String)] = [],
        headers: [String: String] = [:], body: Data = Data(), timeout: TimeInterval? = nil, retriesUnanswered: Bool = true
    ) async throws -> HTTPResponse {
        let url = try makeURL(path: path, query: query)
        let started = clock.now
        var attempt = 1
        while true {
            let failure: (reason: String, error: AWSPlatformError)
            do {
                let request = HTTPRequest(
                    method: method, url: url,
                    headers: try signer.sign(method: method, url: url, headers: headers, body: body, date: clock.now),
                    body: body)
                // The whole call, retries included, stays within the policy's time: each attempt waits at most
                // what is left of it (a call with its own timeout, Invoke, is not retried unanswered).
                let left = retryPolicy.maxElapsed - clock.now.timeIntervalSince(started)
                let response = try await transport.send(request, timeout: timeout ?? max(1, min(requestTimeout, left)))
                if (200...299).contains(response.status) { return response }
                let (code, message) = service.wireProtocol.error(in: response)
                let error = AWSPlatformError.service(
                    service: service.name, operation: operation, status: response.status, code: code, message: message, attempts: attempt)
                guard RetryPolicy.isRetryable(status: response.status, code: code) else { throw error }
                failure = (code, error)
            } catch let error as AWSPlatformError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                let detail = Self.describeTransportError(error)
                let unreachable = AWSPlatformError.unreachable(
                    service: service.name, operation: operation, endpoint: CredentialsChain.withoutUserInfo(endpoint.absoluteString), detail: detail, attempts: attempt)
                guard retriesUnanswered else { throw unreachable }
                failure = (detail, unreachable)
            }
            let delay = retryPolicy.delay(beforeRetry: attempt, unit: random())
            let elapsed = clock.now.timeIntervalSince(started)
            guard attempt < retryPolicy.maxAttempts, elapsed + delay <= retryPolicy.maxElapsed else { throw failure.error }
            attempt += 1
            retryLog?.append(RetryRecord(service: service.name, operation: operation, attempt: attempt, reason: failure.reason, delay: delay))
            try await clock.sleep(for: delay)
        }
    }

    /// Sends one call and decodes its JSON answer.
    /// - Throws: as `send`, and `AWSPlatformError.malformedResponse` when the body does not decode.
    public func sendJSON<Response: Decodable>(
        _ type: Response.Type, operation: String, method: String, path: String, query: [(String, String)] = [],
        headers: [String: String] = [:], body: Data = Data(), retriesUnanswered: Bool = true
    ) async throws -> Response {
        let response = try await send(operation: operation, method: method, path: path, query: query, headers: headers, body: body, retriesUnanswered: retriesUnanswered)
        return try decode(type, from: response.body, operation: operation)
    }

    /// Sends one call of a JSON-protocol service (`POST /` with the operation in `X-Amz-Target`) and decodes its
    /// JSON answer.
    /// - Throws: as `sendJSON`.
    public func call<Response: Decodable>(
        _ type: Response.Type, operation: String, body: [String: Any], retriesUnanswered: Bool = true
    ) async throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return try await sendJSON(
            type, operation: operation, method: "POST", path: "/", headers: service.wireProtocol.headers(for: operation), body: data,
            retriesUnanswered: retriesUnanswered)
    }

    /// Decodes a JSON answer of `operation`.
    /// - Throws: `AWSPlatformError.malformedResponse`.
    public func decode<Response: Decodable>(_ type: Response.Type, from data: Data, operation: String) throws -> Response {
        try Self.decode(type, from: data, service: service.name, operation: operation)
    }

    /// Decodes a JSON answer of `service`'s `operation`.
    /// - Throws: `AWSPlatformError.malformedResponse`.
    static func decode<Response: Decodable>(_ type: Response.Type, from data: Data, service: String, operation: String) throws -> Response {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw AWSPlatformError.malformedResponse(service: service, operation: operation, detail: "\(error)".prefix(300).description)
        }
    }

    private func makeURL(path: String, query: [(String, String)]) throws -> URL {
        var base = endpoint.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var text = base + path
        if !query.isEmpty {
            text += "?" + query.map { "\(SigV4Signer.uriEncode($0.0))=\(SigV4Signer.uriEncode($0.1))" }.joined(separator: "&")
        }
        guard let url = URL(string: text) else { throw AWSPlatformError.unsignableURL(url: text) }
        return url
    }

    /// A transport failure in a few words, without the URL's user info.
    static func describeTransportError(_ error: Error) -> String {
        (error as? HTTPTransportError)?.reason ?? String(describing: type(of: error))
    }
}

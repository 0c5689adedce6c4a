import Foundation

/// One HTTP request as shift's AWS clients build it: everything SigV4 signs, nothing else.
public struct HTTPRequest: Sendable, Equatable {
    /// `GET`, `POST`, `PUT` or `DELETE`.
    public var method: String
    /// The full URL, query included.
    public var url: URL
    /// Header names as given; the transport adds `Host` and `Content-Length`.
    public var headers: [String: String]
    /// The body; empty for `GET` and `DELETE`.
    public var body: Data

    /// A request with the given parts.
    public init(method: String, url: URL, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// One HTTP response: status, headers (names lowercased) and body.
public struct HTTPResponse: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// Header names lowercased, as HTTP treats them case-insensitively.
    public var headers: [String: String]
    /// The raw body.
    public var body: Data

    /// A response with the given parts; header names are lowercased here.
    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        self.body = body
    }

    /// A header's value by case-insensitive name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Sends one HTTP request and returns the response, whatever its status.
///
/// The AWS clients sign and retry above this protocol, so tests substitute a stub that answers from a script
/// (429 first, then 200) without a server.
public protocol HTTPTransport: Sendable {
    /// Sends `request`; any status, 5xx included, is a response, not an error.
    /// - Throws: when no response arrived (connection refused, reset, timed out).
    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The real transport: swift-server/async-http-client on SwiftNIO.
///
/// A request waiting for its answer (an Invoke of a hook that runs for minutes) waits in `epoll` on the event
/// loop's thread: no polling, no CPU. Every transport of the process uses ``SharedHTTPClient`` unless given a
/// client, so connections are pooled across clients and accounts.
public struct AsyncHTTPClientTransport: HTTPTransport {
    /// The client for a request's URL.
    private let client: @Sendable (URL) -> HTTPClient

    /// The most body bytes accepted in an answer: Lambda's synchronous Invoke answers at most 6 MB, GetFunction
    /// and the list calls far less.
    public static let maximumResponseBytes = 32 << 20

    /// A transport on the process's ``SharedHTTPClient``s, created at the first request, connecting through the
    /// proxy `proxies` name for each request's URL (by default, directly).
    public init(proxies: ProxySettings = .direct) {
        self.client = { url in SharedHTTPClient.client(proxy: proxies.server(for: url)) }
    }

    /// A transport on `client`, which its owner shuts down.
    public init(client: HTTPClient) {
        self.client = { _ in client }
    }

    public func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) {
            outgoing.headers.add(name: name, value: value)
        }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let client = client(request.url)
        let deadline = NIODeadline.now() + .nanoseconds(Int64(max(0, timeout) * 1e9))
        do {
            let response = try await client.execute(outgoing, deadline: deadline)
            // The deadline above ends at the answer's head; the body must come before it too.
            let body = try await Self.collect(response.body, before: deadline)
            var headers: [String: String] = [:]
            for (name, value) in response.headers {
                // Repeated headers fold as HTTP allows (RFC 9110, 5.3).
                headers[name.lowercased()] = headers[name.lowercased()].map { "\($0), \(value)" } ?? value
            }
            return HTTPResponse(status: Int(response.status.code), headers: headers, body: Data(body.readableBytesView))
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as HTTPTransportError {
            throw error
        } catch {
            throw Self.transportError(error)
        }
    }

    /// The whole body, or `HTTPTransportError.timedOut` when it is not complete by `deadline`.
    private static func collect(_ body: HTTPClientResponse.Body, before deadline: NIODeadline) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask {
                do {
                    return try await body.collect(upTo: maximumResponseBytes)
                } catch is NIOTooManyBytesError {
                    throw HTTPTransportError.responseTooLarge(limit: maximumResponseBytes)
                }
            }
            group.addTask {
                // A timer, not a polling thread; cancelled (and so ended at once) when the body comes first.
                try await Task.sleep(nanoseconds: UInt64(max(0, (deadline - .now()).nanoseconds)))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let body = first else { throw HTTPTransportError.timedOut }
            return body
        }
    }

    /// SwiftNIO's and async-http-client's failures in the words of ``HTTPTransportError``.
    static func transportError(_ error: any Error) -> HTTPTransportError {
        if let error = error as? HTTPClientError {
            if [.deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout].contains(error) { return .timedOut }
            if [.remoteConnectionClosed, .cancelled].contains(error) { return .connectionLost }
            return .other(error.description)
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil && error.dnsAAAAError != nil && error.connectionErrors.isEmpty { return .hostNotFound }
            if let first = error.connectionErrors.first?.error { return transportError(first) }
            return .hostNotFound
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return .connectionRefused
            case ETIMEDOUT: return .timedOut
            case ECONNRESET, EPIPE: return .connectionLost
            default: return .other("I/O error \(error.errnoCode)")
            }
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout: return .timedOut
            case .eof, .ioOnClosedChannel, .alreadyClosed: return .connectionLost
            default: return .other("channel error")
            }
        }
        if error is SocketAddressError { return .hostNotFound }
        return .other(String(describing: type(of: error)))
    }
}

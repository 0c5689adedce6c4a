import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// The `HTTPClient` of the process (one per proxy it uses: async-http-client sets a proxy per client), created at its
/// first AWS call and shut down once before the process exits.
///
/// One client means one connection pool and one event loop thread for every AWS client of the process (Lambda,
/// CloudWatch and SSM of every account); an `HTTPClient` that is released without `shutdown()` traps, so its
/// lifetime is the process's, ended by ``shutdown()`` (which the executable calls on every way out). Commands that
/// never call AWS never create it: no thread, no pool.
public enum SharedHTTPClient {
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        /// By proxy; nil: direct.
        var clients: [ProxySettings.Server?: HTTPClient] = [:]
    }

    private static let state = State()

    /// How the shared client connects: redirects are not followed (a signed AWS request is for one host); a
    /// connection that is refused or not made within 10 s fails the attempt at once, and the caller's
    /// ``RetryPolicy`` decides about another (async-http-client would otherwise retry it until the deadline).
    static func configuration(proxy: ProxySettings.Server?) -> HTTPClient.Configuration {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(30))
        pool.retryConnectionEstablishment = false
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)), connectionPool: pool, decompression: .disabled)
        if let proxy {
            let authorization = proxy.credentials.map { HTTPClient.Authorization.basic(credentials: Data($0.utf8).base64EncodedString()) }
            configuration.proxy = HTTPClient.Configuration.Proxy.server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        return configuration
    }

    /// The shared client that connects through `proxy` (nil: directly), created on first use on a one-thread event
    /// loop group.
    public static func client(proxy: ProxySettings.Server? = nil) -> HTTPClient {
        state.lock.withLock {
            if let client = state.clients[proxy] { return client }
            // One thread is plenty for a command line tool's few connections; NIO's singleton group would start one
            // per core.
            let client = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration(proxy: proxy))
            state.clients[proxy] = client
            return client
        }
    }

    /// Whether a shared client exists now (created and not yet shut down).
    public static var isRunning: Bool { state.lock.withLock { !state.clients.isEmpty } }

    /// The event loop group the shared clients run on; it lives as long as the process.
    private static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Shuts the shared clients down, closing their connections; does nothing when no AWS call was made. A call
    /// after it creates a new client, which the next `shutdown()` closes.
    public static func shutdown() async {
        let clients: [HTTPClient] = state.lock.withLock {
            defer { state.clients = [:] }
            return Array(state.clients.values)
        }
        // A failed shutdown leaves nothing to do for a process about to exit.
        for client in clients { try? await client.shutdown() }
    }
}

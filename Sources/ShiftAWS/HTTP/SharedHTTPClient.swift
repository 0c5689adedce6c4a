import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// The one `HTTPClient` of the process, created at its first AWS call and shut down once before the process exits.
///
/// One client means one connection pool and one event loop thread for every AWS client of the process (Lambda,
/// CloudWatch and SSM of every account); an `HTTPClient` that is released without `shutdown()` traps, so its
/// lifetime is the process's, ended by ``shutdown()`` (which the executable calls on every way out). Commands that
/// never call AWS never create it: no thread, no pool.
public enum SharedHTTPClient {
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var client: HTTPClient?
    }

    private static let state = State()

    /// How the shared client connects: redirects are not followed (a signed AWS request is for one host); a
    /// connection that is refused or not made within 10 s fails the attempt at once, and the caller's
    /// ``RetryPolicy`` decides about another (async-http-client would otherwise retry it until the deadline).
    static let configuration: HTTPClient.Configuration = {
        var pool = HTTPClient.Configuration.ConnectionPool(idleTimeout: .seconds(30))
        pool.retryConnectionEstablishment = false
        return HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10)), connectionPool: pool, decompression: .disabled)
    }()

    /// The shared client, created on first use on a one-thread event loop group.
    public static func client() -> HTTPClient {
        state.lock.withLock {
            if let client = state.client { return client }
            // One thread is plenty for a command line tool's few connections; NIO's singleton group would start one
            // per core.
            let client = HTTPClient(eventLoopGroupProvider: .shared(eventLoopGroup), configuration: configuration)
            state.client = client
            return client
        }
    }

    /// Whether the shared client exists now (created and not yet shut down).
    public static var isRunning: Bool { state.lock.withLock { state.client != nil } }

    /// The event loop group the shared client runs on; it lives as long as the process.
    private static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// Shuts the shared client down, closing its connections; does nothing when no AWS call was made. A call
    /// after it creates a new client, which the next `shutdown()` closes.
    public static func shutdown() async {
        let client: HTTPClient? = state.lock.withLock {
            defer { state.client = nil }
            return state.client
        }
        // A failed shutdown leaves nothing to do for a process about to exit.
        try? await client?.shutdown()
    }
}

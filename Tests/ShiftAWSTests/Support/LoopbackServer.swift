import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-connection HTTP server on a loopback port, on raw sockets so that it shares nothing with the transport
/// under test: it accepts one connection, reads one request, waits `delay`, then writes `response` as given (or
/// never answers when `response` is nil).
final class LoopbackServer: @unchecked Sendable {
    let port: UInt16
    private let socket: Int32
    private let lock = NSLock()
    private var received = Data()
    private let done = DispatchSemaphore(value: 0)

    /// Starts listening; the request is served on a thread of its own.
    init(response: String?, delay: TimeInterval = 0) throws {
        socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        port = try Self.bindToLoopback(socket)
        guard listen(socket, 4) == 0 else { throw POSIXError(.EADDRNOTAVAIL) }
        let listener = socket
        Thread.detachNewThread { [self] in
            defer { done.signal() }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            defer { close(connection) }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while !isComplete() {
                let count = read(connection, &buffer, buffer.count)
                guard count > 0 else { return }
                lock.withLock { received.append(contentsOf: buffer[0..<count]) }
            }
            Thread.sleep(forTimeInterval: delay)
            guard let response else {
                // Holds the connection open without answering until the client gives up.
                while read(connection, &buffer, buffer.count) > 0 {}
                return
            }
            _ = Array(response.utf8).withUnsafeBytes { write(connection, $0.baseAddress, $0.count) }
        }
    }

    deinit { close(socket) }

    /// A loopback port nothing listens on: bound for a moment, never listened on, closed.
    static func unusedPort() throws -> UInt16 {
        let probe = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(probe) }
        return try bindToLoopback(probe)
    }

    /// Binds `socket` to a free port of 127.0.0.1 and returns the port.
    private static func bindToLoopback(_ socket: Int32) throws -> UInt16 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw POSIXError(.EADDRNOTAVAIL) }
        return UInt16(bigEndian: address.sin_port)
    }

    /// The request's bytes as received.
    var request: String { lock.withLock { String(decoding: received, as: UTF8.self) } }

    /// Waits until the connection was served (or closed by the client), at most `timeout`.
    func waitUntilServed(timeout: TimeInterval = 10) -> Bool { done.wait(timeout: .now() + timeout) == .success }

    private func isComplete() -> Bool {
        let text = request
        guard let headerEnd = text.range(of: "\r\n\r\n") else { return false }
        let length = text[..<headerEnd.lowerBound].split(separator: "\r\n")
            .first { $0.lowercased().hasPrefix("content-length:") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
        return text.utf8.count - text[..<headerEnd.upperBound].utf8.count >= length
    }
}

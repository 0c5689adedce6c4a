import Foundation
import ShiftAWS
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real transport against a raw-socket server on a loopback port: what goes on the wire, what comes back, and
/// what a wait costs.
final class AsyncHTTPClientTransportTests: XCTestCase {
    let transport = AsyncHTTPClientTransport()

    func testSend_carriesMethodHeadersAndBody_andReturnsStatusHeadersAndBody() async throws {
        let server = try LoopbackServer(response: "HTTP/1.1 404 Not Found\r\nX-Amzn-ErrorType: ResourceNotFoundException\r\nVary: a\r\nVary: b\r\nContent-Length: 12\r\nConnection: close\r\n\r\n{\"Type\":\"x\"}")
        let request = HTTPRequest(
            method: "PUT", url: URL(string: "http://127.0.0.1:\(server.port)/2015-03-31/functions/f/aliases/live?Qualifier=a%20b")!,
            headers: ["Content-Type": "application/json", "X-Amz-Date": "20260102T030405Z"], body: Data(#"{"FunctionVersion":"2"}"#.utf8))
        let started = Date()
        let response = try await transport.send(request, timeout: 30)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "an answer ends the wait, not the attempt's time")
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.header("x-amzn-errortype"), "ResourceNotFoundException")
        XCTAssertEqual(response.header("Vary"), "a, b", "repeated headers fold into one")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), #"{"Type":"x"}"#)
        XCTAssertTrue(server.waitUntilServed())
        let sent = server.request
        XCTAssertTrue(sent.hasPrefix("PUT /2015-03-31/functions/f/aliases/live?Qualifier=a%20b HTTP/1.1\r\n"), sent)
        XCTAssertTrue(sent.lowercased().contains("\r\nhost: 127.0.0.1:\(server.port)\r\n"), "SigV4 signs the host with its port: \(sent)")
        XCTAssertTrue(sent.contains("\r\nX-Amz-Date: 20260102T030405Z\r\n"), sent)
        XCTAssertTrue(sent.hasSuffix("\r\n\r\n{\"FunctionVersion\":\"2\"}"), sent)
    }

    func testSend_whenTheAnswerIsLate_timesOutWithoutBurningCPU() async throws {
        let server = try LoopbackServer(response: nil)
        let request = HTTPRequest(method: "POST", url: URL(string: "http://127.0.0.1:\(server.port)/2015-03-31/functions/f/invocations")!, body: Data("{}".utf8))
        let cpuBefore = Self.processCPUSeconds()
        let started = Date()
        do {
            _ = try await transport.send(request, timeout: 2)
            XCTFail("expected a timeout")
        } catch {
            XCTAssertEqual(error as? HTTPTransportError, .timedOut)
        }
        let wall = Date().timeIntervalSince(started)
        let cpu = Self.processCPUSeconds() - cpuBefore
        XCTAssertGreaterThanOrEqual(wall, 1.9)
        XCTAssertLessThan(wall, 8, "the attempt's time bounds the wait")
        // URLSession on Linux (libcurl) spent about 70 % of a core while waiting; an event loop in epoll, nothing.
        XCTAssertLessThan(cpu / wall, 0.1, "CPU \(cpu) s over \(wall) s of waiting")
    }

    func testSend_whenNothingListens_isConnectionRefused() async throws {
        let port = try LoopbackServer.unusedPort()
        let request = HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(port)/")!)
        let started = Date()
        do {
            _ = try await transport.send(request, timeout: 30)
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error as? HTTPTransportError, .connectionRefused)
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 3, "a refusal fails the attempt at once; the retry policy decides what next")
    }

    func testSharedClient_isCreatedByTheFirstRequest_andShutDownOnce_andAnotherRequestStartsItAgain() async throws {
        await SharedHTTPClient.shutdown()
        XCTAssertFalse(SharedHTTPClient.isRunning)
        let first = try LoopbackServer(response: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
        _ = try await transport.send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(first.port)/")!), timeout: 10)
        XCTAssertTrue(SharedHTTPClient.isRunning)
        await SharedHTTPClient.shutdown()
        XCTAssertFalse(SharedHTTPClient.isRunning)
        await SharedHTTPClient.shutdown()
        let second = try LoopbackServer(response: "HTTP/1.1 204 No Content\r\n\r\n")
        let response = try await transport.send(HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:\(second.port)/")!), timeout: 10)
        XCTAssertEqual(response.status, 204)
    }

    /// User plus system CPU seconds of this process so far.
    static func processCPUSeconds() -> Double {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }
}

import Foundation
import ShiftAWS
import ShiftCore

/// A transport that answers from a script, one entry per request, and records every request it got.
final class ScriptedTransport: HTTPTransport, @unchecked Sendable {
    enum Answer {
        case response(HTTPResponse)
        case failure(Error)
    }

    private let lock = NSLock()
    private var answers: [Answer]
    private var received: [HTTPRequest] = []

    init(_ answers: [Answer]) {
        self.answers = answers
    }

    var requests: [HTTPRequest] { lock.withLock { received } }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        let answer: Answer = lock.withLock {
            received.append(request)
            return answers.isEmpty ? .response(HTTPResponse(status: 599, body: Data("script exhausted".utf8))) : answers.removeFirst()
        }
        switch answer {
        case let .response(response): return response
        case let .failure(error): throw error
        }
    }

    static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Answer {
        .response(HTTPResponse(status: status, headers: headers.merging(["Content-Type": "application/json"]) { a, _ in a }, body: Data(body.utf8)))
    }
}

/// A clock whose sleeps return at once, moving its time forward by what was asked: retries with backoff run
/// instantly, and the total waited is exact.
final class InstantClock: ShiftCore.Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    private(set) var slept: [TimeInterval] = []

    init(now: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = now
    }

    var now: Date { lock.withLock { current } }

    func sleep(until deadline: Date) async throws {
        lock.withLock {
            // Dates keep about 0.1 µs at this epoch; round so tests compare what was asked.
            slept.append((max(0, deadline.timeIntervalSince(current)) * 1_000).rounded() / 1_000)
            current = max(current, deadline)
        }
    }
}

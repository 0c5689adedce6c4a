import XCTest

/// `XCTAssertThrowsError` for async expressions: fails when `expression` returns, hands the error to `handler`.
public func XCTAssertThrowsAsync<T>(_ expression: @autoclosure () async throws -> T, _ message: String = "", file: StaticString = #filePath, line: UInt = #line,
                                    _ handler: (Error) -> Void = { _ in }) async {
    do {
        _ = try await expression()
        XCTFail("expected an error\(message.isEmpty ? "" : ": \(message)")", file: file, line: line)
    } catch {
        handler(error)
    }
}

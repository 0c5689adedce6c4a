import Foundation
import ShiftTestSupport
import XCTest

/// Lambda's response shapes from botocore's service model, as committed in `Fixtures/lambda-shapes.json`
/// (regenerate with `Fixtures/extract-lambda-shapes.py`).
enum LambdaShapes {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ShiftIntegrationTests
        .appendingPathComponent("Fixtures/lambda-shapes.json")

    /// The shape `name` of Lambda's model.
    static func shape(_ name: String) throws -> ServiceModelShape {
        try ServiceModelShape(name, inModelAt: fixture)
    }

    /// Whether `text` is in Lambda's `LastModified` format, e.g. `2026-12-01T22:03:09.123+0000`.
    static func isLastModified(_ text: String?) -> Bool {
        text?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000/) != nil
    }
}

extension ShiftIntegrationTestCase {
    /// Fails unless `result` exited `exitCode` and printed JSON of Lambda's shape `shape` (only "Shift" added).
    @discardableResult
    func assertLambdaShape(_ result: ProcessResult, _ shape: String, exitCode: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(result.exitCode, exitCode, "\(result)", file: file, line: line)
        let violations = try LambdaShapes.shape(shape).violations(in: result.standardOutput)
        XCTAssertEqual(violations, [], "\(shape) per \(LambdaShapes.fixture.lastPathComponent):\n\(result.stdout)", file: file, line: line)
        return try result.jsonObject()
    }
}

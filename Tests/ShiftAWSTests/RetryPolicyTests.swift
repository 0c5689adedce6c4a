import ShiftAWS
import XCTest

final class RetryPolicyTests: XCTestCase {
    func testThrottlingAnd5xx_areRetryable_otherClientErrorsAreNot() {
        XCTAssertTrue(RetryPolicy.isRetryable(status: 429, code: nil))
        XCTAssertTrue(RetryPolicy.isRetryable(status: 503, code: nil))
        XCTAssertTrue(RetryPolicy.isRetryable(status: 400, code: "ThrottlingException"))
        XCTAssertTrue(RetryPolicy.isRetryable(status: 400, code: "Throttling"))
        XCTAssertFalse(RetryPolicy.isRetryable(status: 400, code: "ValidationException"))
        XCTAssertFalse(RetryPolicy.isRetryable(status: 404, code: "ResourceNotFoundException"))
        XCTAssertFalse(RetryPolicy.isRetryable(status: 412, code: "PreconditionFailedException"))
    }

    func testBackoffCeiling_doublesUpToTheCap_andJitterScalesIt() {
        let policy = RetryPolicy(maxAttempts: 8, baseDelay: 0.2, maxDelay: 1, maxElapsed: 30)
        XCTAssertEqual((1...5).map { policy.delay(beforeRetry: $0, unit: 1) }, [0.2, 0.4, 0.8, 1, 1])
        XCTAssertEqual(policy.delay(beforeRetry: 2, unit: 0.25), 0.1)
        XCTAssertEqual(policy.delay(beforeRetry: 3, unit: 0), 0)
    }
}

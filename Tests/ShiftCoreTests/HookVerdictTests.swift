import Foundation
import ShiftCore
import XCTest

/// A hook passes when its invocation succeeds and its response does not say `"status": "Failed"` (DESIGN.md section 3).
final class HookVerdictTests: XCTestCase {
    private func result(_ payload: String, functionError: String? = nil, logTail: String = "") -> InvocationResult {
        InvocationResult(executedVersion: "3", payload: Data(payload.utf8), functionError: functionError, duration: 0.2, logTail: logTail)
    }

    func testSucceededInvocation_withoutStatus_passes() {
        XCTAssertEqual(HookVerdict.judge(result(#"{"checked": 12}"#)), .passed)
    }

    func testStatusSucceeded_passes() {
        XCTAssertEqual(HookVerdict.judge(result(#"{"status": "Succeeded"}"#)), .passed)
    }

    func testResponseThatIsNotAJSONObject_passes() {
        XCTAssertEqual(HookVerdict.judge(result("")), .passed)
        XCTAssertEqual(HookVerdict.judge(result("all good")), .passed)
        XCTAssertEqual(HookVerdict.judge(result(#"["Failed"]"#)), .passed)
        XCTAssertEqual(HookVerdict.judge(result(#""Failed""#)), .passed)
    }

    func testStatusFailed_fails() {
        XCTAssertEqual(HookVerdict.judge(result(#"{"status": "Failed"}"#)), .failed(#"its response says "status": "Failed""#))
    }

    func testStatusFailed_anyCase_fails() {
        for payload in [#"{"Status": "Failed"}"#, #"{"STATUS": "failed"}"#, #"{"status": "FAILED"}"#] {
            guard case .failed = HookVerdict.judge(result(payload)) else { return XCTFail("\(payload) passed") }
        }
    }

    func testStatusFailed_withReason_namesTheReason() {
        XCTAssertEqual(HookVerdict.judge(result(#"{"status": "Failed", "reason": "smoke test 3 returned 500"}"#)),
                       .failed(#"its response says "status": "Failed": smoke test 3 returned 500"#))
    }

    func testStatusThatIsNotAString_passes() {
        XCTAssertEqual(HookVerdict.judge(result(#"{"status": 0}"#)), .passed)
    }

    func testFunctionError_fails_withTheLastLogLine() {
        let verdict = HookVerdict.judge(result(#"{"status": "Succeeded"}"#, functionError: "Unhandled", logTail: "starting\nTypeError: x is undefined\n"))
        XCTAssertEqual(verdict, .failed("Unhandled (TypeError: x is undefined)"))
    }

    func testFunctionError_withoutLog_failsWithTheErrorAlone() {
        XCTAssertEqual(HookVerdict.judge(result("", functionError: "Timeout")), .failed("Timeout"))
    }

    func testHookEvent_carriesCodeDeploysFieldsAndBothVersions() throws {
        let request = DeploymentRequest(functionName: "orders", alias: "live", targetVersion: 3, preference: try DeploymentPreference.named("AllAtOnce"))
        let deployment = Deployment(id: "d-ABCDEFGHI", request: request, originalVersion: 2, createdAt: Date(timeIntervalSince1970: 0), aliasRevisionId: "r1")
        let event = HookEvent(deployment: deployment, executionID: "e-1", hook: .postTraffic)

        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: JSONEncoder().encode(event)) as? [String: String])
        XCTAssertEqual(object, [
            "DeploymentId": "d-ABCDEFGHI", "LifecycleEventHookExecutionId": "e-1", "FunctionName": "orders", "Alias": "live",
            "CurrentVersion": "2", "TargetVersion": "3", "LifecycleEvent": "PostTraffic",
        ])
    }
}

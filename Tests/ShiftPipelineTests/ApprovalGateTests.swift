import ShiftPipeline
import XCTest

final class ApprovalGateTests: XCTestCase {
    let opened = Date(timeIntervalSince1970: 1_800_000_000)
    let gate = ApprovalStage(approvers: ["alice", "bob"], instructions: "check staging", timeout: 600)

    private func decision(_ approved: Bool, after seconds: TimeInterval) -> ApprovalDecision {
        ApprovalDecision(approved: approved, by: "alice", comment: "why", decidedAt: opened.addingTimeInterval(seconds))
    }

    func testNoDecisionBeforeDeadline_isPendingUntilTheDeadline() {
        XCTAssertEqual(ApprovalGate.evaluate(gate, openedAt: opened, decision: nil, now: opened.addingTimeInterval(599)), .pending(deadline: opened.addingTimeInterval(600)))
    }

    func testNoDecisionAtTheDeadline_timesOut() {
        XCTAssertEqual(ApprovalGate.evaluate(gate, openedAt: opened, decision: nil, now: opened.addingTimeInterval(600)), .timedOut(deadline: opened.addingTimeInterval(600)))
    }

    func testDecisionBeforeDeadline_countsEvenWhenReadAfterIt() {
        let approval = decision(true, after: 300)
        XCTAssertEqual(ApprovalGate.evaluate(gate, openedAt: opened, decision: approval, now: opened.addingTimeInterval(10_000)), .approved(approval))
        let rejection = decision(false, after: 300)
        XCTAssertEqual(ApprovalGate.evaluate(gate, openedAt: opened, decision: rejection, now: opened.addingTimeInterval(301)), .rejected(rejection))
    }

    func testDecisionAfterDeadline_doesNotCount() {
        XCTAssertEqual(ApprovalGate.evaluate(gate, openedAt: opened, decision: decision(true, after: 601), now: opened.addingTimeInterval(700)), .timedOut(deadline: opened.addingTimeInterval(600)))
    }

    func testDefaultTimeout_isSevenDays() {
        XCTAssertEqual(ApprovalGate.deadline(of: ApprovalStage(), openedAt: opened), opened.addingTimeInterval(7 * 86_400))
    }

    func testApproverNotOnTheList_isRefused_andOneOnItIsAccepted() {
        XCTAssertThrowsError(try ApprovalGate.check(approver: "mallory", comment: nil, approving: true, stage: gate, run: "p-1", stageName: "gate")) { error in
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("approvers: alice, bob") == true, "\(error)")
        }
        XCTAssertNoThrow(try ApprovalGate.check(approver: "bob", comment: nil, approving: true, stage: gate, run: "p-1", stageName: "gate"))
    }

    func testEmptyApproverList_letsAnyoneDecide() {
        XCTAssertNoThrow(try ApprovalGate.check(approver: "anyone", comment: nil, approving: true, stage: ApprovalStage(), run: "p-1", stageName: "gate"))
    }

    func testCommentOf513Characters_isRefused_512IsAccepted() {
        XCTAssertNoThrow(try ApprovalGate.check(approver: "alice", comment: String(repeating: "x", count: 512), approving: true, stage: gate, run: "p-1", stageName: "gate"))
        XCTAssertThrowsError(try ApprovalGate.check(approver: "alice", comment: String(repeating: "x", count: 513), approving: true, stage: gate, run: "p-1", stageName: "gate"))
    }

    func testRejectionWithoutComment_isRefused() {
        XCTAssertThrowsError(try ApprovalGate.check(approver: "alice", comment: "  ", approving: false, stage: gate, run: "p-1", stageName: "gate"))
    }
}

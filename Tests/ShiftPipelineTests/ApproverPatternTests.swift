import Foundation
import ShiftPipeline
import XCTest

/// Approvers as IAM ARNs or ARN patterns: how they match a verified identity, how the gate uses them, and how the
/// parser reports a malformed one at its line and column.
final class ApproverPatternTests: XCTestCase {
    private let role = "arn:aws:sts::123456789012:assumed-role/Releasers/alice"

    func testMatches_literalARN_onlyItself() {
        XCTAssertTrue(ApproverPattern.matches("arn:aws:iam::123456789012:user/alice", identity: "arn:aws:iam::123456789012:user/alice"))
        XCTAssertFalse(ApproverPattern.matches("arn:aws:iam::123456789012:user/alice", identity: "arn:aws:iam::123456789012:user/alicex"))
        XCTAssertFalse(ApproverPattern.matches("arn:aws:iam::123456789012:user/alice", identity: "arn:aws:iam::123456789012:user/Alice"), "case-sensitive")
    }

    func testMatches_star_anyRunIncludingSlashes_questionMark_oneCharacter() {
        XCTAssertTrue(ApproverPattern.matches("arn:aws:sts::123456789012:assumed-role/Releasers/*", identity: role))
        XCTAssertFalse(ApproverPattern.matches("arn:aws:sts::123456789012:assumed-role/Releasers/*", identity: "arn:aws:sts::123456789012:assumed-role/Developers/alice"))
        XCTAssertFalse(ApproverPattern.matches("arn:aws:sts::123456789012:assumed-role/Releasers/*", identity: "arn:aws:sts::999999999999:assumed-role/Releasers/alice"))
        XCTAssertTrue(ApproverPattern.matches("arn:aws:sts::*:assumed-role/*/alice", identity: role))
        XCTAssertTrue(ApproverPattern.matches("arn:aws:sts::12345678901?:assumed-role/Releasers/alic?", identity: role))
        XCTAssertFalse(ApproverPattern.matches("arn:aws:sts::12345678901?:assumed-role/Releasers/alic?", identity: role + "e"))
        XCTAssertTrue(ApproverPattern.matches("*", identity: role))
        XCTAssertTrue(ApproverPattern.matches("arn:*/alice", identity: role))
        XCTAssertFalse(ApproverPattern.matches("arn:*:alice", identity: role), "the literal ':' before alice is not there")
        XCTAssertFalse(ApproverPattern.matches("arn:*/bob", identity: role))
    }

    func testProblem_namesWhatIsWrongWithAnARN() {
        XCTAssertNil(ApproverPattern.problem(with: "arn:aws:iam::123456789012:user/alice"))
        XCTAssertNil(ApproverPattern.problem(with: "arn:aws:sts::123456789012:assumed-role/Releasers/*"))
        XCTAssertTrue(ApproverPattern.problem(with: "arn:aws:iam::123456789012")?.contains("has 5 ':'-separated parts") == true)
        XCTAssertTrue(ApproverPattern.problem(with: "arn:aws:s3::123456789012:bucket")?.contains("service 's3'") == true)
        XCTAssertTrue(ApproverPattern.problem(with: "arn:aws:iam:eu-west-1:123456789012:user/a")?.contains("region 'eu-west-1'") == true)
        XCTAssertTrue(ApproverPattern.problem(with: "arn:aws:iam::1234:user/a")?.contains("account '1234'") == true)
        XCTAssertTrue(ApproverPattern.problem(with: "arn:aws:iam::123456789012:")?.contains("no resource") == true)
    }

    func testGate_withARNApprovers_refusesATypedNameWithoutIdentity_andAnIdentityNotListed() {
        let stage = ApprovalStage(approvers: ["arn:aws:sts::123456789012:assumed-role/Releasers/*"], timeout: 600)
        XCTAssertThrowsError(try ApprovalGate.check(approver: "alice", identity: nil, comment: nil, approving: true, stage: stage, run: "p-1", stageName: "gate"))
        XCTAssertThrowsError(try ApprovalGate.check(approver: "alice", identity: "arn:aws:iam::123456789012:user/alice", comment: nil, approving: true, stage: stage, run: "p-1", stageName: "gate"))
        XCTAssertNoThrow(try ApprovalGate.check(approver: "whoever", identity: role, comment: nil, approving: true, stage: stage, run: "p-1", stageName: "gate"))
    }

    func testGate_withNameApprovers_stillChecksTheName_andRecordsNoClaimAboutIdentity() {
        let stage = ApprovalStage(approvers: ["alice"], timeout: 600)
        XCTAssertNoThrow(try ApprovalGate.check(approver: "alice", identity: role, comment: nil, approving: true, stage: stage, run: "p-1", stageName: "gate"))
        XCTAssertThrowsError(try ApprovalGate.check(approver: "bob", identity: role, comment: nil, approving: true, stage: stage, run: "p-1", stageName: "gate"))
    }

    // MARK: The parser

    private func issues(_ approvers: String) -> [FileIssue] {
        let text = """
            name: shop
            accounts: {dev: {platform: local}}
            source: {directory: .}
            stages:
              - name: gate
                type: approval
                approvers:
            \(approvers)
            """
        return PipelineParser.parse(text, file: "p.yml").issues
    }

    func testParser_acceptsARNsAndPatterns() {
        XCTAssertEqual(issues("      - arn:aws:iam::123456789012:user/alice\n      - 'arn:aws:sts::123456789012:assumed-role/Releasers/*'"), [])
    }

    func testParser_reportsAMalformedARN_atItsLineAndColumn() {
        let found = issues("      - arn:aws:iam::123456789012:user/alice\n      - arn:aws:iam::12345:user/bob")
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?.line, 9)
        XCTAssertEqual(found.first?.column, 9)
        XCTAssertEqual(found.first?.field, "stages[0].approvers[1]")
        XCTAssertTrue(found.first?.message.contains("account '12345'; expected 12 digits") == true, found.first?.message ?? "")
    }

    func testParser_refusesNamesMixedWithARNs() {
        let found = issues("      - alice\n      - arn:aws:iam::123456789012:user/bob")
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?.field, "stages[0].approvers")
        XCTAssertTrue(found.first?.message.contains("mixes names ('alice') and IAM ARNs") == true, found.first?.message ?? "")
    }
}

import Foundation
import ShiftAWS
import ShiftCore
import ShiftPipeline
import ShiftPlatforms
import ShiftTestSupport
import XCTest

final class LocalPipelineAccountsTests: XCTestCase {
    func testAWSDeployTarget_judgesAnalyses_whetherItsStateIsSharedOrNot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("shift-pipeline-accounts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let accounts = LocalPipelineAccounts(root: root, clock: ManualClock(),
                                             environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_REGION": "eu-west-1"])
        let shared = try SharedStateLocation(parsing: "s3://team-state/prod")
        for state in [nil, shared] {
            let account = PipelineAccount(name: "prod", platform: .aws, endpoint: "http://127.0.0.1:1", state: state)
            let target = try XCTUnwrap(try accounts.target(for: account, stage: "ship") as? AWSDeployTarget)
            XCTAssertNotNil(target.deployer.engine.judge, "state \(state.map { "\($0)" } ?? "none"): an analysis: entry needs a judge")
        }
    }
}

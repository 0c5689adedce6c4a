import Foundation
import ShiftAWS
import ShiftCore
import ShiftLocal
import ShiftPlatforms
import ShiftStorage
import ShiftTestSupport
import XCTest

final class AccountResolverTests: XCTestCase {
    var root: URL!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("shift-resolver-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: root)
    }

    func resolver() -> AccountResolver {
        AccountResolver(root: root, environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"], clock: ManualClock())
    }

    func testUnconfiguredAccount_resolvesToTheLocalPlatform() throws {
        let platform = try resolver().resolve("default")
        XCTAssertTrue(platform.functions is LocalPlatform)
        XCTAssertEqual(platform.settings, .local)
        XCTAssertEqual(platform.state.account, "default")
    }

    func testAWSAccount_resolvesToTheAWSPlatformInItsRegion() throws {
        try AccountRegistry(root: root).save(AccountSettings(platform: .aws, region: "eu-west-1", endpointURL: "http://127.0.0.1:1"), for: "prod")
        let platform = try resolver().resolve("prod")
        let aws = try XCTUnwrap(platform.functions as? AWSPlatform)
        XCTAssertEqual(aws.region, "eu-west-1")
        XCTAssertTrue(platform.alarmSource is AWSPlatform)
    }

    func testBadAccountName_isBadInput() {
        XCTAssertThrowsError(try resolver().resolve("../etc")) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput, "\(error)")
        }
    }
}

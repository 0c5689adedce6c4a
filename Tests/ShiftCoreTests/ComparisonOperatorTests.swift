import XCTest
import ShiftCore

final class ComparisonOperatorTests: XCTestCase {
    func testRawValues_areCloudWatchNames() {
        XCTAssertEqual(ComparisonOperator.greaterThanThreshold.rawValue, "GreaterThanThreshold")
        XCTAssertEqual(ComparisonOperator.greaterThanOrEqualToThreshold.rawValue, "GreaterThanOrEqualToThreshold")
        XCTAssertEqual(ComparisonOperator.lessThanThreshold.rawValue, "LessThanThreshold")
        XCTAssertEqual(ComparisonOperator.lessThanOrEqualToThreshold.rawValue, "LessThanOrEqualToThreshold")
        XCTAssertEqual(ComparisonOperator.allCases.count, 4)
    }

    func testDecoding_readsCloudWatchNames_andRejectsOthers() throws {
        let decoded = try JSONDecoder().decode([ComparisonOperator].self, from: Data(#"["LessThanThreshold","GreaterThanThreshold"]"#.utf8))
        XCTAssertEqual(decoded, [.lessThanThreshold, .greaterThanThreshold])
        XCTAssertThrowsError(try JSONDecoder().decode([ComparisonOperator].self, from: Data(#"["GreaterThan"]"#.utf8)))
    }

    func testGreaterThanThreshold_breachesOnlyAbove() {
        XCTAssertTrue(ComparisonOperator.greaterThanThreshold.isBreaching(1.5, threshold: 1))
        XCTAssertFalse(ComparisonOperator.greaterThanThreshold.isBreaching(1, threshold: 1))
        XCTAssertFalse(ComparisonOperator.greaterThanThreshold.isBreaching(0.5, threshold: 1))
    }

    func testGreaterThanOrEqualToThreshold_breachesAtAndAbove() {
        XCTAssertTrue(ComparisonOperator.greaterThanOrEqualToThreshold.isBreaching(1.5, threshold: 1))
        XCTAssertTrue(ComparisonOperator.greaterThanOrEqualToThreshold.isBreaching(1, threshold: 1))
        XCTAssertFalse(ComparisonOperator.greaterThanOrEqualToThreshold.isBreaching(0.5, threshold: 1))
    }

    func testLessThanThreshold_breachesOnlyBelow() {
        XCTAssertFalse(ComparisonOperator.lessThanThreshold.isBreaching(1.5, threshold: 1))
        XCTAssertFalse(ComparisonOperator.lessThanThreshold.isBreaching(1, threshold: 1))
        XCTAssertTrue(ComparisonOperator.lessThanThreshold.isBreaching(0.5, threshold: 1))
    }

    func testLessThanOrEqualToThreshold_breachesAtAndBelow() {
        XCTAssertFalse(ComparisonOperator.lessThanOrEqualToThreshold.isBreaching(1.5, threshold: 1))
        XCTAssertTrue(ComparisonOperator.lessThanOrEqualToThreshold.isBreaching(1, threshold: 1))
        XCTAssertTrue(ComparisonOperator.lessThanOrEqualToThreshold.isBreaching(0.5, threshold: 1))
    }

    func testEqualityAtTheThreshold_breachesOnlyTheOrEqualOperators() {
        let breachingAtThreshold = ComparisonOperator.allCases.filter { $0.isBreaching(0, threshold: 0) }
        XCTAssertEqual(breachingAtThreshold, [.greaterThanOrEqualToThreshold, .lessThanOrEqualToThreshold])
    }

    func testNegativeThresholds_compareAsNumbers() {
        XCTAssertTrue(ComparisonOperator.greaterThanThreshold.isBreaching(-1, threshold: -2))
        XCTAssertTrue(ComparisonOperator.lessThanThreshold.isBreaching(-3, threshold: -2))
    }

    func testNaN_neverBreaches() {
        for comparison in ComparisonOperator.allCases {
            XCTAssertFalse(comparison.isBreaching(.nan, threshold: 1), "\(comparison)")
        }
    }
}

import XCTest
@testable import ShiftAnalysis

final class HodgesLehmannEstimateTests: XCTestCase {
    func testEveryReferenceCase_matchesTheBruteForceMedianAndInterval() throws {
        let reference = try MannWhitneyReference.load()
        for item in reference.cases where item.u != nil {
            let (x, y) = item.samples
            let exact = item.method == "exact"
            let estimate = try XCTUnwrap(HodgesLehmannEstimate(x, y, confidence: reference.confidence, exact: exact), item.name)
            XCTAssertEqual(estimate.shift, try XCTUnwrap(item.shift), item.name)
            XCTAssertEqual(estimate.k, item.k, item.name)
            XCTAssertEqual(estimate.lower, try XCTUnwrap(item.shiftLower), item.name)
            XCTAssertEqual(estimate.upper, try XCTUnwrap(item.shiftUpper), item.name)
        }
    }

    func testSmallest_isTheKthOfTheSortedDifferences_forEveryK() {
        // Ties, negatives and -0 against 0: every order statistic against the brute force.
        let x: [Double] = [-3, 0, 0, 1.5, 2, 2, 7].sorted(), y: [Double] = [-0.0, 1, 1, 2, 10].sorted()
        let differences = PairwiseDifferences(x, y)
        let sorted = x.flatMap { xi in y.map { xi - $0 } }.sorted()
        for k in 1...sorted.count {
            XCTAssertEqual(differences.smallest(k), sorted[k - 1], "k = \(k)")
        }
    }

    func testOneEmptySide_hasNoEstimate() {
        XCTAssertNil(HodgesLehmannEstimate([], [1], confidence: 0.98, exact: false))
    }

    func testNormalQuantile_matchesSciPy() throws {
        for item in try MannWhitneyReference.load().normalQuantiles {
            XCTAssertEqual(NormalDistribution.quantile(item.p), item.z, accuracy: 1e-12 * max(1, abs(item.z)), "p = \(item.p)")
        }
    }
}

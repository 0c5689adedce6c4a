import XCTest
@testable import ShiftAnalysis

final class MannWhitneyTestTests: XCTestCase {
    func testEveryReferenceCase_matchesSciPysUAndP() throws {
        let reference = try MannWhitneyReference.load()
        XCTAssertGreaterThanOrEqual(reference.cases.count, 10)
        for item in reference.cases {
            let (x, y) = item.samples
            let test = MannWhitneyTest(x, y)
            guard let u = item.u, let p = item.p else {
                XCTAssertNil(test, item.name)
                continue
            }
            let result = try XCTUnwrap(test, item.name)
            XCTAssertEqual(result.method.rawValue, item.method, item.name)
            XCTAssertEqual(result.u, u, item.name)
            XCTAssertEqual(result.p, p, accuracy: max(1e-12, p * 1e-9), item.name)
        }
    }

    func testSmallSamplesWithoutTies_useTheExactDistribution() throws {
        XCTAssertEqual(MannWhitneyTest([1, 2, 3], [4, 5, 6, 7])?.method, .exact)
        // 9 and 9: both sides above 8.
        XCTAssertEqual(MannWhitneyTest((1...9).map(Double.init), (11...19).map(Double.init))?.method, .asymptotic)
        // A tie anywhere: the approximation with the tie correction.
        XCTAssertEqual(MannWhitneyTest([1, 2, 3], [3, 5])?.method, .asymptotic)
    }

    func testOneEmptySide_hasNoResult() {
        XCTAssertNil(MannWhitneyTest([], [1, 2]))
        XCTAssertNil(MannWhitneyTest([1], []))
    }

    func testIdenticalConstantSamples_haveP1() throws {
        let result = try XCTUnwrap(MannWhitneyTest(Array(repeating: 7, count: 50), Array(repeating: 7, count: 40)))
        XCTAssertEqual(result.p, 1)
        XCTAssertEqual(result.u, 1000)
    }

    func testExactDistribution_sumsToOneAndIsSymmetric() {
        let distribution = MannWhitneyExactDistribution(n: 8, m: 300)
        XCTAssertEqual(distribution.survival(0), 1, accuracy: 1e-12)
        XCTAssertEqual(distribution.survival(2400.5), 0)
        // P(U >= u) = P(U <= nm - u).
        XCTAssertEqual(distribution.survival(1500), 1 - distribution.survival(901), accuracy: 1e-12)
    }
}

import ShiftCore
import ShiftTestSupport
import XCTest

final class AliasRoutingTests: XCTestCase {
    func testWeightOutsideZeroToOne_isRefused() {
        XCTAssertThrowsError(try Weight(1.5)) { error in
            XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
            XCTAssertEqual((error as? LocalizedError)?.errorDescription, "weight is '1.5'; expected a number from 0 to 1, e.g. 0.1 for 10 %")
        }
        XCTAssertThrowsError(try Weight(-0.1))
        XCTAssertThrowsError(try Weight(.nan))
        XCTAssertNoThrow(try Weight(0))
        XCTAssertNoThrow(try Weight(1))
    }

    func testAdditionalVersionEqualToPrimary_isRefused() throws {
        XCTAssertThrowsError(try AliasRouting(primaryVersion: 2, additionalVersion: .init(version: 2, weight: try Weight(0.1))))
    }

    func testNonPositiveVersions_areRefused() throws {
        XCTAssertThrowsError(try AliasRouting(primaryVersion: 0))
        XCTAssertThrowsError(try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: -1, weight: .zero)))
    }

    func testWeightOf_givesPrimaryTheComplement() throws {
        let routing = try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 2, weight: try Weight(0.25)))
        XCTAssertEqual(routing.weight(of: 1).value, 0.75, accuracy: 1e-12)
        XCTAssertEqual(routing.weight(of: 2).value, 0.25, accuracy: 1e-12)
        XCTAssertEqual(routing.weight(of: 3), .zero)
        XCTAssertEqual(routing.versions, [1, 2])
        XCTAssertEqual(routing.description, "1 (75%) + 2 (25%)")
    }

    func testRouteAtWeightTenPercent_sendsTenPercentWithinTolerance() throws {
        let routing = try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 2, weight: try Weight(0.1)))
        var generator = SeededGenerator(seed: 42)
        let total = 10_000
        let additional = (0..<total).filter { _ in routing.route(using: &generator) == 2 }.count
        // Binomial(10,000, 0.1): standard deviation 30; 4 sigma is 120.
        XCTAssertEqual(Double(additional), 1_000, accuracy: 120, "got \(additional) of \(total) on the additional version")
    }

    func testRouteAtWeightZero_neverSendsToAdditional() throws {
        let routing = try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 2, weight: .zero))
        var generator = SeededGenerator(seed: 7)
        XCTAssertTrue((0..<1_000).allSatisfy { _ in routing.route(using: &generator) == 1 })
    }

    func testRouteAtWeightOne_alwaysSendsToAdditional() throws {
        let routing = try AliasRouting(primaryVersion: 1, additionalVersion: .init(version: 2, weight: .full))
        var generator = SeededGenerator(seed: 7)
        XCTAssertTrue((0..<1_000).allSatisfy { _ in routing.route(using: &generator) == 2 })
    }

    func testDecodingInvalidRouting_throws() {
        let json = Data(#"{"primaryVersion": 1, "additionalVersion": {"version": 1, "weight": 0.5}}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(AliasRouting.self, from: json))
        let badWeight = Data(#"{"primaryVersion": 1, "additionalVersion": {"version": 2, "weight": 2}}"#.utf8)
        XCTAssertThrowsError(try JSONDecoder().decode(AliasRouting.self, from: badWeight))
    }

    func testQualifierParsing_readsLatestVersionsAndAliases() throws {
        XCTAssertEqual(try FunctionQualifier.split("orders").qualifier, .latest)
        XCTAssertEqual(try FunctionQualifier.split("orders:$LATEST").qualifier, .latest)
        XCTAssertEqual(try FunctionQualifier.split("orders:3").qualifier, .version(3))
        XCTAssertEqual(try FunctionQualifier.split("orders:live").qualifier, .alias("live"))
        XCTAssertThrowsError(try FunctionQualifier.split("orders:0"))
        XCTAssertThrowsError(try FunctionQualifier.split("bad name:live"))
        XCTAssertThrowsError(try FunctionQualifier.split("orders:li ve"))
    }
}

final class WeightTests: XCTestCase {
    func testDescription_showsWholePercentagesWithoutFloatingPointNoise() throws {
        for percent in [7.0, 14, 28, 29, 55, 56, 57, 58] {
            XCTAssertEqual(try Weight(percent: percent).description, "\(Int(percent))%")
        }
        XCTAssertEqual(try Weight(percent: 2.5).description, "2.5%")
    }
}

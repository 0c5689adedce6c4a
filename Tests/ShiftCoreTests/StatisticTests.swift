import XCTest
import ShiftCore

final class StatisticTests: XCTestCase {
    // MARK: Parsing and printing, as CloudWatch spells statistics

    func testParsing_acceptsCloudWatchNamesExactly() throws {
        XCTAssertEqual(try Statistic(parsing: "Sum"), .sum)
        XCTAssertEqual(try Statistic(parsing: "Average"), .average)
        XCTAssertEqual(try Statistic(parsing: "Minimum"), .minimum)
        XCTAssertEqual(try Statistic(parsing: "Maximum"), .maximum)
        XCTAssertEqual(try Statistic(parsing: "SampleCount"), .sampleCount)
    }

    func testParsing_acceptsPercentilesWithAndWithoutFraction() throws {
        XCTAssertEqual(try Statistic(parsing: "p99"), .percentile(99))
        XCTAssertEqual(try Statistic(parsing: "p99.9"), .percentile(99.9))
        XCTAssertEqual(try Statistic(parsing: "p50"), .percentile(50))
        XCTAssertEqual(try Statistic(parsing: "p0.1"), .percentile(0.1))
        XCTAssertEqual(try Statistic(parsing: "p99.0"), .percentile(99))
    }

    func testDescription_printsEveryCaseAsCloudWatchSpellsIt() {
        XCTAssertEqual(Statistic.sum.description, "Sum")
        XCTAssertEqual(Statistic.average.description, "Average")
        XCTAssertEqual(Statistic.minimum.description, "Minimum")
        XCTAssertEqual(Statistic.maximum.description, "Maximum")
        XCTAssertEqual(Statistic.sampleCount.description, "SampleCount")
        XCTAssertEqual(Statistic.percentile(99).description, "p99")
        XCTAssertEqual(Statistic.percentile(99.9).description, "p99.9")
        XCTAssertEqual(Statistic.percentile(50).description, "p50")
    }

    func testParsingTheDescription_roundTripsEveryCase() throws {
        let all: [Statistic] = [.sum, .average, .minimum, .maximum, .sampleCount, .percentile(99), .percentile(99.9), .percentile(0.5)]
        for statistic in all {
            XCTAssertEqual(try Statistic(parsing: statistic.description), statistic)
        }
    }

    func testParsing_rejectsOtherSpellings_namingTheAcceptedForms() {
        let rejected = ["", "sum", "SUM", "Avg", "Mean", "Count", "p", "P99", "p100", "p0", "p-1", "p1e1", "pinf", "pnan",
                        "p99.", "p.5", "p9.9.9", "p 99", "p0x10", "tm99", "99"]
        for text in rejected {
            XCTAssertThrowsError(try Statistic(parsing: text), "'\(text)'") { error in
                guard case let .invalidValue(field, value, expected) = error as? ShiftCoreError else {
                    return XCTFail("expected ShiftCoreError.invalidValue for '\(text)', got \(error)")
                }
                XCTAssertEqual(field, "statistic")
                XCTAssertEqual(value, text)
                for form in ["Sum", "Average", "Minimum", "Maximum", "SampleCount", "p99", "p99.9"] {
                    XCTAssertTrue(expected.contains(form), "expected '\(expected)' to name \(form)")
                }
            }
        }
    }

    // MARK: Codable as the CloudWatch string

    func testEncoding_writesTheCloudWatchString() throws {
        let data = try JSONEncoder().encode([Statistic.sum, .sampleCount, .percentile(99.9)])
        XCTAssertEqual(String(decoding: data, as: UTF8.self), #"["Sum","SampleCount","p99.9"]"#)
    }

    func testDecoding_readsTheCloudWatchString() throws {
        let decoded = try JSONDecoder().decode([Statistic].self, from: Data(#"["Average","p50","Minimum"]"#.utf8))
        XCTAssertEqual(decoded, [.average, .percentile(50), .minimum])
    }

    func testDecoding_rejectsUnknownStatistic() {
        XCTAssertThrowsError(try JSONDecoder().decode([Statistic].self, from: Data(#"["Median"]"#.utf8))) { error in
            guard case .invalidValue(field: "statistic", value: "Median", expected: _) = error as? ShiftCoreError else {
                return XCTFail("expected invalidValue for statistic, got \(error)")
            }
        }
    }

    // MARK: Aggregation

    func testAggregate_ofNoValues_isNilForEveryStatistic() {
        let all: [Statistic] = [.sum, .average, .minimum, .maximum, .sampleCount, .percentile(99)]
        for statistic in all {
            XCTAssertNil(statistic.aggregate([Double]()), "\(statistic)")
        }
    }

    func testSum_addsTheValues() {
        XCTAssertEqual(Statistic.sum.aggregate([3, 1, 2, -0.5]), 5.5)
    }

    func testAverage_isTheArithmeticMean() {
        XCTAssertEqual(Statistic.average.aggregate([3, 1, 2, 6]), 3)
    }

    func testMinimum_isTheLowestValue() {
        XCTAssertEqual(Statistic.minimum.aggregate([3, -1, 2]), -1)
    }

    func testMaximum_isTheHighestValue() {
        XCTAssertEqual(Statistic.maximum.aggregate([3, -1, 2]), 3)
    }

    func testSampleCount_countsValuesWhateverTheyAre() {
        XCTAssertEqual(Statistic.sampleCount.aggregate([0, 0, 7]), 3)
        XCTAssertEqual(Statistic.sampleCount.aggregate([42]), 1)
    }

    func testAggregate_acceptsAnyCollection() {
        XCTAssertEqual(Statistic.sum.aggregate([1.0, 2, 3, 4][1...]), 9)
        XCTAssertEqual(Statistic.maximum.aggregate(Set([1.0, 8, 3])), 8)
    }

    func testPercentile_usesNearestRank() {
        // Nearest rank: the value at rank ⌈p/100 × n⌉ of the ascending values.
        XCTAssertEqual(Statistic.percentile(50).aggregate([4, 1, 3, 2]), 2)   // ⌈2⌉ = 2
        XCTAssertEqual(Statistic.percentile(50).aggregate([3, 1, 2]), 2)      // ⌈1.5⌉ = 2
        XCTAssertEqual(Statistic.percentile(25).aggregate([4, 1, 3, 2]), 1)   // ⌈1⌉ = 1
        XCTAssertEqual(Statistic.percentile(26).aggregate([4, 1, 3, 2]), 2)   // ⌈1.04⌉ = 2
        XCTAssertEqual(Statistic.percentile(75).aggregate([4, 1, 3, 2]), 3)   // ⌈3⌉ = 3
        XCTAssertEqual(Statistic.percentile(99).aggregate([4, 1, 3, 2]), 4)   // ⌈3.96⌉ = 4
    }

    func testPercentile_isAlwaysOneOfTheSamples() {
        XCTAssertEqual(Statistic.percentile(50).aggregate([10, 20]), 10)
        XCTAssertEqual(Statistic.percentile(0.1).aggregate([7, 5, 9]), 5)
        XCTAssertEqual(Statistic.percentile(99.9).aggregate([7]), 7)
    }

    func testP99_ofOneToOneHundred_is99() {
        XCTAssertEqual(Statistic.percentile(99).aggregate((1...100).map(Double.init)), 99)
    }

    func testP99Point9_ofOneToOneThousand_is999_despiteFloatingPoint() {
        XCTAssertEqual(Statistic.percentile(99.9).aggregate((1...1000).map(Double.init)), 999)
        XCTAssertEqual(Statistic.percentile(99.9).aggregate((1...10_000).map(Double.init)), 9990)
        XCTAssertEqual(Statistic.percentile(99.9).aggregate((1...10).map(Double.init)), 10)
    }

    func testPercentileOutsideZeroToHundred_givesTheExtremes_andNaNGivesNil() {
        XCTAssertEqual(Statistic.percentile(150).aggregate([2, 1, 3]), 3)
        XCTAssertEqual(Statistic.percentile(-5).aggregate([2, 1, 3]), 1)
        XCTAssertEqual(Statistic.percentile(.infinity).aggregate([2, 1, 3]), 3)
        XCTAssertNil(Statistic.percentile(.nan).aggregate([2, 1, 3]))
    }

    func testPercentile_ignoresInputOrder() {
        let values = (1...100).map(Double.init)
        XCTAssertEqual(Statistic.percentile(90).aggregate(values.reversed()), 90)
        XCTAssertEqual(Statistic.percentile(90).aggregate(values.shuffled()), 90)
    }
}

import ShiftCore
@testable import ShiftLocal
import ShiftTestSupport
import XCTest

final class MetricsLogTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    private func record(_ second: Double, alias: String? = "live", version: String = "1", error: Bool = false) -> InvocationRecord {
        InvocationRecord(timestamp: Date(timeIntervalSince1970: 1_800_000_000 + second), alias: alias, executedVersion: version, durationMilliseconds: 12.5, isError: error)
    }

    func testAppendedRecords_readBackInOrder() throws {
        let log = MetricsLog(directory: directory.url)
        let records = [record(0), record(1, alias: nil, version: "$LATEST"), record(2, version: "2", error: true)]
        for record in records { try log.append(record) }
        XCTAssertEqual(try log.records(), records)
        XCTAssertEqual(try log.records(since: Date(timeIntervalSince1970: 1_800_000_001)), Array(records.dropFirst()))
    }

    func testThousandths_writeWhatPrintfsThreeDecimalsWrite() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, 0.0004, 0.9996, 1.5, 12.25, 1_796_194_493.843, 1_796_194_493.8435, -0.25, 3_599_999.9999]
        values += (0..<2_000).map { _ in Double(Int.random(in: 0..<2_000_000_000_000, using: &generator)) / 1_000 }
        values += (0..<2_000).map { _ in Double.random(in: 0..<100_000, using: &generator) }
        for value in values {
            let printf = String(format: "%.3f", value)
            let written = MetricsLog.thousandths(value)
            // %.3f rounds the exact binary value half to even, thousandths the scaled one half away from zero:
            // they may differ by one in the last digit at a tie, never more.
            XCTAssertEqual(Double(written)!, Double(printf)!, accuracy: 0.0011, "\(value)")
            XCTAssertEqual(written.split(separator: ".").last?.count, 3, written)
        }
    }

    func testRotation_boundsHistoryToTwoFiles() throws {
        let log = MetricsLog(directory: directory.url, rotationBytes: 1_000)
        for second in 0..<200 { try log.append(record(Double(second))) }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.url.path).filter { $0.hasSuffix(".tsv") }.sorted()
        XCTAssertEqual(files, ["metrics.1.tsv", "metrics.tsv"])
        let kept = try log.records()
        XCTAssertLessThan(kept.count, 200)
        XCTAssertEqual(kept.last, record(199))
        XCTAssertEqual(kept, kept.sorted { $0.timestamp < $1.timestamp })
    }

    func testTornLastLine_isSkipped() throws {
        let log = MetricsLog(directory: directory.url)
        try log.append(record(0))
        try appendTornLine()
        XCTAssertEqual(try log.records(), [record(0)])
    }

    func testAppendAfterTornLastLine_startsOnAFreshLine_andKeepsTheNewRecord() throws {
        let log = MetricsLog(directory: directory.url)
        try log.append(record(0))
        try appendTornLine()
        try log.append(record(2))
        XCTAssertEqual(try log.records(), [record(0), record(2)])
    }

    func testDirectoryInPlaceOfTheLog_isDamagedState_namingIt() throws {
        let file = directory.url.appendingPathComponent("metrics.tsv")
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        assertDamaged(file)
    }

    func testAppendToADirectoryInPlaceOfTheLog_isDamagedState_namingIt() throws {
        let file = directory.url.appendingPathComponent("metrics.tsv")
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        XCTAssertThrowsError(try MetricsLog(directory: directory.url).append(record(0))) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput, "\(error)")
        }
    }

    func testLogWithoutOneRecord_isDamagedState_notAQuietLog() throws {
        let file = directory.url.appendingPathComponent("metrics.tsv")
        try Data(repeating: 0, count: 4096).write(to: file)
        assertDamaged(file)
        try Data("garbage\nmore garbage\n".utf8).write(to: file)
        assertDamaged(file)
    }

    func testEmptyOrMissingLog_hasNoRecords() throws {
        let log = MetricsLog(directory: directory.url)
        XCTAssertEqual(try log.records(), [])
        try Data().write(to: directory.url.appendingPathComponent("metrics.tsv"))
        XCTAssertEqual(try log.records(), [])
    }

    /// The start of a record for second 1, as a crash mid-append leaves it.
    private func appendTornLine() throws {
        let handle = try FileHandle(forWritingTo: directory.url.appendingPathComponent("metrics.tsv"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("1800000001.000\tli".utf8))
        try handle.close()
    }

    private func assertDamaged(_ file: URL, line: UInt = #line) {
        XCTAssertThrowsError(try MetricsLog(directory: directory.url).records(), line: line) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput, "\(error)", line: line)
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains(file.path) == true, "\(error)", line: line)
        }
    }

    func testSummaries_groupByPeriodAndVersion() {
        let records = [record(0), record(1, version: "2", error: true), record(61), record(62, error: true)]
        let summaries = MetricsSummary.summarize(records, period: 60, since: .distantPast)
        XCTAssertEqual(summaries.map(\.version), ["1", "2", "1"])
        XCTAssertEqual(summaries.map(\.invocations), [1, 1, 2])
        XCTAssertEqual(summaries.map(\.errors), [0, 1, 1])
        XCTAssertEqual(summaries[0].durationAverage, 12.5)
    }
}

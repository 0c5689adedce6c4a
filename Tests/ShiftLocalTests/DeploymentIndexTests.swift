import ShiftCore
import ShiftLocal
import ShiftStorage
import ShiftTestSupport
import XCTest

final class DeploymentIndexTests: XCTestCase {
    var directory: TemporaryDirectory!
    var store: LocalDeploymentStore!
    var state: StateDirectory { store.state }
    var indexFile: URL { state.deploymentIndexFile }

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        store = LocalDeploymentStore(state: try StateDirectory(root: directory.url, account: "default"), clock: ManualClock())
    }

    override func tearDown() { directory.remove() }

    private func deployment(_ id: String, function: String = "orders", createdAt: TimeInterval = 1_800_000_000) throws -> Deployment {
        let request = DeploymentRequest(functionName: function, alias: "live", targetVersion: 2, preference: try DeploymentPreference.named("AllAtOnce"))
        return Deployment(id: id, request: request, originalVersion: 1, createdAt: Date(timeIntervalSince1970: createdAt), aliasRevisionId: "r1")
    }

    private func indexLines() throws -> [String] {
        try String(decoding: Data(contentsOf: indexFile), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    private func listed(unreadable: @escaping @Sendable (any Error) -> Void = { _ in }) throws -> [String] {
        try store.summaries(unreadable: unreadable).summaries.map { "\($0.deploymentId) \($0.status.rawValue)" }
    }

    /// Writes a record the way a process killed before its index line would have left it.
    private func writeRecordOnly(_ deployment: Deployment) throws {
        try JSONFile.write(deployment, to: state.deploymentFile(deployment.id))
    }

    func testWrite_appendsAWritingLineThenTheSummary() throws {
        var first = try deployment("d-AAAAAAAA1")
        try store.write(first)
        first.phase = .succeeded
        try store.write(first)
        let lines = try indexLines()
        XCTAssertEqual(lines.count, 5, "two lines per write and the final newline: \(lines)")
        XCTAssertEqual(lines[0], #"{"writing":"d-AAAAAAAA1"}"#)
        XCTAssertTrue(lines[3].contains(#""status":"Succeeded""#), lines[3])
        XCTAssertEqual(lines[4], "")
        XCTAssertEqual(try listed(), ["d-AAAAAAAA1 Succeeded"])
    }

    func testSummaries_areNewestFirst_andFiltered() throws {
        try store.write(try deployment("d-OLDER0001", createdAt: 1_800_000_000))
        try store.write(try deployment("d-NEWER0001", function: "web", createdAt: 1_800_000_100))
        XCTAssertEqual(try listed(), ["d-NEWER0001 Created", "d-OLDER0001 Created"])
        XCTAssertEqual(try store.summaries(function: "orders").summaries.map(\.deploymentId), ["d-OLDER0001"])
        XCTAssertEqual(try store.summaries(status: .succeeded), DeploymentListing(summaries: [], omitted: 0))
    }

    func testSummaries_readNoRecord_whenTheIndexKnowsThemAll() throws {
        try store.write(try deployment("d-INDEXED01"))
        // A record changed behind the index's back (not by shift) is not read: the index is what listing reads.
        var changed = try deployment("d-INDEXED01")
        changed.phase = .succeeded
        try writeRecordOnly(changed)
        XCTAssertEqual(try listed(), ["d-INDEXED01 Created"])
    }

    func testSummaries_awaitedFromAsyncCode_orThroughTheProtocol_readTheIndex() async throws {
        try store.write(try deployment("d-INDEXED03"))
        var changed = try deployment("d-INDEXED03")
        changed.phase = .succeeded
        try writeRecordOnly(changed)
        // As `deployment list` calls it: a record scan would see Succeeded, the index says Created.
        let awaited = try await store.summaries(function: nil, status: nil, limit: nil, unreadable: { _ in })
        XCTAssertEqual(awaited.summaries.map(\.status), [.created])
        let generic: any DeploymentStore = store
        let throughProtocol = try await generic.summaries(function: nil, status: nil, limit: nil, unreadable: { _ in })
        XCTAssertEqual(throughProtocol.summaries.map(\.status), [.created])
    }

    func testSummaries_withALimit_showTheNewest_andCountTheRest_afterTheFilters() throws {
        // Written out of creation order, and one of them rewritten last: the order is the creation time's.
        for (number, created) in [3, 1, 4, 0, 2, 5].enumerated() {
            try store.write(try deployment("d-LIMIT000\(number)", function: created % 2 == 0 ? "orders" : "web",
                                           createdAt: 1_800_000_000 + Double(created) * 60))
        }
        var rewritten = try deployment("d-LIMIT0003", function: "orders", createdAt: 1_800_000_000)
        rewritten.phase = .succeeded
        try store.write(rewritten)

        let newest = try store.summaries(limit: 2)
        XCTAssertEqual(newest.summaries.map(\.deploymentId), ["d-LIMIT0005", "d-LIMIT0002"])
        XCTAssertEqual(newest.omitted, 4)
        let orders = try store.summaries(function: "orders", limit: 2)
        XCTAssertEqual(orders.summaries.map(\.deploymentId), ["d-LIMIT0002", "d-LIMIT0004"], "created at 4 and 2 minutes")
        XCTAssertEqual(orders.omitted, 1)
        let succeeded = try store.summaries(status: .succeeded, limit: 1)
        XCTAssertEqual(succeeded.summaries.map(\.deploymentId), ["d-LIMIT0003"])
        XCTAssertEqual(succeeded.omitted, 0)
        XCTAssertEqual(try store.summaries(limit: 10).summaries.count, 6)
    }

    func testSummaries_decodeOnlyTheLinesShown() throws {
        try store.write(try deployment("d-SHOWN0001", createdAt: 1_800_000_100))
        try store.write(try deployment("d-HIDDEN001", createdAt: 1_800_000_000))
        // A line that names what listing orders and filters by, but lacks the rest of a summary: it costs nothing
        // while it is not shown.
        var lines = try indexLines()
        lines[3] = #"{"createTime":"2027-01-15T08:00:00.000Z","deploymentId":"d-HIDDEN001","functionName":"orders","status":"Created"}"#
        try Data(lines.joined(separator: "\n").utf8).write(to: indexFile)
        XCTAssertEqual(try store.summaries(limit: 1).summaries.map(\.deploymentId), ["d-SHOWN0001"])
        XCTAssertEqual(try indexLines()[3], lines[3], "not shown, so not rebuilt")

        // Shown, it does not decode: the index is damaged, and rebuilt from the records.
        XCTAssertEqual(try listed(), ["d-SHOWN0001 Created", "d-HIDDEN001 Created"])
        XCTAssertEqual(try indexLines().count, 3, "one line per deployment after a rebuild")
    }

    func testLinesWithEscapesOrOtherKeyOrders_areReadInFull() throws {
        let first = try deployment("d-ESCAPED01")
        try store.write(first)
        let summary = DeploymentSummary(first)
        // The same summary as any JSON writer might put it: keys in another order, spaces, an escaped character.
        let encoder = JSONFile.encoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        var other = String(decoding: try encoder.encode(summary), as: UTF8.self)
        other = other.replacingOccurrences(of: #""functionName":"orders""#, with: #""functionName" : "\u006frders""#)
        try AtomicFile.write(Data((other + "\n").utf8), to: indexFile)
        XCTAssertEqual(try store.summaries(function: "orders").summaries, [summary])
        XCTAssertEqual(try indexLines().count, 2, "read as it is, not rebuilt")
    }

    func testTornLastLine_isIgnored_andCutByTheNextWrite() throws {
        try store.write(try deployment("d-TORN00001"))
        let handle = try FileHandle(forWritingTo: indexFile)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"deploymentId":"d-TORN00001","sta"#.utf8))
        try handle.close()
        XCTAssertEqual(try listed(), ["d-TORN00001 Created"])

        try store.write(try deployment("d-SECOND001", createdAt: 1_800_000_100))
        XCTAssertFalse(try indexLines().contains { $0.hasPrefix(#"{"deploymentId":"d-TORN00001","sta"#) && !$0.hasSuffix("}") })
        XCTAssertEqual(try listed(), ["d-SECOND001 Created", "d-TORN00001 Created"])
    }

    func testIndexBehindARecord_afterACrashBetweenTheTwo_isRepairedFromThatRecord() throws {
        var running = try deployment("d-CRASHED01")
        try store.write(running)
        // The crash: the "writing" line and the record are on disk, the summary line never came.
        running.phase = .succeeded
        let handle = try FileHandle(forWritingTo: indexFile)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"writing\":\"d-CRASHED01\"}\n".utf8))
        try handle.close()
        try writeRecordOnly(running)

        XCTAssertEqual(try listed(), ["d-CRASHED01 Succeeded"])
        XCTAssertTrue(try indexLines().dropLast().last!.contains(#""status":"Succeeded""#), "the repair is appended")
    }

    func testRecordTheIndexNeverHeardOf_isListed_andAdded() throws {
        try store.write(try deployment("d-INDEXED02"))
        try writeRecordOnly(try deployment("d-UNKNOWN01", createdAt: 1_800_000_100))
        XCTAssertEqual(try listed(), ["d-UNKNOWN01 Created", "d-INDEXED02 Created"])
        XCTAssertTrue(try indexLines().contains { $0.contains(#""deploymentId":"d-UNKNOWN01""#) })
    }

    func testWritingLineWithoutRecord_isADeploymentThatNeverStarted() throws {
        try AtomicFile.write(Data("{\"writing\":\"d-NEVER0001\"}\n".utf8), to: indexFile)
        XCTAssertEqual(try listed(), [])
        XCTAssertEqual(try indexLines().dropLast().last, #"{"absent":"d-NEVER0001"}"#)
    }

    func testDamagedIndex_isRebuiltFromTheRecords() throws {
        try store.write(try deployment("d-REBUILT01"))
        try store.write(try deployment("d-REBUILT02", createdAt: 1_800_000_100))
        var lines = try indexLines()
        lines[1] = "\u{0}\u{0}garbage"
        try Data(lines.joined(separator: "\n").utf8).write(to: indexFile)
        XCTAssertEqual(try listed(), ["d-REBUILT02 Created", "d-REBUILT01 Created"])
        XCTAssertEqual(try indexLines().count, 3, "one line per deployment after a rebuild")
    }

    func testMissingIndex_isRebuiltFromTheRecords() throws {
        try writeRecordOnly(try deployment("d-OLDSTATE1"))
        XCTAssertEqual(try listed(), ["d-OLDSTATE1 Created"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: indexFile.path))
    }

    func testDamagedRecord_isWarnedAboutAndSkipped_untilRemoved() throws {
        try store.write(try deployment("d-GOOD00001"))
        try store.write(try deployment("d-DAMAGED01"))
        try Data("{\"id\":".utf8).write(to: state.deploymentFile("d-DAMAGED01"))
        // The damage is found by the next scan of the records (recover's), and noted for listing.
        _ = try store.orphans()
        let warnings = WarningBox()
        XCTAssertEqual(try listed(unreadable: warnings.add), ["d-GOOD00001 Created"])
        XCTAssertEqual(warnings.messages.count, 1)
        XCTAssertTrue(warnings.messages[0].contains(state.deploymentFile("d-DAMAGED01").path), warnings.messages[0])

        try FileManager.default.removeItem(at: state.deploymentFile("d-DAMAGED01"))
        let none = WarningBox()
        XCTAssertEqual(try listed(unreadable: none.add), ["d-GOOD00001 Created"])
        XCTAssertEqual(none.messages, [])
    }

    func testGrownIndex_isCompactedToOneLineADeployment() throws {
        var busy = try deployment("d-BUSY00001")
        for step in 0..<600 {
            busy.updatedAt = Date(timeIntervalSince1970: 1_800_000_000 + Double(step))
            try store.write(busy)
        }
        XCTAssertEqual(try indexLines().count, 1_201)
        XCTAssertEqual(try listed(), ["d-BUSY00001 Created"])
        XCTAssertEqual(try indexLines().count, 2)
    }
}

/// Collects warnings from a `@Sendable` callback.
private final class WarningBox: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [String] = []
    var messages: [String] { lock.withLock { collected } }
    func add(_ error: any Error) {
        lock.withLock { collected.append((error as? LocalizedError)?.errorDescription ?? "\(error)") }
    }
}

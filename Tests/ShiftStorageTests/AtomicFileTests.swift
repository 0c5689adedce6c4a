import Foundation
import ShiftStorage
import ShiftTestSupport
import XCTest

final class AtomicFileTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testWrite_replacesTheFileWhole_withTheModeAsked_andLeavesNoTemporaryFile() throws {
        let file = directory.url.appendingPathComponent("nested/state.json")
        try AtomicFile.write(Data("old".utf8), to: file)
        try AtomicFile.write(Data("new contents".utf8), to: file, mode: 0o600)
        XCTAssertEqual(try Data(contentsOf: file), Data("new contents".utf8))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path), ["state.json"])
        // The mode of the file that replaced the old one: the temporary file's, created with 0600.
        let mode = (try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode, 0o600)
    }

    func testConcurrentWriters_leaveOneWholeVersion_neverAMix() throws {
        let file = directory.url.appendingPathComponent("contended.json")
        let versions = (0..<8).map { Data(String(repeating: String($0), count: 100_000).utf8) }
        let readers = Collected<Data>()
        DispatchQueue.concurrentPerform(iterations: 16) { index in
            if index < 8 {
                try? AtomicFile.write(versions[index], to: file)
            } else if let seen = FileManager.default.contents(atPath: file.path) {
                readers.append(seen)
            }
        }
        XCTAssertTrue(versions.contains(try Data(contentsOf: file)))
        for seen in readers.values {
            XCTAssertTrue(versions.contains(seen), "a reader saw a torn file of \(seen.count) bytes")
        }
    }
}

final class FileLockTests: XCTestCase {
    var directory: TemporaryDirectory!

    override func setUpWithError() throws { directory = try TemporaryDirectory() }
    override func tearDown() { directory.remove() }

    func testTryLock_isExclusiveBetweenOpenings_andFreeAgainAfterUnlock() throws {
        let url = directory.url.appendingPathComponent("locks/a.lock")
        let first = try FileLock(url: url), second = try FileLock(url: url)
        XCTAssertTrue(try first.tryLock())
        XCTAssertFalse(try second.tryLock(), "flock is per open file: a second opening is another holder")
        first.unlock()
        XCTAssertTrue(try second.tryLock())
    }

    func testDirectoryInPlaceOfTheLockFile_isDamagedState_namingIt() throws {
        let url = directory.url.appendingPathComponent("locks/a.lock")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        XCTAssertThrowsError(try FileLock(url: url)) { error in
            XCTAssertEqual(error as? StorageError, .corruptState(file: url.path, detail: "a directory stands where a file belongs"))
        }
    }

    func testDroppedLock_isReleased() throws {
        let url = directory.url.appendingPathComponent("b.lock")
        do {
            let held = try FileLock(url: url)
            XCTAssertTrue(try held.tryLock())
        }
        // Closing the descriptor (as a dying process does) releases the lock.
        XCTAssertTrue(try FileLock(url: url).tryLock())
    }

    func testWithLock_serialisesReadModifyWrite() throws {
        let url = directory.url.appendingPathComponent("counter.lock")
        let counter = directory.url.appendingPathComponent("counter")
        try Data("0".utf8).write(to: counter)
        DispatchQueue.concurrentPerform(iterations: 50) { _ in
            try? FileLock.withLock(at: url) {
                let value = Int(String(decoding: try Data(contentsOf: counter), as: UTF8.self)) ?? -1000
                try AtomicFile.write(Data(String(value + 1).utf8), to: counter)
            }
        }
        XCTAssertEqual(String(decoding: try Data(contentsOf: counter), as: UTF8.self), "50")
    }
}

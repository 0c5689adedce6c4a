import ShiftCore
import ShiftLocal
import ShiftStorage
import ShiftTestSupport
import XCTest

final class LocalFunctionStoreTests: XCTestCase {
    var directory: TemporaryDirectory!
    var store: LocalFunctionStore!
    var code: URL!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        store = LocalFunctionStore(state: try StateDirectory(root: directory.url.appendingPathComponent("state"), account: "default"), clock: ManualClock())
        code = try directory.writeScript("src/handler.sh", "cat; echo '{}'").deletingLastPathComponent()
        try store.createFunction(name: "orders", codePath: code, configuration: FunctionConfiguration(handler: "./handler.sh"))
    }

    override func tearDown() {
        directory.remove()
    }

    func testPublish_numbersVersionsFromOne() throws {
        XCTAssertEqual(try store.publish("orders").version.number, 1)
        try Data("changed".utf8).write(to: code.appendingPathComponent("extra.txt"))
        XCTAssertEqual(try store.publish("orders").version.number, 2)
    }

    func testPublishUnchanged_returnsLatestWithoutNewVersion() throws {
        let first = try store.publish("orders")
        let second = try store.publish("orders")
        XCTAssertTrue(first.isNew)
        XCTAssertFalse(second.isNew)
        XCTAssertEqual(second.version.number, 1)
        XCTAssertEqual(try store.versions(of: "orders").count, 1)
    }

    func testConfigurationOnlyChange_publishesNewVersion() throws {
        try store.publish("orders")
        try store.updateFunction(name: "orders", change: FunctionChange(environment: ["MODE": "fast"]))
        let published = try store.publish("orders")
        XCTAssertTrue(published.isNew)
        XCTAssertEqual(published.version.number, 2)
        XCTAssertEqual(published.version.configuration.environment, ["MODE": "fast"])
    }

    func testEditingSourceAfterPublish_neverChangesPublishedVersion() throws {
        let version = try store.publish("orders").version
        try Data("#!/bin/sh\necho changed\n".utf8).write(to: code.appendingPathComponent("handler.sh"))
        let snapshot = store.codeDirectory(of: "orders", version: 1).appendingPathComponent("handler.sh")
        XCTAssertEqual(try String(contentsOf: snapshot, encoding: .utf8), "#!/bin/sh\ncat; echo '{}'\n")
        XCTAssertEqual(try CodeSnapshot.hash(of: store.codeDirectory(of: "orders", version: 1)), version.codeSHA256)
        XCTAssertNotEqual(try CodeSnapshot.hash(of: code), version.codeSHA256)
    }

    func testSymlinkToAFileOutsideTheCode_isPublishedAsItsContent_soChangingThatFileLeavesTheVersionAlone() throws {
        let outside = directory.url.appendingPathComponent("shared/config.txt")
        try FileManager.default.createDirectory(at: outside.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("v1".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(atPath: code.appendingPathComponent("config.txt").path, withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: code.appendingPathComponent("lib").path, withDestinationPath: outside.deletingLastPathComponent().path)
        let version = try store.publish("orders").version

        try Data("v2".utf8).write(to: outside)

        let snapshot = store.codeDirectory(of: "orders", version: 1)
        for path in ["config.txt", "lib/config.txt"] {
            let copy = snapshot.appendingPathComponent(path)
            XCTAssertEqual(try String(contentsOf: copy, encoding: .utf8), "v1", path)
            XCTAssertNil(try? FileManager.default.destinationOfSymbolicLink(atPath: copy.path), "\(path) was published as a link")
        }
        XCTAssertEqual(try CodeSnapshot.hash(of: snapshot), version.codeSHA256)
        XCTAssertNotEqual(try CodeSnapshot.hash(of: code), version.codeSHA256, "the code's hash covers what its links point to")
        XCTAssertEqual(try store.publish("orders").version.number, 2, "a changed link target is changed code")
    }

    func testDanglingOrLoopingSymlink_isRefusedAtPublish_namingIt() throws {
        let dangling = code.appendingPathComponent("gone.txt")
        try FileManager.default.createSymbolicLink(atPath: dangling.path, withDestinationPath: directory.url.appendingPathComponent("nowhere").path)
        XCTAssertThrowsError(try store.publish("orders")) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains(dangling.path) == true, "\(error)")
        }
        try FileManager.default.removeItem(at: dangling)
        try FileManager.default.createSymbolicLink(atPath: code.appendingPathComponent("loop").path, withDestinationPath: code.path)
        XCTAssertThrowsError(try store.publish("orders")) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("loop") == true, "\(error)")
        }
        XCTAssertEqual(try store.versions(of: "orders"), [])
    }

    func testExecutableBitChange_changesCodeHash() throws {
        let before = try CodeSnapshot.hash(of: code)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: code.appendingPathComponent("handler.sh").path)
        XCTAssertNotEqual(try CodeSnapshot.hash(of: code), before)
    }

    func testCreateDuplicateFunction_isRefused() throws {
        XCTAssertThrowsError(try store.createFunction(name: "orders", codePath: code, configuration: FunctionConfiguration(handler: "x"))) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
        }
    }

    func testUnreadableCodePath_isRefusedWithPath() throws {
        let missing = directory.url.appendingPathComponent("nope")
        XCTAssertThrowsError(try store.createFunction(name: "other", codePath: missing, configuration: FunctionConfiguration(handler: "x"))) { error in
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains(missing.path) == true)
        }
        XCTAssertThrowsError(try store.function("other"))
    }

    func testAliasOnUnpublishedVersion_isRefused() throws {
        try store.publish("orders")
        XCTAssertThrowsError(try store.createAlias("live", of: "orders", routing: .single(2))) { error in
            XCTAssertEqual((error as? LocalizedError)?.errorDescription, "version 'orders:2' not found; published versions are 1")
        }
        let additional = AliasRouting.AdditionalVersion(version: 5, weight: try Weight(0.1))
        XCTAssertThrowsError(try store.createAlias("live", of: "orders", routing: try AliasRouting(primaryVersion: 1, additionalVersion: additional)))
        XCTAssertThrowsError(try store.alias("live", of: "orders"))
    }

    func testAliasUpdate_changesRevisionEveryTime() throws {
        try store.publish("orders")
        let created = try store.createAlias("live", of: "orders", routing: .single(1))
        let updated = try store.updateAlias("live", of: "orders", routing: .single(1))
        XCTAssertNotEqual(created.revisionId, updated.revisionId)
    }

    func testAliasUpdateWithStaleRevision_isRefusedAndChangesNothing() throws {
        try store.publish("orders")
        try Data("v2".utf8).write(to: code.appendingPathComponent("v2.txt"))
        try store.publish("orders")
        let created = try store.createAlias("live", of: "orders", routing: .single(1))
        let moved = try store.updateAlias("live", of: "orders", routing: .single(2), revisionId: created.revisionId)
        XCTAssertThrowsError(try store.updateAlias("live", of: "orders", routing: .single(1), revisionId: created.revisionId)) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .conflict)
        }
        XCTAssertEqual(try store.alias("live", of: "orders"), moved)
    }

    func testDeleteFunctionWithAlias_isRefused() throws {
        try store.publish("orders")
        try store.createAlias("live", of: "orders", routing: .single(1))
        XCTAssertThrowsError(try store.deleteFunction("orders"))
        try store.deleteAlias("live", of: "orders")
        try store.deleteFunction("orders")
        XCTAssertThrowsError(try store.function("orders"))
    }

    func testCorruptedFunctionFile_isNamedInError() throws {
        let file = store.state.functionFile("orders")
        let data = try Data(contentsOf: file)
        try data.prefix(data.count / 2).write(to: file)
        XCTAssertThrowsError(try store.function("orders")) { error in
            let message = (error as? LocalizedError)?.errorDescription ?? ""
            XCTAssertTrue(message.contains(file.path), message)
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput)
        }
    }

    func testPublishWithDamagedLatestVersionFile_isRefusedNamingIt_andPublishesNothing() throws {
        try store.publish("orders")
        let file = store.state.versionFile("orders", 1)
        try Data("{\"number\": 1, ".utf8).write(to: file)
        XCTAssertThrowsError(try store.publish("orders")) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput, "\(error)")
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains(file.path) == true, "\(error)")
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: store.state.versionsDirectory("orders").path)
        XCTAssertEqual(entries, ["1"], "a version or a staging directory was left")
    }

    func testDirectoryInPlaceOfAStateFile_isDamagedState_namingIt() throws {
        let file = store.state.functionFile("orders")
        try FileManager.default.removeItem(at: file)
        try FileManager.default.createDirectory(at: file, withIntermediateDirectories: true)
        XCTAssertThrowsError(try store.function("orders")) { error in
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput, "\(error)")
            XCTAssertTrue((error as? LocalizedError)?.errorDescription?.contains("\(file.path) is unreadable (a directory") == true, "\(error)")
        }
    }

    func testAbandonedStagingDirectory_doesNotBlockPublish() throws {
        let staging = store.state.versionsDirectory("orders").appendingPathComponent(".staging-crashed")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        XCTAssertEqual(try store.publish("orders").version.number, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: staging.path))
    }
}

import Foundation
import ShiftCore
import ShiftLocal
import ShiftStorage
import ShiftTestSupport
import XCTest

/// The local platform's functions through `FunctionCatalog`, as the command line sees them.
final class LocalPlatformFunctionsTests: XCTestCase {
    var directory: TemporaryDirectory!
    var catalog: (any FunctionCatalog)!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        catalog = LocalPlatform(state: try StateDirectory(root: directory.url.appendingPathComponent("state"), account: "default"), clock: ManualClock())
    }

    override func tearDown() { directory.remove() }

    func code() throws -> URL {
        try directory.writeScript("code/handler.sh", "cat").deletingLastPathComponent()
    }

    func testFunctionGet_throughTheCatalog_reportsTheCodePathAndItsHash() async throws {
        let code = try code()
        _ = try await catalog.createFunction("orders", code: code, configuration: try FunctionConfiguration(handler: "./handler.sh"), creation: FunctionCreation(reservedConcurrency: 2))
        let function = try await catalog.function("orders")
        XCTAssertEqual(function.name, "orders")
        XCTAssertEqual(function.codePath, code.standardizedFileURL.path)
        XCTAssertEqual(function.codeSHA256, try CodeSnapshot.hash(of: code))
        XCTAssertEqual(function.reservedConcurrency, 2)
        XCTAssertNil(function.arn)
    }

    func testFunctionList_countsPublishedVersions() async throws {
        _ = try await catalog.createFunction("orders", code: try code(), configuration: try FunctionConfiguration(handler: "./handler.sh"), creation: FunctionCreation())
        _ = try await catalog.publish("orders", description: "")
        let functions = try await catalog.functions()
        XCTAssertEqual(functions.map(\.versionCount), [1])
    }

    func testCreate_withAParameterReference_andNoParameterStore_isRefusedAndCreatesNothing() async throws {
        do {
            _ = try await catalog.createFunction("orders", code: try code(), configuration: try FunctionConfiguration(handler: "./handler.sh", environment: ["DB": "{{param:/orders/db}}"]), creation: FunctionCreation())
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput, "\(error)")
        }
        let functions = try await catalog.functions()
        XCTAssertTrue(functions.isEmpty)
    }

    func testDelete_whenBusy_isRefusedWithTheReason() async throws {
        _ = try await catalog.createFunction("orders", code: try code(), configuration: try FunctionConfiguration(handler: "./handler.sh"), creation: FunctionCreation())
        do {
            try await catalog.deleteFunction("orders") { _ in "deployment d-1 is InProgress" }
            XCTFail("expected an error")
        } catch {
            XCTAssertTrue("\(error.localizedDescription)".contains("deployment d-1 is InProgress"), "\(error)")
        }
        _ = try await catalog.function("orders")
    }
}

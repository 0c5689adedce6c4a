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
        XCTAssertEqual(function.arn, "arn:aws:lambda:local:000000000000:function:orders", "local ARNs use a fixed partition, region and account id")
        XCTAssertEqual(function.codeSize, 14, "the bytes of the code's files: the script '#!/bin/sh\\ncat\\n'")
    }

    func testFunctionAtAQualifier_isThatVersionsConfiguration_andThroughAnAliasHasTheAliasARN() async throws {
        _ = try await catalog.createFunction("orders", code: try code(), configuration: try FunctionConfiguration(handler: "./handler.sh"), creation: FunctionCreation())
        _ = try await catalog.publish("orders", description: "first")
        _ = try await catalog.updateFunction("orders", change: FunctionChange(timeout: 9))
        _ = try await catalog.createAlias("live", of: "orders", routing: try AliasRouting(primaryVersion: 1), description: "")

        let version = try await catalog.function("orders", qualifier: .version(1))
        let alias = try await catalog.function("orders", qualifier: .alias("live"))
        let latest = try await catalog.function("orders")

        XCTAssertEqual([version.version, alias.version, latest.version], ["1", "1", "$LATEST"])
        XCTAssertEqual([version.configuration.timeout, latest.configuration.timeout], [3, 9])
        XCTAssertEqual(version.configuration.description, "first", "a version's description is the one given at publish")
        XCTAssertEqual(alias.arn, "arn:aws:lambda:local:000000000000:function:orders:live")
        XCTAssertNotEqual(version.revisionId, latest.revisionId)
        let versions = try await catalog.versionConfigurations(of: "orders")
        XCTAssertEqual(versions, [version])
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

/// The local platform's alarms and metrics through their catalogs.
final class LocalPlatformAlarmsTests: XCTestCase {
    var directory: TemporaryDirectory!
    var platform: LocalPlatform!

    override func setUpWithError() throws {
        directory = try TemporaryDirectory()
        platform = LocalPlatform(state: try StateDirectory(root: directory.url.appendingPathComponent("state"), account: "default"), clock: ManualClock())
    }

    override func tearDown() { directory.remove() }

    func definition(function: String) throws -> AlarmDefinition {
        try AlarmDefinition(
            name: "errors", functionName: function, alias: nil, version: nil, metric: .errors, statistic: .sum, period: 60,
            evaluationPeriods: 1, datapointsToAlarm: 1, threshold: 1, comparison: .greaterThanOrEqualToThreshold, treatMissingData: .missing)
    }

    func testPutAlarm_onAMissingFunction_isRefusedAndSavesNothing() async throws {
        let alarms: any AlarmCatalog = platform
        do {
            _ = try await alarms.putAlarm(try definition(function: "nope"), description: "")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput, "\(error)")
        }
        let listed = try await alarms.describeAlarms()
        XCTAssertTrue(listed.isEmpty)
    }

    func testMetrics_ofAMissingFunction_isBadInput() async throws {
        let metrics: any MetricsCatalog = platform
        do {
            _ = try await metrics.metrics(of: "nope", alias: nil, version: nil, since: Date(timeIntervalSince1970: 0), period: 60)
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual((error as? CategorizedError)?.category, .badInput, "\(error)")
        }
    }
}

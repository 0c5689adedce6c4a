import Foundation
import ShiftTestSupport
import XCTest

/// A test case with a fresh state directory, removed in tearDown, and helpers that run the real `shift` binary.
class ShiftIntegrationTestCase: XCTestCase {
    private(set) var directory: TemporaryDirectory!
    private(set) var shift: ShiftProcess!

    var stateDirectory: URL { shift.stateDirectory }

    override func setUpWithError() throws {
        try super.setUpWithError()
        directory = try TemporaryDirectory("shift-integration")
        let work = directory.url.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        shift = ShiftProcess(
            binary: try ShiftProcess.locateBinary(),
            stateDirectory: directory.url.appendingPathComponent("state"),
            workingDirectory: work,
            decoyHome: directory.url.appendingPathComponent("decoy-home"))
    }

    override func tearDownWithError() throws {
        defer { directory?.remove() }
        shift?.killLeftovers()
        if let shift {
            XCTAssertFalse(FileManager.default.fileExists(atPath: shift.decoyHome.path), "a command ignored --state-dir and wrote to $SHIFT_HOME")
            XCTAssertFalse(FileManager.default.fileExists(atPath: shift.workingDirectory.appendingPathComponent(".shift").path), "a command ignored --state-dir and wrote to ./.shift")
        }
        try super.tearDownWithError()
    }

    // MARK: Running shift

    /// Gives every later run of `shift` in this test `variables`, over the inherited ones.
    func addEnvironment(_ variables: [String: String]) {
        shift.environment.merge(variables) { _, new in new }
    }

    /// Runs `shift` and returns its result, whatever its exit code.
    @discardableResult
    func run(_ arguments: String..., standardInput: Data? = nil, environment: [String: String] = [:], timeout: TimeInterval = 60) -> ProcessResult {
        shift.run(arguments, standardInput: standardInput, environment: environment, timeout: timeout)
    }

    /// Runs `shift` and fails the test unless it exits 0.
    @discardableResult
    func succeed(_ arguments: String..., environment: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> ProcessResult {
        let result = shift.run(arguments, environment: environment)
        XCTAssertEqual(result.exitCode, 0, "expected success: \(result)", file: file, line: line)
        return result
    }

    /// Runs `shift` expecting JSON on stdout and exit 0, and returns the parsed object.
    func json(_ arguments: String..., file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = shift.run(arguments + ["--output", "json"])
        XCTAssertEqual(result.exitCode, 0, "expected success: \(result)", file: file, line: line)
        return try result.jsonObject()
    }

    // MARK: Fixtures

    /// The package's `Examples/` directory, found from this file's path.
    static let examplesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // ShiftIntegrationTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("Examples")

    /// `Examples/<name>`.
    func example(_ name: String) -> URL { Self.examplesDirectory.appendingPathComponent(name) }

    /// A copy of `Examples/<name>` in the test's directory, free to edit.
    func copyOfExample(_ name: String) throws -> URL {
        let copy = directory.url.appendingPathComponent("code-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.copyItem(at: example(name), to: copy)
        return copy
    }

    /// Creates a function from `Examples/<example>` (or `code`) with `./handler.sh` as handler.
    func createFunction(_ name: String, example: String = "echo", code: URL? = nil, _ extra: String..., file: StaticString = #filePath, line: UInt = #line) {
        let path = (code ?? self.example(example)).path
        shift.runChecked(["function", "create", name, "--code", path, "--handler", "./handler.sh"] + extra, file: file, line: line)
    }

    /// Publishes `name` and returns the printed version number.
    @discardableResult
    func publish(_ name: String, file: StaticString = #filePath, line: UInt = #line) -> Int? {
        let result = shift.runChecked(["function", "publish", name], file: file, line: line)
        let number = Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertNotNil(number, "publish printed no version number: \(result)", file: file, line: line)
        return number
    }

    /// A function `name` with versions 1 and 2 (the second differs by an environment variable) and no alias.
    func createFunctionWithTwoVersions(_ name: String, example: String = "echo", file: StaticString = #filePath, line: UInt = #line) {
        createFunction(name, example: example, file: file, line: line)
        XCTAssertEqual(publish(name, file: file, line: line), 1, file: file, line: line)
        shift.runChecked(["function", "update", name, "--env", "RELEASE=2"], file: file, line: line)
        XCTAssertEqual(publish(name, file: file, line: line), 2, file: file, line: line)
    }

    // MARK: Assertions

    /// Runs `body` and fails the test if the state directory differs afterwards (lock files aside).
    @discardableResult
    func assertStateUnchanged<T>(file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) throws -> T {
        let before = try StateFingerprint(of: stateDirectory)
        let value = try body()
        let after = try StateFingerprint(of: stateDirectory)
        XCTAssertEqual(before.differences(from: after), [], "the command changed the state directory", file: file, line: line)
        return value
    }

    /// Exit 2, nothing on stdout, and an error whose first line mentions every one of `fragments`.
    ///
    /// Every error is exactly one line: shift's own, and ArgumentParser's usage errors, which `Shift.report`
    /// folds into one (`error: ...; see 'shift X --help'`).
    func assertBadInput(_ result: ProcessResult, mentions fragments: [String],
                        file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(result.exitCode, 2, "expected exit 2 (bad input): \(result)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", "bad input printed a result: \(result)", file: file, line: line)
        let lines = result.stderrLines
        guard let first = lines.first else {
            XCTFail("no error on stderr: \(result)", file: file, line: line)
            return
        }
        XCTAssertEqual(lines.count, 1, "expected a one-line error: \(result)", file: file, line: line)
        XCTAssertTrue(first.lowercased().hasPrefix("error:"), "the first line is not the error: \(result)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(first.contains(fragment), "the error does not mention '\(fragment)': \(first)", file: file, line: line)
        }
    }

    // MARK: Metrics

    /// Invocations and errors per executed version, from `shift metrics NAME --output json` summed over periods.
    func recordedMetrics(_ function: String, _ extra: String..., file: StaticString = #filePath, line: UInt = #line) throws -> RecordedMetrics {
        let result = shift.runChecked(["metrics", function, "--output", "json"] + extra, file: file, line: line)
        return try RecordedMetrics(json: try result.jsonObject())
    }
}

extension ShiftProcess {
    /// Runs and fails the test unless `shift` exits 0.
    @discardableResult
    func runChecked(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) -> ProcessResult {
        let result = run(arguments)
        XCTAssertEqual(result.exitCode, 0, "expected success: \(result)", file: file, line: line)
        return result
    }
}

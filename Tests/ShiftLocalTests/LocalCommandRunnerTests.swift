import Foundation
import ShiftCore
import ShiftLocal
import XCTest

final class LocalCommandRunnerTests: XCTestCase {
    func testCommand_inheritsOnlyTheHandlersVariables_andGivenOnesWin() async throws {
        let runner = LocalCommandRunner(processEnvironment: ["PATH": "/usr/bin:/bin", "HOME": "/home/ci", "AWS_SECRET_ACCESS_KEY": "leak"])
        let outcome = try await runner.run("echo \"$HOME|${AWS_SECRET_ACCESS_KEY:-unset}|$STAGE\"", in: FileManager.default.temporaryDirectory,
                                           environment: ["HOME": "/work", "STAGE": "build"], timeout: 10, masker: SecretMasker())
        XCTAssertEqual(outcome.termination, .exited(0))
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "/work|unset|build\n")
    }

    func testOutput_isMasked_andExitStatusReported() async throws {
        let runner = LocalCommandRunner(processEnvironment: ["PATH": "/usr/bin:/bin"])
        let outcome = try await runner.run("echo token=s3cr3t; echo s3cr3t >&2; exit 3", in: FileManager.default.temporaryDirectory,
                                           environment: [:], timeout: 10, masker: SecretMasker().adding(["s3cr3t"]))
        XCTAssertEqual(outcome.termination, .exited(3))
        XCTAssertEqual(String(decoding: outcome.stdout, as: UTF8.self), "token=****\n")
        XCTAssertEqual(String(decoding: outcome.stderrTail, as: UTF8.self), "****\n")
    }
}

import Foundation
import XCTest

/// `shift recover --output json`: one last line, `{"recovered": [...]}`, also when there is nothing to recover.
final class RecoverCommandTests: ShiftIntegrationTestCase {
    private func lastLine(_ result: ProcessResult) throws -> [String: Any] {
        let line = try XCTUnwrap(result.stdout.split(separator: "\n").last, "no output: \(result)")
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// It printed nothing at all, which a script cannot tell from a crash.
    func testJSON_withNothingToRecover_isAnEmptyList() throws {
        let result = run("recover", "--output", "json")
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertEqual(result.stdout, "{\"recovered\":[]}\n")
    }

    func testJSON_listsTheRecoveredDeployment() throws {
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")
        let deploy = try shift.start(["deploy", "api", "--alias", "live", "--version", "2", "--preference", "Canary50Percent30Minutes"])
        let limit = Date().addingTimeInterval(20)
        while Date() < limit, (try json("alias", "get", "api", "live")["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:] == [:] {
            usleep(50_000)
        }
        kill(deploy.processIdentifier, SIGKILL)
        _ = deploy.wait(timeout: 10)
        let result = run("recover", "--output", "json")
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        let recovered = try XCTUnwrap(try lastLine(result)["recovered"] as? [[String: Any]])
        XCTAssertEqual(recovered.count, 1)
        XCTAssertEqual(recovered.first?["status"] as? String, "Stopped")
        XCTAssertEqual(recovered.first?["rolledBack"] as? Bool, true)
        XCTAssertEqual(run("recover", "--output", "json").stdout, "{\"recovered\":[]}\n", "recovered once")
    }
}

import Foundation
import XCTest

extension ShiftIntegrationTestCase {
    /// The version `function:alias` routes to, and the weights of any additional version.
    func aliasRouting(_ function: String, _ alias: String = "live", file: StaticString = #filePath, line: UInt = #line) throws -> (version: String, weights: [String: Double]) {
        let json = try self.json("alias", "get", function, alias, file: file, line: line)
        let weights = (json["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:]
        return (json["FunctionVersion"] as? String ?? "", weights)
    }

    /// Starts `shift deploy` with `arguments` and kills it (`kill -9`) once `function:live` routes to two versions:
    /// a deployment whose process died mid-shift, for `shift recover`.
    func killDeployMidShift(_ function: String, _ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let deploy = try shift.start(["deploy", function, "--alias", "live"] + arguments)
        let limit = Date().addingTimeInterval(20)
        while try aliasRouting(function, file: file, line: line).weights.isEmpty, Date() < limit { usleep(50_000) }
        kill(deploy.processIdentifier, SIGKILL)
        _ = deploy.wait(timeout: 10)
        XCTAssertFalse(try aliasRouting(function, file: file, line: line).weights.isEmpty, "the deploy was not killed mid-shift", file: file, line: line)
    }

    /// Puts alarm `name` on `function:live`: ALARM as soon as one second holds an error.
    func putErrorsAlarm(_ name: String, function: String, file: StaticString = #filePath, line: UInt = #line) {
        shift.runChecked(["alarm", "put", name, "--function", function, "--alias", "live", "--metric", "Errors", "--statistic", "Sum",
                          "--period", "1", "--evaluation-periods", "1", "--threshold", "1", "--comparison", "GreaterThanOrEqualToThreshold",
                          "--treat-missing-data", "notBreaching"], file: file, line: line)
    }
}

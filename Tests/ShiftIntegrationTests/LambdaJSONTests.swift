import Foundation
import ShiftTestSupport
import XCTest

/// `--output json` of the Lambda commands on the local platform has exactly the shapes of Lambda's API responses in
/// botocore's service model; shift's own fields are under "Shift".
final class LambdaJSONTests: ShiftIntegrationTestCase {
    func testEveryLambdaOutput_onTheLocalPlatform_matchesBotocoresShapes() throws {
        let created = try assertLambdaShape(run("function", "create", "echo", "--code", example("echo").path, "--handler", "./handler.sh",
                                                "--env", "STAGE=prod", "--reserved-concurrency", "5", "--output", "json"), "FunctionConfiguration")
        XCTAssertEqual(created["FunctionArn"] as? String, "arn:aws:lambda:local:000000000000:function:echo")
        XCTAssertEqual(created["Version"] as? String, "$LATEST")
        XCTAssertEqual(created["State"] as? String, "Active")
        XCTAssertEqual(created["LastUpdateStatus"] as? String, "Successful")
        XCTAssertEqual(created["Timeout"] as? Int, 3)
        XCTAssertEqual(created["MemorySize"] as? Int, 128)
        XCTAssertGreaterThan(created["CodeSize"] as? Int ?? 0, 0)
        XCTAssertEqual(Data(base64Encoded: created["CodeSha256"] as? String ?? "")?.count, 32)
        XCTAssertNotNil((created["RevisionId"] as? String)?.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/), "\(created)")
        XCTAssertTrue(LambdaShapes.isLastModified(created["LastModified"] as? String), "\(created)")
        XCTAssertEqual((created["Environment"] as? [String: Any])?["Variables"] as? [String: String], ["STAGE": "prod"])
        let shift = try XCTUnwrap(created["Shift"] as? [String: Any])
        XCTAssertEqual(Set(shift.keys), ["CodePath", "ReservedConcurrentExecutions"])
        XCTAssertEqual(shift["CodePath"] as? String, example("echo").path)
        XCTAssertEqual(shift["ReservedConcurrentExecutions"] as? Int, 5)

        let updated = try assertLambdaShape(run("function", "update", "echo", "--timeout", "9", "--output", "json"), "FunctionConfiguration")
        XCTAssertNotEqual(updated["RevisionId"] as? String, created["RevisionId"] as? String, "a change moves the revision on")
        try assertLambdaShape(run("function", "get", "echo", "--output", "json"), "FunctionConfiguration")
        let list = try assertLambdaShape(run("function", "list", "--output", "json"), "ListFunctionsResponse")
        XCTAssertEqual((list["Functions"] as? [[String: Any]])?.count, 1)

        let published = try assertLambdaShape(run("function", "publish", "echo", "--description", "first", "--output", "json"), "FunctionConfiguration")
        XCTAssertEqual(published["Version"] as? String, "1")
        XCTAssertEqual(published["FunctionArn"] as? String, "arn:aws:lambda:local:000000000000:function:echo:1")
        XCTAssertEqual(published["Description"] as? String, "first")
        XCTAssertNil((published["Shift"] as? [String: Any])?["CodePath"], "a version's code is its snapshot, not the path")
        let versions = try assertLambdaShape(run("function", "versions", "echo", "--output", "json"), "ListVersionsByFunctionResponse")
        XCTAssertEqual((versions["Versions"] as? [[String: Any]])?.map { $0["Version"] as? String }, ["1"])

        let alias = try assertLambdaShape(run("alias", "create", "echo", "live", "--version", "1", "--output", "json"), "AliasConfiguration")
        XCTAssertEqual(alias["AliasArn"] as? String, "arn:aws:lambda:local:000000000000:function:echo:live")
        XCTAssertEqual(alias["Shift"] as? [String: String], ["FunctionName": "echo"])
        try assertLambdaShape(run("alias", "get", "echo", "live", "--output", "json"), "AliasConfiguration")
        try assertLambdaShape(run("alias", "update", "echo", "live", "--description", "prod", "--output", "json"), "AliasConfiguration")
        try assertLambdaShape(run("alias", "list", "echo", "--output", "json"), "ListAliasesResponse")

        let invoked = try assertLambdaShape(run("invoke", "echo:live", "--payload", #"{"a": 1}"#, "--output", "json"), "InvocationResponse")
        XCTAssertEqual(invoked["StatusCode"] as? Int, 200)
        XCTAssertEqual(invoked["ExecutedVersion"] as? String, "1")
        XCTAssertNil(invoked["FunctionError"])
        XCTAssertNotNil((invoked["Shift"] as? [String: Any])?["DurationMilliseconds"] as? Double)
    }

    func testInvokeFailure_json_isUnhandled_withTheLogTailBase64_andTheReasonUnderShift() throws {
        succeed("function", "create", "flaky", "--code", example("flaky").path, "--handler", "./handler.sh", "--env", "ERROR_RATE=100")

        let invoked = try assertLambdaShape(run("invoke", "flaky", "--output", "json"), "InvocationResponse", exitCode: 1)

        XCTAssertEqual(invoked["FunctionError"] as? String, "Unhandled")
        XCTAssertEqual((invoked["Shift"] as? [String: Any])?["FunctionErrorReason"] as? String, "Handler exited with status 1")
        let log = try XCTUnwrap(Data(base64Encoded: invoked["LogResult"] as? String ?? "not base64"), "\(invoked)")
        XCTAssertTrue(String(decoding: log, as: UTF8.self).contains("simulated failure (ERROR_RATE=100)"), "\(invoked)")
    }

    func testInvoke_longLog_logResultIsItsLast4KB() throws {
        let code = directory.url.appendingPathComponent("noisy")
        try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
        let script = code.appendingPathComponent("handler.sh")
        try Data("#!/bin/sh\ni=0\nwhile [ $i -lt 2000 ]; do echo \"line $i\" >&2; i=$((i+1)); done\necho '{}'\n".utf8).write(to: script)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        succeed("function", "create", "noisy", "--code", code.path, "--handler", "./handler.sh")

        let invoked = try assertLambdaShape(run("invoke", "noisy", "--output", "json"), "InvocationResponse")

        let log = String(decoding: try XCTUnwrap(Data(base64Encoded: invoked["LogResult"] as? String ?? "")), as: UTF8.self)
        XCTAssertEqual(log.utf8.count, 4096)
        XCTAssertTrue(log.hasSuffix("line 1999\n"), log.suffix(40).description)
    }

    func testSecretInTheEnvironment_json_showsTheReference_andLogResultDecodesToMaskedText() throws {
        let secret = "marker-91c2-never-shown"
        succeed("key", "init")
        XCTAssertEqual(run("param", "put", "/shop/token", "--type", "SecureString", "--value-stdin", standardInput: Data(secret.utf8)).exitCode, 0)
        try directory.writeScript("leaky/handler.sh", #"cat > /dev/null; echo "token $TOKEN" >&2; echo "{\"token\": \"$TOKEN\"}""#)
        succeed("function", "create", "leaky", "--code", directory.url.appendingPathComponent("leaky").path, "--handler", "./handler.sh", "--env", "TOKEN={{param:/shop/token}}")

        let function = try assertLambdaShape(run("function", "get", "leaky", "--output", "json"), "FunctionConfiguration")
        let invoked = try assertLambdaShape(run("invoke", "leaky", "--output", "json"), "InvocationResponse")

        XCTAssertEqual((function["Environment"] as? [String: Any])?["Variables"] as? [String: String], ["TOKEN": "{{param:/shop/token}}"])
        let log = String(decoding: try XCTUnwrap(Data(base64Encoded: invoked["LogResult"] as? String ?? "")), as: UTF8.self)
        XCTAssertEqual(log, "token ****\n", "base64 must not carry the secret past the masking")
        XCTAssertEqual(invoked["Payload"] as? String, #"{"token": "****"}"# + "\n")
    }

    func testFunctionGet_withAVersionOrAnAlias_showsThatVersionsConfiguration() throws {
        createFunctionWithTwoVersions("echo")
        succeed("alias", "create", "echo", "live", "--version", "1")

        let version = try assertLambdaShape(run("function", "get", "echo:2", "--output", "json"), "FunctionConfiguration")
        XCTAssertEqual(version["Version"] as? String, "2")
        XCTAssertEqual((version["Environment"] as? [String: Any])?["Variables"] as? [String: String], ["RELEASE": "2"])
        let alias = try assertLambdaShape(run("function", "get", "echo:live", "--output", "json"), "FunctionConfiguration")
        XCTAssertEqual(alias["Version"] as? String, "1")
        XCTAssertEqual(alias["FunctionArn"] as? String, "arn:aws:lambda:local:000000000000:function:echo:live")
        XCTAssertNil(alias["Environment"], "Lambda leaves out an empty environment")
        XCTAssertTrue(succeed("function", "get", "echo:2").stdout.contains("version:     2"))
        assertBadInput(run("function", "get", "echo:7"), mentions: ["7"])
        assertBadInput(run("function", "get", "echo:nope"), mentions: ["nope"])
    }

    func testDryRunTimeline_json_weightsAreWholePercents() throws {
        createFunctionWithTwoVersions("api")
        succeed("alias", "create", "api", "live", "--version", "1")

        let plan = succeed("deploy", "api", "--alias", "live", "--version", "2", "--preference", "Linear3PercentEvery1Minute", "--dry-run", "--output", "json")

        let timeline = try XCTUnwrap(try plan.jsonObject()["timeline"] as? [[String: Any]])
        XCTAssertEqual(timeline.count, 34)
        XCTAssertEqual(timeline.first { $0["offsetSeconds"] as? Double == 18 * 60 }?["weight"] as? Double, 57, "CodeDeploy's percentages are integers")
        XCTAssertFalse(plan.stdout.contains("99999"), plan.stdout)
    }

    // MARK: The checker itself

    func testShapeChecker_flagsUnknownKeysWrongTypesAndValuesOutsideAnEnum() throws {
        let json = Data(#"{"FunctionName": "f", "CodePath": "/x", "Timeout": 3.5, "State": "Ready", "Shift": {"Anything": 1}}"#.utf8)

        let violations = try LambdaShapes.shape("FunctionConfiguration").violations(in: json)

        XCTAssertEqual(violations.count, 3, "\(violations)")
        XCTAssertTrue(violations.contains { $0.hasPrefix("$.CodePath: not a member of FunctionConfiguration") }, "\(violations)")
        XCTAssertTrue(violations.contains { $0.hasPrefix("$.Timeout: expected a whole number") }, "\(violations)")
        XCTAssertTrue(violations.contains { $0.hasPrefix("$.State: expected one of") }, "\(violations)")
    }
}

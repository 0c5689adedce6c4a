import Foundation
import ShiftTestSupport
import XCTest

/// The real `shift` binary on an AWS account backed by moto: the same commands as on the local platform,
/// driving Lambda and CloudWatch, with an alarm fired by an independent second client (boto3).
final class AWSCommandTests: MotoTestCase {
    override class var functionPrefix: String { "cli" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        aws("account", "add", "moto", "--platform", "aws", "--endpoint-url", moto.endpoint.absoluteString, "--role", role!, "--runtime", "python3.12")
    }

    /// Runs shift on the moto account with moto's fake credentials; fails the test unless it exits 0.
    @discardableResult
    func aws(_ arguments: String..., expecting code: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) -> ProcessResult {
        let result = shift.run(["--account", "moto"] + arguments, environment: MotoServer.environment)
        XCTAssertEqual(result.exitCode, code, "\(result)", file: file, line: line)
        XCTAssertFalse("\(result.stdout)\(result.stderr)".contains("moto-secret-never-printed"), "a credential leaked: \(result)", file: file, line: line)
        return result
    }

    func makeCode() throws -> URL {
        let code = directory.url.appendingPathComponent("code-\(function!)")
        try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
        try Data("def handler(event, context):\n    return event\n".utf8).write(to: code.appendingPathComponent("index.py"))
        return code
    }

    func testFunctionLifecycle_publishIsANoOpForUnchangedCode_andAliasGetHasLambdaFields() throws {
        let code = try makeCode()
        aws("function", "create", function, "--code", code.path, "--handler", "index.handler")
        XCTAssertEqual(aws("function", "publish", function).stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1")
        let again = aws("function", "publish", function)
        XCTAssertEqual(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "1")
        XCTAssertTrue(again.stderr.contains("no new version"), again.stderr)
        aws("function", "update", function, "--timeout", "9")
        XCTAssertEqual(aws("function", "publish", function).stdout.trimmingCharacters(in: .whitespacesAndNewlines), "2")

        aws("alias", "create", function, "live", "--version", "1", "--additional-version", "2", "--weight", "0.25")
        let alias = try aws("alias", "get", function, "live", "--output", "json").jsonObject()
        XCTAssertEqual(alias["Name"] as? String, "live")
        XCTAssertEqual(alias["FunctionVersion"] as? String, "1")
        XCTAssertEqual((alias["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double], ["2": 0.25])
        XCTAssertNotNil(alias["RevisionId"] as? String)

        let invoked = try aws("invoke", "\(function!):2", "--payload", #"{"order": 1}"#, "--output", "json").jsonObject()
        XCTAssertEqual(invoked["ExecutedVersion"] as? String, "2")
        XCTAssertEqual(invoked["Payload"] as? String, #"{"order": 1}"#, "moto without Docker echoes the payload")
        XCTAssertTrue(aws("account", "list").stdout.contains("moto"))
    }

    func testEveryLambdaOutput_onAWS_matchesBotocoresShapes_andFunctionGetTakesAQualifier() throws {
        let code = try makeCode()
        let created = try assertLambdaShape(aws("function", "create", function, "--code", code.path, "--handler", "index.handler", "--output", "json"), "FunctionConfiguration")
        XCTAssertNotNil((created["FunctionArn"] as? String)?.hasPrefix("arn:aws:lambda:"), "\(created)")
        XCTAssertTrue(LambdaShapes.isLastModified(created["LastModified"] as? String), "\(created)")
        XCTAssertEqual(created["Runtime"] as? String, "python3.12")
        try assertLambdaShape(aws("function", "update", function, "--timeout", "9", "--output", "json"), "FunctionConfiguration")
        try assertLambdaShape(aws("function", "get", function, "--output", "json"), "FunctionConfiguration")
        try assertLambdaShape(aws("function", "list", "--output", "json"), "ListFunctionsResponse")
        let published = try assertLambdaShape(aws("function", "publish", function, "--output", "json"), "FunctionConfiguration")
        XCTAssertEqual(published["Version"] as? String, "1")
        let versions = try assertLambdaShape(aws("function", "versions", function, "--output", "json"), "ListVersionsByFunctionResponse")
        XCTAssertEqual((versions["Versions"] as? [[String: Any]])?.map { $0["Version"] as? String }, ["1"])
        let version = try assertLambdaShape(aws("function", "get", "\(function!):1", "--output", "json"), "FunctionConfiguration")
        XCTAssertEqual(version["Version"] as? String, "1")
        XCTAssertEqual(version["Timeout"] as? Int, 9)

        let alias = try assertLambdaShape(aws("alias", "create", function, "live", "--version", "1", "--output", "json"), "AliasConfiguration")
        XCTAssertTrue((alias["AliasArn"] as? String)?.hasSuffix(":function:\(function!):live") == true, "\(alias)")
        try assertLambdaShape(aws("alias", "get", function, "live", "--output", "json"), "AliasConfiguration")
        try assertLambdaShape(aws("alias", "update", function, "live", "--description", "prod", "--output", "json"), "AliasConfiguration")
        try assertLambdaShape(aws("alias", "list", function, "--output", "json"), "ListAliasesResponse")
        let throughAlias = try assertLambdaShape(aws("function", "get", "\(function!):live", "--output", "json"), "FunctionConfiguration")
        XCTAssertEqual(throughAlias["FunctionName"] as? String, function)

        let invoked = try assertLambdaShape(aws("invoke", "\(function!):1", "--payload", "{}", "--output", "json"), "InvocationResponse")
        XCTAssertEqual(invoked["StatusCode"] as? Int, 200)
        XCTAssertNotNil(Data(base64Encoded: invoked["LogResult"] as? String ?? "not base64"), "\(invoked)")
    }

    func testMissingFunction_showsTheServiceErrorAndExits2() throws {
        let result = aws("alias", "get", "no-such-function-\(function!)", "live", expecting: 2)
        XCTAssertTrue(result.stderr.hasPrefix("error: ResourceNotFoundException: Function not found"), result.stderr)
    }

    func testLocalOnlyCommands_onAnAWSAccount_areRefusedByThePlatform_namingWhatToUse() throws {
        let metrics = aws("metrics", function, expecting: 2)
        XCTAssertTrue(metrics.stderr.contains("metrics of \(function!) is not available on the AWS platform") && metrics.stderr.contains("CloudWatch"), metrics.stderr)
        let put = aws("alarm", "put", "drill", "--function", function, "--metric", "Errors", "--statistic", "Sum", "--period", "60",
                      "--evaluation-periods", "1", "--threshold", "1", "--comparison", "GreaterThanOrEqualToThreshold", expecting: 2)
        XCTAssertTrue(put.stderr.contains("put-metric-alarm"), put.stderr)
        let key = aws("key", "init", expecting: 2)
        XCTAssertTrue(key.stderr.contains("KMS"), key.stderr)
    }

    func testCanaryDeployment_rollsBackWhenASecondClientSetsTheAlarmToALARM() throws {
        try makeTwoVersions()
        let alarm = "\(function!)-errors"
        try moto.boto3("""
        cw = client("cloudwatch")
        cw.put_metric_alarm(AlarmName="\(alarm)", MetricName="Errors", Namespace="AWS/Lambda", Statistic="Sum", Period=60,
            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold")
        cw.set_alarm_state(AlarmName="\(alarm)", StateValue="OK", StateReason="quiet")
        """)

        let deploy = try shift.start(
            ["--account", "moto", "deploy", function, "--alias", "live", "--version", "2", "--preference", "Canary20Percent20Seconds",
             "--alarm", alarm, "--poll-interval", "0.2", "--output", "json"],
            environment: MotoServer.environment)
        // The second client waits for the canary to be live, then fires the alarm.
        try moto.boto3(waitForCanaryScript + """
        client("cloudwatch").set_alarm_state(AlarmName="\(alarm)", StateValue="ALARM", StateReason="Threshold Crossed: drill")
        """)
        let result = deploy.wait(timeout: 60)
        XCTAssertEqual(result.exitCode, 1, "\(result)")
        XCTAssertTrue(result.stdout.contains("RolledBack"), result.stdout)

        let alias = try aws("alias", "get", function, "live", "--output", "json").jsonObject()
        XCTAssertEqual(alias["FunctionVersion"] as? String, "1")
        XCTAssertEqual((alias["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:], [:])
        let listed = try aws("deployment", "list", "--output", "json").jsonObject()
        let deployments = listed["deployments"] as? [[String: Any]] ?? listed["Deployments"] as? [[String: Any]] ?? []
        XCTAssertEqual(deployments.first?["rolledBack"] as? Bool, true, "\(listed)")
    }

    func testThrottledCall_isRetriedThroughTheRealTransport() throws {
        // A stub on loopback that answers 429 TooManyRequestsException once, then the alias.
        let portFile = directory.url.appendingPathComponent("stub-port")
        let stub = try shift.startShell("""
        exec python3 -c '
        import http.server, json, os, sys
        calls = {"n": 0}
        class H(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                calls["n"] += 1
                if calls["n"] == 1:
                    body = json.dumps({"message": "Rate exceeded"}).encode()
                    self.send_response(429); self.send_header("X-Amzn-ErrorType", "TooManyRequestsException")
                else:
                    body = json.dumps({"Name": "live", "FunctionVersion": "3", "RevisionId": "r-%d" % calls["n"]}).encode()
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
            def log_message(self, *a): pass
        server = http.server.HTTPServer(("127.0.0.1", 0), H)
        with open(sys.argv[1] + ".tmp", "w") as f: f.write(str(server.server_address[1]))
        os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        server.serve_forever()
        ' '\(portFile.path)'
        """)
        defer { stub.killIfRunning() }
        var port = ""
        for _ in 0..<100 where port.isEmpty {
            port = (try? String(contentsOf: portFile, encoding: .utf8)) ?? ""
            Thread.sleep(forTimeInterval: 0.05)
        }
        XCTAssertFalse(port.isEmpty, "the stub did not start")
        aws("account", "add", "stub", "--platform", "aws", "--endpoint-url", "http://127.0.0.1:\(port)")
        let result = shift.run(["--account", "stub", "alias", "get", "f", "live", "--output", "json"], environment: MotoServer.environment)
        XCTAssertEqual(result.exitCode, 0, "\(result)")
        XCTAssertEqual(try result.jsonObject()["FunctionVersion"] as? String, "3")
    }
}

extension AWSCommandTests {
    func testParameters_onSSM_secureStringMaskedUnlessDecrypt_withHistoryAndLabels() throws {
        let name = "/\(function!)/prod/db-password"
        let secret = "s3cret-\(function!)"
        let stdin = shift.run(["--account", "moto", "param", "put", name, "--type", "SecureString", "--value-stdin"],
                              standardInput: Data("\(secret)\n".utf8), environment: MotoServer.environment)
        XCTAssertEqual(stdin.exitCode, 0, "\(stdin)")
        aws("param", "put", "/\(function!)/prod/url", "https://orders.example")
        aws("param", "put", name, "second-\(secret)", "--type", "SecureString", expecting: 2)
        aws("param", "put", name, "second-\(secret)", "--type", "SecureString", "--overwrite")

        let masked = aws("param", "get", name, "--output", "json")
        XCTAssertFalse(masked.stdout.contains(secret), masked.stdout)
        let parameter = try masked.jsonObject()["Parameter"] as? [String: Any]
        XCTAssertEqual(parameter?["Value"] as? String, "****")
        XCTAssertEqual(parameter?["Type"] as? String, "SecureString")
        XCTAssertEqual(parameter?["Version"] as? Int, 2)

        XCTAssertEqual(aws("param", "get", name, "--decrypt").stdout.trimmingCharacters(in: .whitespacesAndNewlines), "second-\(secret)")
        XCTAssertEqual(aws("param", "get", "\(name):1", "--decrypt").stdout.trimmingCharacters(in: .whitespacesAndNewlines), secret)
        aws("param", "label", name, "--version", "1", "stable")
        XCTAssertEqual(aws("param", "get", "\(name):stable", "--decrypt").stdout.trimmingCharacters(in: .whitespacesAndNewlines), secret)

        let listed = aws("param", "list", "--path", "/\(function!)/", "--recursive")
        XCTAssertTrue(listed.stdout.contains(name) && listed.stdout.contains("/\(function!)/prod/url"), listed.stdout)
        XCTAssertFalse(listed.stdout.contains(secret))
        let history = aws("param", "history", name)
        XCTAssertFalse(history.stdout.contains(secret), history.stdout)
        XCTAssertTrue(history.stdout.contains("stable"), history.stdout)
    }

    func testParameterJSON_onSSM_hasSSMShapes_andListShowsDescriptionsNotValues() throws {
        let name = "/\(function!)/prod/db-password"
        let secret = "s3cret-\(function!)"
        aws("param", "put", name, secret, "--type", "SecureString", "--description", "the database password")
        aws("param", "put", "/\(function!)/prod/url", "https://orders.example")
        aws("param", "put", "/\(function!)/prod/deeper/flag", "on")
        aws("param", "label", name, "--version", "1", "stable")

        let get = aws("param", "get", "\(name):stable", "--output", "json")
        XCTAssertEqual(try ServiceModelShape.ssm("GetParameterResult").violations(in: get.standardOutput), [], get.stdout)
        let parameter = try XCTUnwrap(try get.jsonObject()["Parameter"] as? [String: Any])
        XCTAssertEqual(parameter["Value"] as? String, "****")
        XCTAssertTrue((parameter["ARN"] as? String)?.hasPrefix("arn:aws:ssm:") == true, get.stdout)

        let list = aws("param", "list", "--path", "/\(function!)/prod", "--output", "json")
        XCTAssertEqual(try ServiceModelShape.ssm("DescribeParametersResult").violations(in: list.standardOutput), [], list.stdout)
        let listed = try XCTUnwrap(try list.jsonObject()["Parameters"] as? [[String: Any]])
        XCTAssertEqual(listed.compactMap { $0["Name"] as? String }, [name, "/\(function!)/prod/url"], "one level, by name")
        XCTAssertEqual(listed.first?["Description"] as? String, "the database password")
        XCTAssertTrue(listed.allSatisfy { $0["Value"] == nil }, list.stdout)
        let recursive = aws("param", "list", "--path", "/\(function!)/prod", "--recursive")
        XCTAssertTrue(recursive.stdout.contains("deeper/flag") && recursive.stdout.contains("the database password"), recursive.stdout)

        let history = aws("param", "history", name, "--output", "json")
        XCTAssertEqual(try ServiceModelShape.ssm("GetParameterHistoryResult").violations(in: history.standardOutput), [], history.stdout)
        XCTAssertEqual((try history.jsonObject()["Parameters"] as? [[String: Any]])?.first?["Labels"] as? [String], ["stable"])
        for output in [get, list, recursive, history] {
            XCTAssertFalse(output.stdout.contains(secret) || output.stderr.contains(secret), "\(output)")
        }

        aws("param", "delete", name)
        let missing = aws("param", "get", name, expecting: 2)
        XCTAssertTrue(missing.stderr.contains("ParameterNotFound"), missing.stderr)
        let badName = aws("param", "put", "no-slash//x", "v", expecting: 2)
        XCTAssertTrue(badName.stderr.hasPrefix("error:"), badName.stderr)
    }

    func testParameterReferenceInFunctionEnvironment_isRefusedOnAWS() throws {
        let code = try makeCode()
        let result = aws("function", "create", function, "--code", code.path, "--handler", "index.handler", "--env", "DB={{param:/x/y}}", expecting: 2)
        XCTAssertTrue(result.stderr.contains("--env DB={{param:...}}"), result.stderr)
    }
}

extension AWSCommandTests {
    func testAlarmSetState_isCloudWatchSetAlarmState_andGetReadsItBack() throws {
        let alarm = "\(function!)-drill"
        try moto.boto3("""
        client("cloudwatch").put_metric_alarm(AlarmName="\(alarm)", MetricName="Errors", Namespace="AWS/Lambda", Statistic="Sum",
            Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold")
        """)
        aws("alarm", "set-state", alarm, "--state", "ALARM", "--reason", "drill from shift")
        let read = try aws("alarm", "get", alarm, "--output", "json").jsonObject()
        XCTAssertEqual(read["StateValue"] as? String, "ALARM")
        XCTAssertEqual(read["StateReason"] as? String, "drill from shift")
        let seen = try moto.boto3("print(client('cloudwatch').describe_alarms(AlarmNames=['\(alarm)'])['MetricAlarms'][0]['StateValue'])")
        XCTAssertEqual(seen, "ALARM", "the second client sees the drill")
        aws("alarm", "get", "\(alarm)-missing", expecting: 2)
    }
}

extension AWSCommandTests {
    /// Python for the second client: returns once alias `live` has an additional version (the canary is live).
    var waitForCanaryScript: String {
        """
        import time
        lam = client("lambda")
        for _ in range(100):
            if lam.get_alias(FunctionName="\(function!)", Name="live").get("RoutingConfig", {}).get("AdditionalVersionWeights"): break
            time.sleep(0.1)

        """
    }

    /// Versions 1 and 2 of the function and alias `live` at version 1, on moto.
    func makeTwoVersions() throws {
        let code = try makeCode()
        aws("function", "create", function, "--code", code.path, "--handler", "index.handler")
        aws("function", "publish", function)
        aws("function", "update", function, "--description", "v2")
        aws("function", "publish", function)
        aws("alias", "create", function, "live", "--version", "1")
    }

    func testKill9MidCanary_thenRecover_restoresTheOriginalVersionOnLambda() throws {
        try makeTwoVersions()
        let deploy = try shift.start(
            ["--account", "moto", "deploy", function, "--alias", "live", "--version", "2", "--preference", "Canary30Percent30Seconds", "--poll-interval", "0.2"],
            environment: MotoServer.environment)
        try moto.boto3(waitForCanaryScript)
        kill(deploy.processIdentifier, SIGKILL)
        _ = deploy.wait(timeout: 10)

        let recovered = aws("recover")
        XCTAssertTrue(recovered.stdout.contains("rolled back") || recovered.stderr.contains("rolled back"), "\(recovered)")
        let alias = try aws("alias", "get", function, "live", "--output", "json").jsonObject()
        XCTAssertEqual(alias["FunctionVersion"] as? String, "1")
        XCTAssertEqual((alias["RoutingConfig"] as? [String: Any])?["AdditionalVersionWeights"] as? [String: Double] ?? [:], [:])
    }

    func testPreTrafficHook_isALambdaFunctionInvokedWithTheDeployment() throws {
        try makeTwoVersions()
        let hook = "\(function!)-hook"
        let code = try makeCode()
        aws("function", "create", hook, "--code", code.path, "--handler", "index.handler")
        let result = aws("deploy", function, "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--pre-traffic", hook, "--output", "json")
        // moto echoes the hook event back, which has no "status": "Failed", so the hook passes.
        XCTAssertTrue(result.stdout.contains("HookSucceeded"), result.stdout)
        let alias = try aws("alias", "get", function, "live", "--output", "json").jsonObject()
        XCTAssertEqual(alias["FunctionVersion"] as? String, "2")
    }
}

extension AWSCommandTests {
    func testDeployWithCode_zipsPublishesAndShifts_andUnchangedCodeIsNotRepublished() throws {
        try makeTwoVersions()
        let code = directory.url.appendingPathComponent("code-v3-\(function!)")
        try FileManager.default.createDirectory(at: code, withIntermediateDirectories: true)
        try Data("def handler(event, context):\n    return {'v': 3}\n".utf8).write(to: code.appendingPathComponent("index.py"))
        let deployed = aws("deploy", function, "--alias", "live", "--code", code.path, "--preference", "AllAtOnce")
        XCTAssertTrue(deployed.stderr.contains("published \(function!):3"), deployed.stderr)
        let alias = try aws("alias", "get", function, "live", "--output", "json").jsonObject()
        XCTAssertEqual(alias["FunctionVersion"] as? String, "3")
        let versions = try aws("function", "versions", function, "--output", "json").jsonObject()["Versions"] as? [[String: Any]]
        XCTAssertEqual(versions?.count, 3)
    }
}

extension AWSCommandTests {
    func testAccountAdd_refusesABadRegionAndAnEndpointWithCredentials_savingNothing() throws {
        assertBadInput(shift.run(["account", "add", "bad", "--platform", "aws", "--region", "eu west 1"], environment: MotoServer.environment),
                       mentions: ["'eu west 1'", "region"])
        let withPassword = shift.run(["account", "add", "bad", "--platform", "aws", "--endpoint-url", "http://user:hunter2@127.0.0.1:1"], environment: MotoServer.environment)
        XCTAssertEqual(withPassword.exitCode, 2, "\(withPassword)")
        XCTAssertFalse(withPassword.stderr.contains("hunter2"), withPassword.stderr)
        XCTAssertFalse(aws("account", "list").stdout.contains("bad"))
    }
}

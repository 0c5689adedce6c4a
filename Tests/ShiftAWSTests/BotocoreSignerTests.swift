import Foundation
import ShiftAWS
import XCTest

/// shift's SigV4 against botocore's own `SigV4Auth`, for the three request shapes shift sends: a Lambda REST GET,
/// a CloudWatch JSON 1.0 POST, an SSM JSON 1.1 POST, and S3 REST-XML calls (botocore's `S3SigV4Auth`). Botocore signs in a `python3` subprocess with its
/// clock pinned; the test skips only when python3 or botocore is missing.
final class BotocoreSignerTests: XCTestCase {
    static let date = ISO8601DateFormatter().date(from: "2026-01-02T03:04:05Z")!
    static let credentials = AWSCredentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    /// Reads one request as JSON on stdin, signs it with botocore at a frozen time, prints the signed headers.
    /// Botocore takes "now" from `botocore.auth.get_current_datetime` (1.31+); older versions read
    /// `datetime.datetime.utcnow`, so both are pinned.
    static let script = #"""
    import sys, json, datetime
    import botocore.auth as auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    spec = json.load(sys.stdin)
    frozen = datetime.datetime.strptime(spec["date"], "%Y%m%dT%H%M%SZ")
    auth.get_current_datetime = lambda remove_tzinfo=True: frozen
    class FrozenDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls): return frozen
    class FrozenModule: pass
    shim = FrozenModule(); shim.datetime = FrozenDateTime
    for name in dir(datetime):
        if not hasattr(shim, name): setattr(shim, name, getattr(datetime, name))
    auth.datetime = shim
    request = AWSRequest(method=spec["method"], url=spec["url"], data=spec["body"].encode("utf-8"), headers=spec["headers"])
    credentials = Credentials(spec["accessKeyId"], spec["secretAccessKey"], spec.get("sessionToken"))
    signer = auth.S3SigV4Auth if spec["service"] == "s3" else auth.SigV4Auth
    signer(credentials, spec["service"], spec["region"]).add_auth(request)
    print(json.dumps(dict(request.headers.items())))
    """#

    override func setUpWithError() throws {
        let probe = try? Self.run(["python3", "-c", "import botocore"], input: Data())
        guard let probe, probe.status == 0 else { throw XCTSkip("python3 with botocore is not installed") }
    }

    // MARK: - Lambda REST

    func testLambdaGetAlias_matchesBotocore() throws {
        try assertSameAuthorization(
            method: "GET", url: "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/orders/aliases/live",
            service: "lambda")
    }

    func testLambdaGetAliasByARN_doubleEncodesTheColons_likeBotocore() throws {
        try assertSameAuthorization(
            method: "GET",
            url: "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Aorders/aliases/live",
            service: "lambda")
    }

    func testLambdaListAliasesWithQuery_againstMotoPort_matchesBotocore() throws {
        try assertSameAuthorization(
            method: "GET", url: "http://127.0.0.1:5000/2015-03-31/functions/orders/aliases?MaxItems=50&FunctionVersion=%24LATEST",
            service: "lambda")
    }

    func testLambdaUpdateAliasWithTemporaryCredentials_matchesBotocore() throws {
        try assertSameAuthorization(
            method: "PUT", url: "https://lambda.eu-west-1.amazonaws.com/2015-03-31/functions/orders/aliases/live",
            headers: ["Content-Type": "application/json"],
            body: #"{"FunctionVersion":"3","RoutingConfig":{"AdditionalVersionWeights":{"4":0.1}},"RevisionId":"1f2e"}"#,
            service: "lambda", sessionToken: "FwoGZXIvYXdzEXAMPLE//token+with/slashes==")
    }

    // MARK: - CloudWatch JSON 1.0

    func testCloudWatchDescribeAlarms_matchesBotocore() throws {
        try assertSameAuthorization(
            method: "POST", url: "https://monitoring.eu-west-1.amazonaws.com/",
            headers: ["Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "GraniteServiceVersion20100801.DescribeAlarms"],
            body: #"{"AlarmNames":["orders-errors","orders p99 latency"],"AlarmTypes":["MetricAlarm","CompositeAlarm"]}"#,
            service: "monitoring")
    }

    // MARK: - SSM JSON 1.1

    func testSSMGetParameter_matchesBotocore() throws {
        try assertSameAuthorization(
            method: "POST", url: "https://ssm.eu-west-1.amazonaws.com/",
            headers: ["Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.GetParameter"],
            body: #"{"Name": "/orders/database-url", "WithDecryption": true}"#,
            service: "ssm")
    }

    // MARK: - S3 REST-XML

    func testS3ConditionalPutObject_encodesThePathOnce_likeBotocore() throws {
        try assertSameAuthorization(
            method: "PUT", url: "http://127.0.0.1:5000/acme-shift-state/prod/deployments/orders/d-1%3Alive.json",
            headers: ["Content-Type": "application/json", "If-None-Match": "*"], body: #"{"id":"d-1"}"#, service: "s3")
    }

    func testS3ListObjectsV2_matchesBotocore() throws {
        try assertSameAuthorization(
            method: "GET", url: "https://s3.eu-west-1.amazonaws.com/acme-shift-state?list-type=2&prefix=prod%2Findex%2F&max-keys=50",
            service: "s3")
    }

    // MARK: - Helpers

    func assertSameAuthorization(
        method: String, url: String, headers: [String: String] = [:], body: String = "", service: String,
        sessionToken: String? = nil, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let credentials = AWSCredentials(
            accessKeyId: Self.credentials.accessKeyId, secretAccessKey: Self.credentials.secretAccessKey, sessionToken: sessionToken)
        let signer = SigV4Signer(credentials: credentials, region: "eu-west-1", service: service)
        let ours = try signer.sign(method: method, url: URL(string: url)!, headers: headers, body: Data(body.utf8), date: Self.date)

        var spec: [String: Any] = [
            "method": method, "url": url, "headers": headers, "body": body, "service": service, "region": "eu-west-1",
            "date": "20260102T030405Z", "accessKeyId": credentials.accessKeyId, "secretAccessKey": credentials.secretAccessKey,
        ]
        if let sessionToken { spec["sessionToken"] = sessionToken }
        let result = try Self.run(["python3", "-c", Self.script], input: try JSONSerialization.data(withJSONObject: spec))
        XCTAssertEqual(result.status, 0, String(decoding: result.stderr, as: UTF8.self), file: file, line: line)
        let theirs = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: String], file: file, line: line)

        XCTAssertEqual(theirs["X-Amz-Date"], "20260102T030405Z", "botocore's clock was not pinned", file: file, line: line)
        XCTAssertEqual(ours["X-Amz-Date"], theirs["X-Amz-Date"], file: file, line: line)
        XCTAssertEqual(ours["X-Amz-Security-Token"], theirs["X-Amz-Security-Token"], file: file, line: line)
        XCTAssertEqual(ours["X-Amz-Content-Sha256"], theirs["X-Amz-Content-SHA256"], file: file, line: line)
        XCTAssertNotNil(ours["Authorization"], file: file, line: line)
        XCTAssertEqual(ours["Authorization"], theirs["Authorization"], file: file, line: line)
    }

    struct ProcessResult {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    static func run(_ arguments: [String], input: Data) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        // Small outputs: reading to end before waiting cannot deadlock on a full pipe.
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ProcessResult(status: process.terminationStatus, stdout: out, stderr: err)
    }
}

import Foundation
import ShiftTestSupport
import XCTest

/// Bad shared state with the real binary on moto: a prefix that is not shift's, a bucket gone, credentials
/// without permission. Each is one line naming the bucket and key, exit 2, and nothing changes.
extension SharedStateTests {
    /// A pipeline file whose one aws account keeps its state at `state`, with one build stage.
    func writePipeline(state: String, kmsKey: String? = nil) throws -> URL {
        let source = directory.url.appendingPathComponent("source-\(function!)")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try Data("echo hi\n".utf8).write(to: source.appendingPathComponent("build.sh"))
        let file = directory.url.appendingPathComponent("state-\(Int.random(in: 0..<1_000_000)).yml")
        try Data("""
            name: claimed
            accounts:
              moto: {platform: aws, region: \(MotoServer.region), endpoint: '\(moto.endpoint.absoluteString)', state: '\(state)'\(kmsKey.map { ", stateKmsKey: '\($0)'" } ?? "")}
            source: {directory: \(source.path)}
            stages:
              - {name: build, type: build, commands: ['sh build.sh']}
            """.utf8).write(to: file)
        return file
    }

    func keys(under prefix: String) throws -> [String] {
        try moto.boto3("print('\\n'.join(sorted(o['Key'] for o in client('s3').list_objects_v2(Bucket='\(bucket!)', Prefix='\(prefix)').get('Contents', []))))")
            .split(separator: "\n").map(String.init)
    }

    func testPipelineRun_onAPrefixHoldingForeignObjects_isRefusedWithExit2_namingBucketAndKey_andWritesNothing() throws {
        _ = try moto.boto3("client('s3').put_object(Bucket='\(bucket!)', Key='foreign/terraform.tfstate', Body=b'{}')")
        let refused = shift.run(["pipeline", "run", try writePipeline(state: "s3://\(bucket!)/foreign").path, "--no-wait"], environment: environment)
        XCTAssertEqual(refused.exitCode, 2, "\(refused)")
        XCTAssertTrue(refused.stderr.contains("s3://\(bucket!)/foreign/terraform.tfstate"), refused.stderr)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
        XCTAssertEqual(try keys(under: "foreign/"), ["foreign/terraform.tfstate"], "nothing written among objects shift does not own")
    }

    func testPipelineRun_onAnEmptyPrefix_claimsIt_andEncryptsWithTheStateKmsKey() throws {
        let started = shift.run(["pipeline", "run", try writePipeline(state: "s3://\(bucket!)/fresh", kmsKey: "alias/shift-state").path, "--no-wait"],
                                environment: environment)
        XCTAssertEqual(started.exitCode, 0, "\(started)")
        let stored = try keys(under: "fresh/")
        XCTAssertTrue(stored.contains("fresh/shift-state.json"), "\(stored)")
        let run = try XCTUnwrap(stored.first { $0.hasSuffix("/run.json") }, "\(stored)")
        let encryption = try moto.boto3("""
            head = client('s3').head_object(Bucket='\(bucket!)', Key='\(run)')
            print(head.get('ServerSideEncryption'), head.get('SSEKMSKeyId'))
            """)
        XCTAssertTrue(encryption.hasPrefix("aws:kms "), encryption)
        XCTAssertTrue(encryption.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("alias/shift-state"), encryption)
    }

    func testABucketDeletedAfterTheAccountWasAdded_isExit2_namingIt_andTheAliasIsUntouched() throws {
        try makeTwoVersions()
        _ = try moto.boto3("""
            s3 = client('s3')
            for o in s3.list_objects_v2(Bucket='\(bucket!)').get('Contents', []): s3.delete_object(Bucket='\(bucket!)', Key=o['Key'])
            s3.delete_bucket(Bucket='\(bucket!)')
            """)
        for arguments in [["deployment", "list", "--function", function!], ["deploy", function!, "--alias", "live", "--version", "2", "--preference", "AllAtOnce"]] {
            let result = shift.run(["--account", "moto"] + arguments, environment: environment)
            XCTAssertEqual(result.exitCode, 2, "\(arguments): \(result)")
            XCTAssertTrue(result.stderr.contains("s3://\(bucket!)/team does not exist"), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
        }
        XCTAssertEqual(try alias(on: machineB)["FunctionVersion"] as? String, "1", "nothing deployed")
    }

    func testCredentialsWithoutPermission_areExit2_namingTheBucketAndKey_andNothingChanges() throws {
        try makeTwoVersions()
        // An IAM user with no policy: once moto checks credentials, S3 denies it everything.
        let keys = try moto.boto3("""
            iam = client('iam')
            iam.create_user(UserName='nobody-\(function!)')
            key = iam.create_access_key(UserName='nobody-\(function!)')['AccessKey']
            print(key['AccessKeyId'], key['SecretAccessKey'])
            """).split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var denied = environment
        denied["AWS_ACCESS_KEY_ID"] = keys[0]
        denied["AWS_SECRET_ACCESS_KEY"] = keys[1]
        try moto.setAuthentication(checked: true)
        defer { try? moto.setAuthentication(checked: false) }
        for arguments in [["deployment", "list", "--function", function!], ["deploy", function!, "--alias", "live", "--version", "2", "--preference", "AllAtOnce"]] {
            let result = shift.run(["--account", "moto"] + arguments, environment: denied)
            XCTAssertEqual(result.exitCode, 2, "\(arguments): \(result)")
            XCTAssertTrue(result.stderr.contains("access to s3://\(bucket!)/team/"), result.stderr)
            XCTAssertTrue(result.stderr.contains("AccessDenied"), result.stderr)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertFalse(result.stderr.contains(keys[1]), "a secret leaked: \(result.stderr)")
        }
        try moto.setAuthentication(checked: false)
        XCTAssertEqual(try alias(on: machineB)["FunctionVersion"] as? String, "1", "nothing deployed")
    }
}

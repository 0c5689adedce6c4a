import Foundation
import ShiftTestSupport
import XCTest

/// Bad shared state with the real binary on moto: a prefix that is not shift's is one line naming the bucket
/// and key, exit 2, and nothing changes.
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
}

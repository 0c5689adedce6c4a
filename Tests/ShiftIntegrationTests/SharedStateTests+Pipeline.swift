import Foundation
import ShiftTestSupport
import XCTest

/// A pipeline run on shared state with the real binary: started on one machine, approved and resumed on another
/// that shares nothing with it but the bucket.
extension SharedStateTests {
    func testPipelineRun_startedOnA_approvedAndResumedOnB_deploysWhatABuilt() throws {
        let source = directory.url.appendingPathComponent("source-\(function!)")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try Data("def handler(event, context):\n    return event\n".utf8).write(to: source.appendingPathComponent("index.py"))
        let file = directory.url.appendingPathComponent("shared.yml")
        try Data("""
            name: shared
            accounts:
              moto: {platform: aws, region: \(MotoServer.region), endpoint: '\(moto.endpoint.absoluteString)', role: '\(role!)', runtime: python3.12, state: 's3://\(bucket!)/team'}
            source: {directory: \(source.path)}
            functions: {\(function!): {artifact: code, handler: index.handler, timeout: 5}}
            stages:
              - {name: build, type: build, account: moto, commands: ['mkdir -p out && cp index.py out/ && echo "built on $(hostname) $$" > out/BUILT'], artifacts: {code: out}}
              - {name: approve-prod, type: approval, approvers: [alice]}
              - {name: ship, type: deploy, account: moto, functions: [{function: \(function!), alias: live, preference: AllAtOnce}]}
            """.utf8).write(to: file)

        // Runner A builds and stops at the gate: exit 3, nothing deployed.
        let started = shift.run(["pipeline", "run", file.path, "--no-wait"], environment: environment)
        XCTAssertEqual(started.exitCode, 3, "\(started)")
        let runID = try XCTUnwrap(started.stdout.split(separator: "\n").first?.split(separator: " ").last.map(String.init))

        // Machine B sees the run in the bucket, approves it and resumes it.
        let status = try run(on: machineB, "pipeline", "status", runID, "--output", "json").jsonObject()
        XCTAssertEqual(status["status"] as? String, "Waiting", "\(status)")
        run(on: machineB, "approve", runID, "--stage", "approve-prod", "--by", "alice", "--comment", "from the laptop")
        let resumed = run(on: machineB, "pipeline", "resume", runID)
        XCTAssertTrue(resumed.stdout.contains("published version 1"), resumed.stdout)

        // B published the artifact A built: Lambda's CodeSha256 of version 1 is what B's log says it checked.
        let reported = try moto.boto3("print(client('lambda').get_function_configuration(FunctionName='\(function!)', Qualifier='1')['CodeSha256'])")
        let log = run(on: machineB, "pipeline", "logs", runID, "--stage", "ship").stdout
        XCTAssertTrue(log.contains("CodeSha256 \(reported)"), log)
        // A sees the run finished by B.
        let finished = try run(on: shift, "pipeline", "status", runID, "--output", "json").jsonObject()
        XCTAssertEqual(finished["status"] as? String, "Succeeded", "\(finished)")
    }
}

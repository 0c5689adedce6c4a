import ShiftCore
import ShiftPipeline
import ShiftTestSupport
import XCTest

final class PipelineParserTests: XCTestCase {
    /// The package's `Pipelines/` directory.
    static let pipelinesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Pipelines")

    static let minimal = """
        name: shop
        accounts:
          dev: {platform: local}
        source: {directory: .}
        functions:
          api: {artifact: api, handler: ./handler.sh}
        stages:
          - name: build
            type: build
            commands: [make]
            artifacts: {api: out}
          - name: dev
            type: deploy
            account: dev
            functions:
              - {function: api, alias: live, preference: AllAtOnce}

        """

    private func issues(_ text: String) -> [FileIssue] {
        PipelineParser.parse(text, file: "p.yml").issues
    }

    private func assertIssue(_ text: String, line: Int, column: Int? = nil, field: String, mentions fragment: String, file: StaticString = #filePath, sourceLine: UInt = #line) {
        let found = issues(text)
        guard let issue = found.first(where: { $0.field == field }) else {
            XCTFail("no issue for \(field) in \(found.map(\.description))", file: file, line: sourceLine)
            return
        }
        XCTAssertEqual(issue.line, line, "\(issue)", file: file, line: sourceLine)
        if let column { XCTAssertEqual(issue.column, column, "\(issue)", file: file, line: sourceLine) }
        XCTAssertTrue(issue.message.contains(fragment), "\(issue)", file: file, line: sourceLine)
        XCTAssertTrue(issue.description.hasPrefix("p.yml:\(line):"), issue.description, file: file, line: sourceLine)
    }

    func testMinimalPipeline_parsesWithDefaults() throws {
        let outcome = PipelineParser.parse(Self.minimal, file: "p.yml")
        XCTAssertEqual(outcome.issues, [])
        let pipeline = try XCTUnwrap(outcome.pipeline)
        XCTAssertEqual(pipeline.name, "shop")
        XCTAssertEqual(pipeline.stages.map(\.name), ["build", "dev"])
        guard case let .build(build) = pipeline.stages[0].kind, case let .deploy(deploy) = pipeline.stages[1].kind else { return XCTFail("kinds") }
        XCTAssertEqual(build.account, "dev", "a build stage resolves parameters from the first account by default")
        XCTAssertEqual(build.timeout, CommandStage.defaultTimeout)
        XCTAssertEqual(build.artifacts, [ArtifactDeclaration(name: "api", path: "out")])
        XCTAssertEqual(deploy.concurrency, DeployStage.defaultConcurrency)
        XCTAssertEqual(deploy.functions.first?.preference.name, "AllAtOnce")
        XCTAssertEqual(pipeline.account("dev")?.localAccount, "dev")
    }

    func testFunctionRuntime_isReadWithItsHandler() throws {
        let text = Self.minimal.replacingOccurrences(of: "api: {artifact: api, handler: ./handler.sh}", with: "api: {artifact: api, runtime: python3.12, handler: pkg/app.lambda_handler}")
        let outcome = PipelineParser.parse(text, file: "p.yml")
        XCTAssertEqual(outcome.issues, [])
        XCTAssertEqual(outcome.pipeline?.functions.first?.runtime, "python3.12")
        XCTAssertEqual(outcome.pipeline?.functions.first?.handler, "pkg/app.lambda_handler")
        XCTAssertNil(PipelineParser.parse(Self.minimal, file: "p.yml").pipeline?.functions.first?.runtime, "no runtime: a command handler")
    }

    func testFunctionRuntime_badRuntimeOrHandler_isReportedAtItsPosition() {
        assertIssue(Self.minimal.replacingOccurrences(of: "api: {artifact: api, handler: ./handler.sh}", with: "api: {artifact: api, runtime: Python 3, handler: app.handler}"),
                    line: 6, column: 33, field: "functions.api.runtime", mentions: "expected a Lambda runtime identifier")
        assertIssue(Self.minimal.replacingOccurrences(of: "api: {artifact: api, handler: ./handler.sh}", with: "api: {artifact: api, runtime: nodejs22.x, handler: ./handler.sh}"),
                    line: 6, column: 54, field: "functions.api.handler", mentions: "MODULE.FUNCTION for nodejs22.x")
    }

    func testJSONFile_isAccepted() throws {
        let json = """
            {"name": "shop", "accounts": {"dev": {"platform": "local"}}, "source": {"directory": "."},
             "functions": {"api": {"artifact": "api", "handler": "./handler.sh"}},
             "stages": [{"name": "build", "type": "build", "commands": ["make"], "artifacts": {"api": "out"}},
                        {"name": "dev", "type": "deploy", "account": "dev", "functions": [{"function": "api", "alias": "live", "preference": "AllAtOnce"}]},
                        {"name": "gate", "type": "approval", "timeout": 30}]}
            """
        let outcome = PipelineParser.parse(json, file: "p.json")
        XCTAssertEqual(outcome.issues, [])
        XCTAssertEqual(outcome.pipeline?.stages.count, 3)
        XCTAssertEqual(outcome.warnings.count, 1, "a 30-second approval is fine for tests but warned about")
    }

    func testEveryExample_validates() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.pipelinesDirectory.path).filter { $0.hasSuffix(".yml") }
        XCTAssertGreaterThanOrEqual(files.count, 1)
        for file in files {
            let path = Self.pipelinesDirectory.appendingPathComponent(file).path
            XCTAssertNoThrow(try PipelineParser.load(path: path), file)
        }
    }

    func testUnknownKey_isReportedAtItsLineAndColumn_withASuggestion() {
        let text = Self.minimal.replacingOccurrences(of: "api: {artifact: api, handler: ./handler.sh}", with: "api: {artifact: api, handler: ./handler.sh, timout: 3}")
        assertIssue(text, line: 6, column: 47, field: "functions.api.timout", mentions: "did you mean 'timeout'?")
    }

    func testWrongType_saysWhatIsExpected() {
        let text = Self.minimal.replacingOccurrences(of: "commands: [make]", with: "commands: {make: all}")
        assertIssue(text, line: 10, column: 15, field: "stages[0].commands", mentions: "expected a list of shell commands")
    }

    func testUnknownPreference_isReportedWithTheAcceptedForms() {
        let text = Self.minimal.replacingOccurrences(of: "preference: AllAtOnce", with: "preference: Linear0Percent")
        assertIssue(text, line: 16, field: "stages[1].functions[0].preference", mentions: "Canary10Percent5Minutes")
    }

    func testMoreThanTenAlarms_isAnError() {
        let alarms = (1...11).map { "a\($0)" }.joined(separator: ", ")
        let text = Self.minimal.replacingOccurrences(of: "preference: AllAtOnce}", with: "preference: AllAtOnce, alarms: [\(alarms)]}")
        assertIssue(text, line: 16, field: "stages[1].functions[0].alarms", mentions: "at most 10")
    }

    func testDeployToUndeclaredAccount_namesTheDeclaredOnes() {
        let text = Self.minimal.replacingOccurrences(of: "account: dev", with: "account: prod")
        assertIssue(text, line: 14, column: 14, field: "stages[1].account", mentions: "(declared: dev)")
    }

    func testDeployOfUndeclaredFunction_isAnError() {
        let text = Self.minimal.replacingOccurrences(of: "{function: api,", with: "{function: web,")
        assertIssue(text, line: 16, field: "stages[1].functions[0].function", mentions: "not declared under functions")
    }

    func testFunctionWithUndeclaredArtifact_isAnError() {
        let text = Self.minimal.replacingOccurrences(of: "{artifact: api,", with: "{artifact: web,")
        assertIssue(text, line: 6, field: "functions.api.artifact", mentions: "no build or test stage declares")
    }

    func testDeployBeforeItsArtifactIsBuilt_isAnError() {
        let text = """
            name: shop
            accounts: {dev: {platform: local}}
            source: {directory: .}
            functions: {api: {artifact: api, handler: h}}
            stages:
              - {name: dev, type: deploy, account: dev, functions: [{function: api, alias: live, preference: AllAtOnce}]}
              - {name: build, type: build, commands: [make], artifacts: {api: out}}
            """
        assertIssue(text, line: 6, field: "stages[0].functions[0].function", mentions: "no build or test stage before this one")
    }

    func testUndeclaredParameter_isAnError_declaredOneIsNot() {
        let text = Self.minimal.replacingOccurrences(of: "commands: [make]", with: "commands: ['make TOKEN={{param:/shop/token}}']")
        assertIssue(text, line: 10, field: "stages[0].commands[0]", mentions: "parameter /shop/token, which is not declared")
        let declared = text.replacingOccurrences(of: "source: {directory: .}", with: "source: {directory: .}\nparameters: [/shop/token]")
        XCTAssertEqual(issues(declared), [])
    }

    func testDuplicateStageNames_areAnError() {
        let text = Self.minimal.replacingOccurrences(of: "- name: dev", with: "- name: build")
        assertIssue(text, line: 12, field: "stages[1].name", mentions: "used by an earlier stage")
    }

    func testApprovalTimeoutKeyWithoutValue_isAnError_andAbsentKeyDefaultsToSevenDays() throws {
        let gate = Self.minimal + "  - name: gate\n    type: approval\n    timeout:\n"
        assertIssue(gate, line: 19, field: "stages[2].timeout", mentions: "has no value")
        let defaulted = Self.minimal + "  - name: gate\n    type: approval\n"
        guard case let .approval(approval)? = PipelineParser.parse(defaulted, file: "p.yml").pipeline?.stages.last?.kind else { return XCTFail("no approval stage") }
        XCTAssertEqual(approval.timeout, 7 * 86_400)
    }

    func testApprovalTimeout_acceptsSecondsAndDurations() {
        for (text, seconds) in [("45", 45.0), ("5m", 300), ("2h", 7200), ("7d", 604_800)] {
            let gate = Self.minimal + "  - name: gate\n    type: approval\n    timeout: \(text)\n"
            guard case let .approval(approval)? = PipelineParser.parse(gate, file: "p.yml").pipeline?.stages.last?.kind else { return XCTFail(text) }
            XCTAssertEqual(approval.timeout, seconds, text)
        }
    }

    /// The same reading as every command-line duration (`DurationBounds`): `7d` is 7 days in both.
    func testDurationFields_parseAsTheCommandLineDoes() throws {
        let text = Self.minimal
            .replacingOccurrences(of: "commands: [make]", with: "commands: [make]\n    timeout: 1d12h")
            .replacingOccurrences(of: "preference: AllAtOnce}", with: "preference: AllAtOnce, hookTimeout: 7d, bake: 0.5, pollInterval: 30s}")
            + "  - {name: gate, type: approval, timeout: 7d}\n"
        let pipeline = try XCTUnwrap(PipelineParser.parse(text, file: "p.yml").pipeline, "\(issues(text))")
        guard case let .build(build) = pipeline.stages[0].kind, case let .deploy(deploy) = pipeline.stages[1].kind,
              case let .approval(approval) = pipeline.stages[2].kind else { return XCTFail("kinds") }
        XCTAssertEqual(build.timeout, 129_600)
        XCTAssertEqual(deploy.functions[0].hookTimeout, try DurationBounds.timeout.parse("7d", field: "--hook-timeout"))
        XCTAssertEqual(deploy.functions[0].bake, 0.5)
        XCTAssertEqual(deploy.functions[0].pollInterval, 30)
        XCTAssertEqual(approval.timeout, 604_800)
    }

    /// The audit's crashes: each validated, then trapped converting to nanoseconds, or waited for centuries.
    func testDurationOutOfBounds_isAPositionedIssue_namingTheRange() {
        let stage = Self.minimal.replacingOccurrences(of: "commands: [make]", with: "commands: [make]\n    timeout: 2e10")
        assertIssue(stage, line: 11, column: 14, field: "stages[0].timeout", mentions: "is '2e10'; expected a duration from 0.001s to 7d")
        let hook = Self.minimal.replacingOccurrences(of: "preference: AllAtOnce}", with: "preference: AllAtOnce, hookTimeout: 604801}")
        assertIssue(hook, line: 16, field: "stages[1].functions[0].hookTimeout", mentions: "from 0.001s to 7d")
        let bake = Self.minimal.replacingOccurrences(of: "preference: AllAtOnce}", with: "preference: AllAtOnce, bake: 1e308}")
        assertIssue(bake, line: 16, field: "stages[1].functions[0].bake", mentions: "from 0s to 7d")
        let poll = Self.minimal.replacingOccurrences(of: "preference: AllAtOnce}", with: "preference: AllAtOnce, pollInterval: 0.000001}")
        assertIssue(poll, line: 16, field: "stages[1].functions[0].pollInterval", mentions: "from 0.01s to 1h")
        let gate = Self.minimal + "  - {name: gate, type: approval, timeout: 1e308}\n"
        assertIssue(gate, line: 17, field: "stages[2].timeout", mentions: "from 0.001s to 30d")
        let alarm = Self.minimal.replacingOccurrences(of: "preference: AllAtOnce}", with: "preference: AllAtOnce, alarms: [{name: e, metric: Errors, threshold: 1, period: inf}]}")
        assertIssue(alarm, line: 16, field: "stages[1].functions[0].alarms[0].period", mentions: "from 1s to 1d")
    }

    /// Yams composes recursively: 7,000 levels overflowed the stack (a segfault) before this check.
    func testNestingThousandsOfLevels_isOneIssueAtItsPosition() {
        let flow = "name: " + String(repeating: "[", count: 7_000) + String(repeating: "]", count: 7_000) + "\n"
        let block = "name: x\naccounts:\n" + (1...7_000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + "\n"
        let dashes = "stages:\n" + String(repeating: "- ", count: 7_000) + "x\n"
        let mappings = "a: " + String(repeating: "{a: ", count: 7_000) + "1" + String(repeating: "}", count: 7_000) + "\n"
        for (name, text, line, column) in [("flow", flow, 1, 70), ("block", block, 66, 65), ("dashes", dashes, 2, 127), ("mappings", mappings, 1, 256)] {
            let found = issues(text)
            XCTAssertEqual(found.count, 1, name)
            XCTAssertEqual(found.first.map { "\($0.line):\($0.column)" }, "\(line):\(column)", name)
            XCTAssertEqual(found.first?.message.contains("nests deeper than \(64) levels"), true, name)
        }
    }

    /// Brackets in quotes, comments and block scalars are text, not nesting: a real file is not refused.
    func testBracketsInTextAndComments_areNotNesting() throws {
        let brackets = String(repeating: "[{", count: 100)
        let text = Self.minimal
            .replacingOccurrences(of: "commands: [make]", with: "commands: ['echo \(brackets)', \"echo \(brackets)\"]  # \(brackets)")
            .replacingOccurrences(of: "name: shop", with: "name: shop\n# \(brackets)")
            + "  - name: check\n    type: test\n    commands:\n      - |\n        echo '\(brackets)'\n        echo \(brackets)\n"
        XCTAssertEqual(issues(text), [])
    }

    /// A ref beginning with '-' reached `git checkout` as an option.
    func testGitRefBeginningWithADash_isAnError() {
        let text = Self.minimal.replacingOccurrences(of: "source: {directory: .}", with: "source: {git: https://example.com/shop.git, ref: --orphan=x}")
        assertIssue(text, line: 4, column: 50, field: "source.ref", mentions: "never begins with '-'")
    }

    func testSeveralErrors_areAllReported_inFileOrder() {
        let text = Self.minimal
            .replacingOccurrences(of: "platform: local", with: "platform: lokal")
            .replacingOccurrences(of: "preference: AllAtOnce", with: "preference: Sometimes")
            .replacingOccurrences(of: "type: build", with: "type: compile")
        let found = issues(text)
        XCTAssertEqual(found.map(\.field), ["accounts.dev.platform", "stages[0].type", "stages[1].functions[0].preference"], "each mistake once, no cascades")
        XCTAssertEqual(found.map(\.line), found.map(\.line).sorted())
    }

    func testSyntaxError_hasAPosition() {
        let found = issues("name: [unclosed\naccounts: {}\n")
        XCTAssertEqual(found.count, 1)
        XCTAssertGreaterThan(found[0].line, 1)
        XCTAssertTrue(found[0].message.contains("not valid YAML"), found[0].description)
    }

    func testAWSAccount_isAcceptedByTheModel() throws {
        let text = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: aws, region: eu-west-1}")
        XCTAssertEqual(issues(text), [])
    }

    func testAWSAccount_carriesRoleAndRuntime() throws {
        let text = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: aws, region: eu-west-1, endpoint: 'http://127.0.0.1:5000', role: 'arn:aws:iam::123456789012:role/shift', runtime: python3.12}")
        let account = try XCTUnwrap(PipelineParser.parse(text, file: "p.yml").pipeline?.account("dev"))
        XCTAssertEqual(account, PipelineAccount(name: "dev", platform: .aws, region: "eu-west-1", endpoint: "http://127.0.0.1:5000", role: "arn:aws:iam::123456789012:role/shift", runtime: "python3.12"))
    }

    func testStateOnAnAWSAccount_isParsed_andABadOneIsAnErrorAtItsLine() throws {
        let good = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: aws, region: eu-west-1, state: 's3://acme-shift-state/prod'}")
        let account = try XCTUnwrap(PipelineParser.parse(good, file: "p.yml").pipeline?.account("dev"))
        XCTAssertEqual(account.state, try SharedStateLocation(parsing: "s3://acme-shift-state/prod"))

        let bad = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: aws, state: 's3://Acme_State/prod'}")
        let found = issues(bad)
        XCTAssertEqual(found.map(\.field), ["accounts.dev.state"], "\(found)")
        XCTAssertTrue(found.first?.message.contains("s3://BUCKET/PREFIX") == true, "\(found)")
        XCTAssertGreaterThan(found.first?.line ?? 0, 0)

        let local = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: local, state: 's3://acme-shift-state/prod'}")
        XCTAssertTrue(issues(local).contains { $0.field == "accounts.dev.state" && $0.message.contains("aws accounts only") }, "\(issues(local))")
    }

    func testStateKmsKey_isParsed_andABadOneOrOneWithoutStateIsAnErrorAtItsLine() throws {
        let good = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: aws, region: eu-west-1, state: 's3://acme-shift-state/prod', stateKmsKey: alias/shift-state}")
        let account = try XCTUnwrap(PipelineParser.parse(good, file: "p.yml").pipeline?.account("dev"))
        XCTAssertEqual(account.stateKMSKey, "alias/shift-state")

        let bad = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: aws, state: 's3://acme-shift-state/prod',\n    stateKmsKey: 'my key'}")
        let found = issues(bad)
        XCTAssertEqual(found.map(\.field), ["accounts.dev.stateKmsKey"], "\(found)")
        XCTAssertTrue(found.first?.message.contains("is 'my key'; expected a KMS key id") == true, "\(found)")
        let line = try XCTUnwrap(bad.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("stateKmsKey") }) + 1
        XCTAssertEqual(found.first?.line, line, "the error points at the key's own line")

        let withoutState = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: aws, stateKmsKey: alias/shift-state}")
        XCTAssertTrue(issues(withoutState).contains { $0.field == "accounts.dev.stateKmsKey" && $0.message.contains("give the account 'state: s3://BUCKET/PREFIX' too") }, "\(issues(withoutState))")
        let local = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: local, stateKmsKey: alias/shift-state}")
        XCTAssertTrue(issues(local).contains { $0.field == "accounts.dev.stateKmsKey" && $0.message.contains("aws accounts only") }, "\(issues(local))")
    }

    func testRoleOnALocalAccount_isAnError() {
        let text = Self.minimal.replacingOccurrences(of: "dev: {platform: local}", with: "dev: {platform: local, role: arn}")
        XCTAssertTrue(issues(text).contains { $0.field == "accounts.dev.role" && $0.message.contains("aws accounts only") }, "\(issues(text))")
    }

    func testInlineAlarmOnAnAWSAccount_isAnErrorAtTheAlarm() throws {
        let text = """
            name: shop
            accounts: {prod: {platform: aws, region: eu-west-1}}
            source: {directory: ./src}
            functions: {api: {artifact: api, handler: index.handler}}
            stages:
              - {name: build, type: build, commands: [true], artifacts: {api: .}}
              - name: prod
                type: deploy
                account: prod
                functions:
                  - function: api
                    alias: live
                    preference: AllAtOnce
                    alarms: [api-errors, {name: api-slow, metric: Duration, threshold: 100}]
            """
        let found = issues(text)
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertEqual(found.first?.field, "stages[1].functions[0].alarms[1]")
        XCTAssertEqual(found.first?.line, 14)
        XCTAssertTrue(found.first?.message.contains("existing CloudWatch alarm") == true, "\(found)")
    }

    func testParameterInAFunctionEnvironmentOnAnAWSAccount_isAnError_butNotInCommands() throws {
        let text = """
            name: shop
            accounts: {prod: {platform: aws, region: eu-west-1}}
            source: {directory: ./src}
            parameters: [/shop/token]
            functions: {api: {artifact: api, handler: index.handler, environment: {TOKEN: '{{param:/shop/token}}'}}}
            stages:
              - {name: build, type: build, account: prod, commands: ['echo {{param:/shop/token}}'], artifacts: {api: .}}
              - {name: prod, type: deploy, account: prod, functions: [{function: api, alias: live, preference: AllAtOnce, environment: {KEY: 'x{{param:/shop/token}}'}}]}
            """
        let found = issues(text)
        XCTAssertEqual(Set(found.map(\.field)), ["stages[1].functions[0].environment", "stages[1].functions[0].function"], "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.message.contains("{{param:...}}") && $0.line == 8 }, "\(found)")
        XCTAssertTrue(found.contains { $0.message.contains("function api's environment sets TOKEN") }, "\(found)")
    }

    /// Mutated copies of every example (lines dropped, duplicated, swapped, characters changed, truncated) never
    /// crash the parser, and whatever they report has a position inside the file.
    func testMutatedExamples_neverCrash_andEveryIssueHasAPosition() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.pipelinesDirectory.path).filter { $0.hasSuffix(".yml") }.sorted()
        var generator = SeededGenerator(seed: 6)
        let replacements = ["", ":", "- ", "{", "}", "[", "]", "'", "\"", "#", "\t", "&a", "*a", "!!int ", "~", "0", "-1", "1e999", "\u{0}", "é", "{{param:", "}}"]
        var reported = 0
        for file in files {
            let text = try String(contentsOf: Self.pipelinesDirectory.appendingPathComponent(file), encoding: .utf8)
            let lines = text.components(separatedBy: "\n")
            for _ in 0..<120 {
                var mutated = lines
                switch Int.random(in: 0..<5, using: &generator) {
                case 0: mutated.remove(at: Int.random(in: 0..<mutated.count, using: &generator))
                case 1: let index = Int.random(in: 0..<mutated.count, using: &generator); mutated.insert(mutated[index], at: index)
                case 2: mutated.swapAt(Int.random(in: 0..<mutated.count, using: &generator), Int.random(in: 0..<mutated.count, using: &generator))
                case 3:
                    let index = Int.random(in: 0..<mutated.count, using: &generator)
                    var characters = Array(mutated[index])
                    if !characters.isEmpty {
                        let at = Int.random(in: 0..<characters.count, using: &generator)
                        characters.replaceSubrange(at...at, with: Array(replacements.randomElement(using: &generator)!))
                    }
                    mutated[index] = String(characters)
                default: mutated = Array(mutated.prefix(Int.random(in: 0..<mutated.count, using: &generator)))
                }
                let mutatedText = mutated.joined(separator: "\n")
                let outcome = PipelineParser.parse(mutatedText, file: file)
                XCTAssertTrue(outcome.pipeline != nil || !outcome.issues.isEmpty)
                for issue in outcome.issues {
                    XCTAssertGreaterThanOrEqual(issue.line, 1, issue.description)
                    XCTAssertLessThanOrEqual(issue.line, mutated.count + 1, issue.description)
                    XCTAssertGreaterThanOrEqual(issue.column, 1, issue.description)
                }
                reported += outcome.issues.isEmpty ? 0 : 1
            }
        }
        XCTAssertGreaterThan(reported, 0)
    }
}

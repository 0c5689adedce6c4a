import Foundation
import XCTest

/// Bad input, each case run as a process: exit 2, an error line naming the field or file and what would fix it,
/// nothing on stdout, and the state directory byte for byte as it was.
final class BadInputTests: ShiftIntegrationTestCase {
    /// `echo` has versions 1 and 2; `echo:live` points at 1.
    override func setUpWithError() throws {
        try super.setUpWithError()
        createFunctionWithTwoVersions("echo")
        succeed("alias", "create", "echo", "live", "--version", "1")
    }

    private var functionFile: URL { stateDirectory.appendingPathComponent("accounts/default/functions/echo/function.json") }
    private var aliasFile: URL { stateDirectory.appendingPathComponent("accounts/default/functions/echo/aliases/live.json") }

    /// Runs `arguments`, checks it is refused as bad input mentioning `fragments`, and that it changed no state.
    private func assertRefused(_ arguments: [String], mentions fragments: [String], passesStateDirectory: Bool = true,
                               file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try assertStateUnchanged(file: file, line: line) { shift.run(arguments, passesStateDirectory: passesStateDirectory) }
        assertBadInput(result, mentions: fragments, file: file, line: line)
    }

    // MARK: Options

    func testUnknownOptionValue_namesTheOptionAndTheAcceptedValues() throws {
        // A command that would write, so that "changes nothing" means something.
        try assertRefused(["function", "create", "other", "--code", example("echo").path, "--handler", "./handler.sh", "--output", "xml"],
                          mentions: ["'xml'", "--output", "'text' and 'json'"])
        try assertRefused(["alias", "update", "echo", "live", "--version", "2", "--output", "xml"],
                          mentions: ["'xml'", "--output"])
    }

    func testUnknownSubcommand_exits2_andNamesIt() throws {
        // No command declares --state-dir here, so the state directory comes from $SHIFT_HOME.
        try assertRefused(["frobnicate"], mentions: ["'frobnicate'"], passesStateDirectory: false)
        try assertRefused(["function", "frobnicate", "echo"], mentions: ["'frobnicate'"], passesStateDirectory: false)
    }

    /// Global options may come first (`shift --state-dir X function list` works); a mistyped subcommand after them
    /// must be reported as such, not as the global option.
    func testUnknownSubcommandAfterAGlobalOption_namesTheSubcommand() throws {
        try assertRefused(["frobnicate"], mentions: ["'frobnicate'"])
        try assertRefused(["--account", "default", "fucntion", "list"], mentions: ["'fucntion'"])
    }

    func testUnknownFlag_exits2() throws {
        try assertRefused(["function", "list", "--frobnicate"], mentions: ["'--frobnicate'"])
        try assertRefused(["alias", "update", "echo", "live", "--version", "2", "--force"], mentions: ["'--force'"])
    }

    func testMissingRequiredOption_exits2() throws {
        try assertRefused(["alias", "create", "echo", "canary"], mentions: ["--version"])
        try assertRefused(["function", "create", "other", "--handler", "./handler.sh"], mentions: ["--code PATH"])
    }

    func testInvalidConfigurationValues_nameTheField() throws {
        try assertRefused(["function", "update", "echo", "--timeout", "0"], mentions: ["--timeout is '0'", "whole seconds from 1 to 900"])
        try assertRefused(["function", "update", "echo", "--env", "1BAD=x"], mentions: ["--env is '1BAD'", "a letter, then letters"])
        try assertRefused(["function", "update", "echo", "--env", "NOEQUALS"], mentions: ["--env is 'NOEQUALS'", "KEY=VALUE"])
        try assertRefused(["function", "create", "bad/name", "--code", example("echo").path, "--handler", "./handler.sh"],
                          mentions: ["function name is 'bad/name'", "letters, digits"])
    }

    // MARK: Alias routing

    func testWeightOutsideZeroToOne_namesWeight() throws {
        try assertRefused(["alias", "create", "echo", "canary", "--version", "1", "--additional-version", "2", "--weight", "1.5"],
                          mentions: ["--weight is '1.5'", "a number from 0 to 1"])
        try assertRefused(["alias", "update", "echo", "live", "--additional-version", "2", "--weight", "1.5"],
                          mentions: ["--weight is '1.5'", "a number from 0 to 1"])
    }

    /// A negative number is the option's value, not a missing one: the validation names the field and the range.
    func testNegativeNumbers_areReadAsValues_andValidated() throws {
        try assertRefused(["alias", "create", "echo", "canary", "--version", "1", "--additional-version", "2", "--weight", "-0.1"],
                          mentions: ["--weight is '-0.1'", "expected a number from 0 to 1"])
        try assertRefused(["alias", "update", "echo", "live", "--additional-version", "2", "--weight", "-0.1"],
                          mentions: ["--weight is '-0.1'", "expected a number from 0 to 1"])
        try assertRefused(["traffic", "echo:live", "--rate", "-5", "--duration", "1"], mentions: ["--rate is '-5'", "more than 0"])
        try assertRefused(["traffic", "echo:live", "--rate", "5", "--duration", "-1"], mentions: ["--duration is '-1'", "a duration from 0.001s to 7d"])
        try assertRefused(["traffic", "echo:live", "--rate", "5", "--duration", "1", "--concurrency", "-2"], mentions: ["--concurrency is '-2'", "1 or more"])
        try assertRefused(["metrics", "echo", "--since", "-1"], mentions: ["--since is '-1'", "a duration from 1s to 400d"])
        try assertRefused(["metrics", "echo", "--period", "-60"], mentions: ["--period is '-60'", "a duration from 1s to 1d"])
        try assertRefused(["function", "update", "echo", "--timeout", "-3"], mentions: ["--timeout is '-3'", "whole seconds from 1 to 900"])
        try assertRefused(["alias", "create", "echo", "canary", "--version", "-1"], mentions: ["--version is '-1'", "a published version number"])
        try assertRefused(["deploy", "echo", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--bake", "-5"],
                          mentions: ["--bake is '-5'", "a duration from 0s to 7d"])
        try assertRefused(["deploy", "echo", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--poll-interval", "-1"],
                          mentions: ["--poll-interval is '-1'"])
        try assertRefused(["deploy", "echo", "--alias", "live", "--version", "2", "--preference", "AllAtOnce", "--hook-timeout", "-1"],
                          mentions: ["--hook-timeout is '-1'"])
        let rule = ["--metric", "Errors", "--statistic", "Sum", "--evaluation-periods", "1", "--comparison", "GreaterThanThreshold"]
        try assertRefused(["alarm", "put", "a1", "--function", "echo", "--period", "-60", "--threshold", "0"] + rule, mentions: ["period", "'-60'"])
        shift.runChecked(["alarm", "put", "a1", "--function", "echo", "--period", "60", "--threshold", "-1"] + rule)
    }

    func testAdditionalVersionEqualToThePrimary_isRefused() throws {
        try assertRefused(["alias", "create", "echo", "canary", "--version", "1", "--additional-version", "1", "--weight", "0.1"],
                          mentions: ["--additional-version is '1'", "a version other than the primary version 1"])
        try assertRefused(["alias", "update", "echo", "live", "--additional-version", "1", "--weight", "0.1"],
                          mentions: ["--additional-version is '1'", "a version other than the primary version 1"])
    }

    /// Lambda allows one additional version; a second `--additional-version` must not silently replace the first.
    func testTwoAdditionalVersions_areRefused() throws {
        succeed("function", "update", "echo", "--env", "RELEASE=3")
        XCTAssertEqual(publish("echo"), 3)
        try assertRefused(["alias", "create", "echo", "canary", "--version", "1",
                           "--additional-version", "2", "--weight", "0.1", "--additional-version", "3", "--weight", "0.2"],
                          mentions: ["--additional-version"])
    }

    func testUnpublishedVersion_namesThePublishedOnes() throws {
        try assertRefused(["alias", "create", "echo", "canary", "--version", "7"],
                          mentions: ["version 'echo:7' not found", "published versions are 1, 2"])
        try assertRefused(["alias", "create", "echo", "canary", "--version", "1", "--additional-version", "9", "--weight", "0.1"],
                          mentions: ["version 'echo:9' not found", "published versions are 1, 2"])
        try assertRefused(["alias", "update", "echo", "live", "--version", "7"],
                          mentions: ["version 'echo:7' not found", "published versions are 1, 2"])
        try assertRefused(["invoke", "echo:7"], mentions: ["version 'echo:7' not found", "published versions are 1, 2"])
    }

    func testVersionOfAFunctionNeverPublished_saysToPublish() throws {
        createFunction("fresh")
        try assertRefused(["alias", "create", "fresh", "live", "--version", "1"],
                          mentions: ["version 'fresh:1' not found", "shift function publish fresh"])
    }

    // MARK: Missing things

    func testMissingFunction_saysHowToCreateIt() throws {
        let commands: [[String]] = [
            ["function", "get", "nope"],
            ["function", "update", "nope", "--env", "A=1"],
            ["function", "publish", "nope"],
            ["function", "versions", "nope"],
            ["function", "delete", "nope"],
            ["alias", "create", "nope", "live", "--version", "1"],
            ["alias", "list", "nope"],
            ["invoke", "nope:live"],
            ["invoke", "nope"],
            ["traffic", "nope:live", "--rate", "1", "--duration", "1"],
            ["metrics", "nope"],
        ]
        for command in commands {
            try assertRefused(command, mentions: ["function 'nope' not found", "shift function create nope"])
        }
    }

    func testMissingAlias_saysHowToCreateIt() throws {
        try assertRefused(["invoke", "echo:canary"], mentions: ["alias 'echo:canary' not found", "shift alias create echo canary"])
        try assertRefused(["traffic", "echo:canary", "--rate", "5", "--duration", "1"],
                          mentions: ["alias 'echo:canary' not found", "shift alias create echo canary"])
        try assertRefused(["traffic", "echo:7", "--rate", "5", "--duration", "1"], mentions: ["version 'echo:7' not found"])
        try assertRefused(["alias", "update", "echo", "canary", "--version", "2"], mentions: ["alias 'echo:canary' not found"])
        try assertRefused(["alias", "delete", "echo", "canary"], mentions: ["alias 'echo:canary' not found"])
    }

    func testAlarmOnAMissingFunctionAliasOrVersion_isRefused_andNotSaved() throws {
        let rule = ["--metric", "Errors", "--statistic", "Sum", "--period", "60", "--evaluation-periods", "1",
                    "--threshold", "0", "--comparison", "GreaterThanThreshold"]
        try assertRefused(["alarm", "put", "a1", "--function", "nope"] + rule, mentions: ["function 'nope' not found", "shift function create nope"])
        try assertRefused(["alarm", "put", "a1", "--function", "echo", "--alias", "nope"] + rule,
                          mentions: ["alias 'echo:nope' not found", "shift alias create echo nope"])
        try assertRefused(["alarm", "put", "a1", "--function", "echo", "--version", "7"] + rule,
                          mentions: ["version 'echo:7' not found", "published versions are 1, 2"])
        XCTAssertNotEqual(run("alarm", "get", "a1").exitCode, 0, "the alarm was saved")
        shift.runChecked(["alarm", "put", "a1", "--function", "echo", "--alias", "live"] + rule)
    }

    // MARK: Payloads

    func testMalformedJSONPayload_isRefusedBeforeAnythingRuns() throws {
        try assertRefused(["invoke", "echo:live", "--payload", "{not json"], mentions: ["--payload is '{not json'", "a JSON document"])
        try assertRefused(["traffic", "echo:live", "--rate", "1", "--duration", "1", "--payload", "{not json"],
                          mentions: ["--payload is '{not json'", "a JSON document"])
        let payloadFile = directory.url.appendingPathComponent("event.json")
        try Data("{\"truncated\": ".utf8).write(to: payloadFile)
        try assertRefused(["invoke", "echo:live", "--payload-file", payloadFile.path],
                          mentions: ["--payload-file \(payloadFile.path)", "a JSON document"])
        XCTAssertEqual(try recordedMetrics("echo"), try RecordedMetrics(json: ["Metrics": []]), "nothing was invoked")
    }

    func testUnreadablePayloadFile_namesTheFile() throws {
        let missing = directory.url.appendingPathComponent("no-such-event.json").path
        try assertRefused(["invoke", "echo:live", "--payload-file", missing], mentions: ["--payload-file is '\(missing)'", "a readable file"])
    }

    // MARK: Code

    func testUnreadableCodePath_namesThePath() throws {
        let missing = directory.url.appendingPathComponent("no-such-code").path
        try assertRefused(["function", "create", "other", "--code", missing, "--handler", "./handler.sh"],
                          mentions: ["code path \(missing) cannot be read", "pass --code with an existing file or directory"])
        try assertRefused(["function", "update", "echo", "--code", missing],
                          mentions: ["code path \(missing) cannot be read", "pass --code with an existing file or directory"])
        try assertRefused(["function", "create", "other", "--code", "/dev/null", "--handler", "./handler.sh"],
                          mentions: ["code path /dev/null cannot be read", "not a regular file or directory"])
    }

    // MARK: Corrupted state

    func testTruncatedFunctionFile_namesTheFile_andEveryCommandRefuses() throws {
        let original = try Data(contentsOf: functionFile)
        try original.prefix(original.count / 2).write(to: functionFile)
        try assertEveryCommandRefuses(becauseOf: functionFile, detail: "not valid JSON, perhaps truncated")
    }

    func testEmptyFunctionFile_namesTheFile_andEveryCommandRefuses() throws {
        try Data().write(to: functionFile)
        try assertEveryCommandRefuses(becauseOf: functionFile, detail: "empty file")
    }

    func testFunctionFileMissingAField_namesTheField() throws {
        try Data(#"{"name": "echo"}"#.utf8).write(to: functionFile)
        try assertRefused(["function", "get", "echo"], mentions: [functionFile.path, "missing field"])
    }

    func testTruncatedAliasFile_namesTheFile() throws {
        let original = try Data(contentsOf: aliasFile)
        try original.prefix(original.count / 2).write(to: aliasFile)
        for command in [["alias", "get", "echo", "live"], ["alias", "list", "echo"], ["invoke", "echo:live"],
                        ["alias", "update", "echo", "live", "--version", "2"], ["alias", "delete", "echo", "live"]] {
            try assertRefused(command, mentions: ["state file \(aliasFile.path) is unreadable", "restore it from a backup"])
        }
    }

    private func assertEveryCommandRefuses(becauseOf file: URL, detail: String, line: UInt = #line) throws {
        let commands: [[String]] = [
            ["function", "get", "echo"],
            ["function", "list"],
            ["function", "update", "echo", "--env", "B=1"],
            ["function", "publish", "echo"],
            ["function", "versions", "echo"],
            ["function", "delete", "echo"],
            ["alias", "get", "echo", "live"],
            ["alias", "update", "echo", "live", "--version", "2"],
            ["alias", "create", "echo", "canary", "--version", "1"],
            ["invoke", "echo:live"],
            ["metrics", "echo"],
        ]
        for command in commands {
            try assertRefused(command, mentions: ["state file \(file.path) is unreadable (\(detail))", "restore it from a backup"], line: line)
        }
    }
}

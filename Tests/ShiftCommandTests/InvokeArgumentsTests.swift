import ArgumentParser
@testable import shift
import XCTest

/// `shift invoke`'s direct reading of its arguments agrees with swift-argument-parser's, and leaves to it every
/// form it does not read.
final class InvokeArgumentsTests: XCTestCase {
    func testPlainArguments_areReadDirectly_asSwiftArgumentParserReadsThem() throws {
        let plain: [[String]] = [
            ["echo:live"],
            ["echo"],
            ["echo:3", "--payload", #"{"n": 1}"#],
            ["--payload", "{}", "echo:live"],
            ["echo:live", "--payload={\"a\":\"b=c\"}", "--log"],
            ["echo:live", "--payload-file", "event.json", "--output", "json"],
            ["echo:live", "--output=text", "--account", "prod", "--state-dir", "/tmp/state"],
            ["--log", "echo:live", "--state-dir=/tmp/a b", "--account=staging"],
            ["echo:live", "--payload", ""],
        ]
        for arguments in plain {
            let direct = try XCTUnwrap(Invocation.read(arguments), "\(arguments) is plain")
            XCTAssertEqual(direct, try InvokeCommand.parse(arguments).invocation, "\(arguments)")
        }
    }

    func testEveryOtherForm_isLeftToSwiftArgumentParser() {
        let others: [[String]] = [
            [],
            ["--help"], ["-h"], ["echo:live", "--help"],
            ["echo:live", "other"],
            ["echo:live", "--qualifier", "3"],
            ["echo:live", "--payload"],
            ["echo:live", "--payload", "--log"],
            ["echo:live", "--payload", "{}", "--payload", "{}"],
            ["echo:live", "--log", "--log"],
            ["echo:live", "--log=yes"],
            ["echo:live", "--payload", "{}", "--payload-file", "event.json"],
            ["echo:live", "--output", "yaml"],
            ["echo:live", "--output=xml"],
            ["echo:live", "--", "--payload"],
            ["-x", "echo:live"],
        ]
        for arguments in others {
            XCTAssertNil(Invocation.read(arguments), "\(arguments)")
        }
    }

    /// An option added to `invoke` (or to the option groups it includes) must be added to the direct reading too,
    /// or a plain `shift invoke ... --new-option` would be refused where swift-argument-parser accepts it.
    func testTheOptionsReadDirectly_areExactlyTheOptionsInvokeDeclares() {
        let help = InvokeCommand.helpMessage(columns: 400)
        let declared = Set(help.matches(of: /--[a-z][a-z-]*/).map { String($0.output) }).subtracting(["--help"])
        XCTAssertEqual(declared, Set(Invocation.options), help)
    }
}

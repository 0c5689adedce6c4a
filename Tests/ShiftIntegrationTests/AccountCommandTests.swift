import Foundation
import XCTest

/// `shift account` as a process.
final class AccountCommandTests: ShiftIntegrationTestCase {
    /// The name was checked in ArgumentParser's validate(), which reports a thrown domain error as `Error: ...`, exit 1.
    func testAddWithABadName_exits2_withTheOneLineError() throws {
        let result = try assertStateUnchanged { run("account", "add", "bad/name", "--platform", "local") }
        assertBadInput(result, mentions: ["account name is 'bad/name'", "letters, digits"])
    }
}

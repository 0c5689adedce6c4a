import Foundation
import XCTest

/// Every command of `shift` names itself in its `CommandConfiguration`.
///
/// Without a `commandName`, swift-argument-parser derives a command's name from its type with
/// `String(describing:)` while building the command tree, at every start of every command; in a binary of this
/// size each such dynamic cast scans the whole protocol-conformance table, and the 43 unnamed commands took
/// 38 % of the CPU time of `shift invoke` (BENCHMARKS.md, "`shift invoke` against running the handler directly").
final class CommandNameTests: XCTestCase {
    func testEveryCommandConfiguration_namesItsCommand_soThatStartUpReflectsNoTypeName() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/shift")
        let files = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        var configurations = 0
        var unnamed: [String] = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for call in Self.calls(of: "CommandConfiguration(", in: text) {
                configurations += 1
                if !call.text.contains("commandName:") { unnamed.append("\(file.lastPathComponent):\(call.line)") }
            }
        }
        XCTAssertGreaterThan(configurations, 50, "the commands were not found under \(sources.path)")
        XCTAssertEqual(unnamed, [], "give each of these a commandName: \"...\"")
    }

    /// The text of every call of `opening` in `text` up to its closing parenthesis, with the call's line.
    private static func calls(of opening: String, in text: String) -> [(text: Substring, line: Int)] {
        var found: [(Substring, Int)] = []
        var searchStart = text.startIndex
        while let range = text.range(of: opening, range: searchStart..<text.endIndex) {
            var depth = 1
            var end = range.upperBound
            while depth > 0, end < text.endIndex {
                if text[end] == "(" { depth += 1 } else if text[end] == ")" { depth -= 1 }
                end = text.index(after: end)
            }
            found.append((text[range.lowerBound..<end], text[..<range.lowerBound].filter { $0 == "\n" }.count + 1))
            searchStart = end
        }
        return found
    }
}

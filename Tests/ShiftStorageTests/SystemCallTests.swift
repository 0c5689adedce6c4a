import Foundation
import ShiftStorage
import XCTest

final class SystemCallTests: XCTestCase {
    /// Package.swift says macOS 13+: a call qualified with `Glibc.` does not build there. Only SystemCall.swift
    /// tells the two C libraries apart.
    func testSources_callGlibcOrDarwinQualifiedFunctionsOnlyThroughSystemCall() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources")
        let walker = try XCTUnwrap(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var offenders: [String] = []
        var files = 0
        while let url = walker.nextObject() as? URL {
            guard url.pathExtension == "swift", url.lastPathComponent != "SystemCall.swift" else { continue }
            files += 1
            let text = try String(contentsOf: url, encoding: .utf8)
            for (number, line) in text.components(separatedBy: "\n").enumerated() where line.contains("Glibc.") || line.contains("Darwin.") {
                offenders.append("\(url.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        XCTAssertGreaterThan(files, 100)
        XCTAssertEqual(offenders, [])
    }

    func testWrite_writesTheBytes() throws {
        var descriptors: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&descriptors), 0)
        defer { close(descriptors[0]) }
        let written = "abc".withCString { SystemCall.write(descriptors[1], $0, 3) }
        close(descriptors[1])
        XCTAssertEqual(written, 3)
        XCTAssertEqual(FileHandle(fileDescriptor: descriptors[0]).readDataToEndOfFile(), Data("abc".utf8))
    }
}

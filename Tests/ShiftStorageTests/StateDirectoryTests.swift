import Foundation
@testable import ShiftStorage
import XCTest

final class StateDirectoryTests: XCTestCase {
    /// The root is found as `URL.standardizedFileURL` found it, without its cost.
    func testStandardizedPath_isWhatFoundationStandardizes() {
        let cases: [(path: String, directory: String)] = [
            (".shift", "/work/repo"), ("state", "/"), ("./a/./b/", "/x"), ("../up", "/work/repo"), ("a//b///c", "/x"),
            ("/abs/./path/../other", "/ignored"), ("/..", "/"), ("../../../..", "/one/two"), ("a b/ü", "/dir with space"),
            ("/trailing/", "/"), (".", "/work"), ("..", "/"),
        ]
        for (path, directory) in cases {
            let foundation = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: directory, isDirectory: true)).standardizedFileURL.path
            XCTAssertEqual(StateDirectory.standardizedPath(path, in: directory), foundation, "\(path) in \(directory)")
        }
    }

    /// A `..` after a symbolic link removes the link, as Foundation's standardizing does (the kernel would go up
    /// from where the link leads).
    func testStandardizedPath_afterASymbolicLink_isFoundations() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("shift-state-\(UUID().uuidString)").resolvingSymlinksInPath()
        defer { try? FileManager.default.removeItem(at: base) }
        try FileManager.default.createDirectory(at: base.appendingPathComponent("a/b"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent("link").path, withDestinationPath: "a/b")
        for path in ["link/../state", "link/./state", "link/b/../../state"] {
            let foundation = URL(fileURLWithPath: path, relativeTo: URL(fileURLWithPath: base.path, isDirectory: true)).standardizedFileURL.path
            XCTAssertEqual(StateDirectory.standardizedPath(path, in: base.path), foundation, path)
        }
    }

    func testResolveRoot_prefersTheOption_thenSHIFT_HOME_thenDotShift() {
        XCTAssertEqual(StateDirectory.resolveRoot(option: "s", environment: ["SHIFT_HOME": "/home"], currentDirectory: "/w").path, "/w/s")
        XCTAssertEqual(StateDirectory.resolveRoot(option: nil, environment: ["SHIFT_HOME": "/home/x/../y"], currentDirectory: "/w").path, "/home/y")
        XCTAssertEqual(StateDirectory.resolveRoot(option: nil, environment: ["SHIFT_HOME": ""], currentDirectory: "/w").path, "/w/.shift")
    }
}

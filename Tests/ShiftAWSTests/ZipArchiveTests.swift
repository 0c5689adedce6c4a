import Foundation
import ShiftAWS
import XCTest

final class ZipArchiveTests: XCTestCase {
    func testCRC32_matchesTheStandardCheckValue() {
        XCTAssertEqual(ZipArchive.crc32(Data("123456789".utf8)), 0xCBF4_3926)
    }

    func testSameDirectory_makesTheSameBytes_andPythonReadsItWithModes() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try Data("#!/bin/sh\necho hi\n".utf8).write(to: directory.appendingPathComponent("bootstrap"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.appendingPathComponent("bootstrap").path)
        try Data("x = 1\n".utf8).write(to: directory.appendingPathComponent("lib/module.py"))

        let first = try ZipArchive.archive(directory: directory)
        let second = try ZipArchive.archive(directory: directory)
        XCTAssertEqual(first, second, "unchanged code must keep its CodeSha256")

        let zipFile = directory.appendingPathComponent("../\(directory.lastPathComponent).zip").standardizedFileURL
        defer { try? FileManager.default.removeItem(at: zipFile) }
        try first.write(to: zipFile)
        let script = "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(';'.join('%s=%o:%s' % (i.filename, i.external_attr >> 16 & 0o777, z.read(i).decode().strip()) for i in z.infolist()))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, zipFile.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(output, "bootstrap=755:#!/bin/sh\necho hi;lib/module.py=644:x = 1")
    }
}

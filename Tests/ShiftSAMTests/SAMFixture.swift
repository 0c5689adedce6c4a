import Foundation
import ShiftCore
import ShiftPipeline
import ShiftSAM
import ShiftTestSupport
import XCTest

/// A template written into a fresh directory beside the code directories it names, converted, and the pipeline
/// parsed back with `PipelineParser`, as `shift pipeline validate` would.
struct SAMFixture {
    let directory: TemporaryDirectory
    let text: String

    init(_ text: String, codeDirectories: [String] = ["src/orders", "src/hooks"], files: [String: String] = [:]) throws {
        directory = try TemporaryDirectory("shift-sam")
        self.text = text
        for path in codeDirectories { try directory.writeScript("\(path)/bootstrap", "cat") }
        for (path, body) in files { try directory.writeScript(path, body) }
        try Data(text.utf8).write(to: directory.url.appendingPathComponent("template.yaml"))
    }

    func convert(_ overrides: [String: String] = [:], platform: ConversionOptions.Platform = .local, traffic: Double? = nil) throws -> SAMConverter.Conversion {
        let options = ConversionOptions(parameterOverrides: overrides, platform: platform, traffic: traffic, outputDirectory: directory.url)
        return try SAMConverter.convert(text, file: "template.yaml", templateURL: directory.url.appendingPathComponent("template.yaml"), options: options)
    }

    /// The conversion and its pipeline, which must parse without issues.
    func pipeline(_ overrides: [String: String] = [:], platform: ConversionOptions.Platform = .local, traffic: Double? = nil,
                  file: StaticString = #filePath, line: UInt = #line) throws -> (Pipeline, SAMConverter.Conversion) {
        let conversion = try convert(overrides, platform: platform, traffic: traffic)
        let outcome = PipelineParser.parse(conversion.pipeline, file: "pipeline.yml")
        guard let pipeline = outcome.pipeline else {
            XCTFail("the pipeline does not parse: \(outcome.issues.map(\.description).joined(separator: "\n"))\n\(conversion.pipeline)", file: file, line: line)
            throw CancellationError()
        }
        return (pipeline, conversion)
    }

    /// The line and column of the first occurrence of `fragment` in the template.
    func position(of fragment: String, occurrence: Int = 1) -> SourcePosition {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let range = line.range(of: fragment) else { continue }
            seen += 1
            if seen == occurrence { return SourcePosition(line: index + 1, column: line.distance(from: line.startIndex, to: range.lowerBound) + 1) }
        }
        return SourcePosition(line: 0, column: 0)
    }

    /// The error converting throws, as its one line.
    func error(_ overrides: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try convert(overrides)
            XCTFail("converted without an error", file: file, line: line)
            return ""
        } catch {
            XCTAssertEqual((error as? SAMError)?.category, .badInput, file: file, line: line)
            let text = (error as? LocalizedError)?.errorDescription ?? "\(error)"
            XCTAssertFalse(text.contains("\n"), "one line: \(text)", file: file, line: line)
            return text
        }
    }
}

extension Pipeline {
    /// The deployment of `function` in the stage named `stage`.
    func deployment(_ function: String, stage: String = "deploy") -> FunctionDeployment? {
        for item in stages where item.name == stage {
            if case let .deploy(deploy) = item.kind { return deploy.functions.first { $0.function == function } }
        }
        return nil
    }

    func function(_ name: String) -> PipelineFunction? { functions.first { $0.name == name } }
}

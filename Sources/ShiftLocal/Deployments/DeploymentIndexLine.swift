import Foundation
import ShiftCore
import ShiftStorage

/// One line of `deployments/index.jsonl` (see ``DeploymentIndex``): compact JSON, one object a line.
enum IndexLine: Equatable {
    /// A record is about to be replaced.
    case writing(String)
    /// The record as it now is.
    case summary(IndexedSummary)
    /// A reader found the record unreadable.
    case damaged(id: String, detail: String)
    /// A record announced by "writing" was never written.
    case absent(String)

    /// `lines` as the file holds them, each with its newline.
    static func encode(_ lines: [IndexLine]) throws -> Data {
        let encoder = IndexedSummary.encoder
        var data = Data()
        for line in lines {
            switch line {
            case let .summary(summary): data.append(summary.line)
            case let .writing(id): data.append(try encoder.encode(Marker(writing: id)))
            case let .damaged(id, detail): data.append(try encoder.encode(Marker(damaged: id, detail: detail)))
            case let .absent(id): data.append(try encoder.encode(Marker(absent: id)))
            }
            data.append(0x0A)
        }
        return data
    }

    /// The fields a line is told apart and listed by, in the order `scanner` reports them.
    private static let scanner = JSONFieldScanner(keys: ["writing", "absent", "deploymentId", "functionName", "status", "createTime"])

    /// Reads one line (`bytes`, a slice of `file` without its newline): what listing needs of a summary is read
    /// without a decoder (see ``JSONFieldScanner``); lines it does not follow are decoded in full.
    /// - Returns: nil when the line is not one the index writes.
    init?(_ bytes: UnsafeRawBufferPointer, at range: Range<Int>, of file: Data) {
        func text(_ range: Range<Int>) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) }
        if let fields = Self.scanner.scan(bytes) {
            if let writing = fields[0] {
                self = .writing(text(writing))
                return
            }
            if let absent = fields[1] {
                self = .absent(text(absent))
                return
            }
            if let id = fields[2], let function = fields[3], let status = fields[4].flatMap({ DeploymentStatus(rawValue: text($0)) }),
               let created = fields[5], let createTime = Timestamp.parseUTC(UnsafeRawBufferPointer(rebasing: bytes[created])) {
                let start = file.startIndex + range.lowerBound
                self = .summary(IndexedSummary(deploymentId: text(id), functionName: text(function), status: status,
                                               createTime: createTime, line: file[start..<start + range.count]))
                return
            }
        }
        guard let decoded = Self.decodingInFull(Data(bytes)) else { return nil }
        self = decoded
    }

    /// A line decoded in full: a damaged record's (its detail may hold any character), or one the scan did not follow.
    private static func decodingInFull(_ line: Data) -> IndexLine? {
        let decoder = JSONFile.decoder()
        guard let marker = try? decoder.decode(Marker.self, from: line) else { return nil }
        if let id = marker.writing { return .writing(id) }
        if let id = marker.damaged, let detail = marker.detail { return .damaged(id: id, detail: detail) }
        if let id = marker.absent { return .absent(id) }
        guard let summary = try? decoder.decode(DeploymentSummary.self, from: line) else { return nil }
        return (try? IndexedSummary(summary)).map { .summary($0) }
    }

    /// The lines that are not summaries.
    private struct Marker: Codable {
        var writing: String?
        var damaged: String?
        var detail: String?
        var absent: String?
    }
}

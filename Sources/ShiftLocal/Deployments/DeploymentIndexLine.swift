import Foundation
import ShiftCore
import ShiftStorage

/// One line of `deployments/index.jsonl` (see ``DeploymentIndex``): compact JSON, one object a line.
enum IndexLine: Equatable {
    /// A record is about to be replaced.
    case writing(String)
    /// The record as it now is.
    case summary(DeploymentSummary)
    /// A reader found the record unreadable.
    case damaged(id: String, detail: String)
    /// A record announced by "writing" was never written.
    case absent(String)

    /// `lines` as the file holds them, each with its newline.
    static func encode(_ lines: [IndexLine]) throws -> Data {
        let encoder = JSONFile.encoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for line in lines {
            data.append(try encoder.encode(line))
            data.append(0x0A)
        }
        return data
    }
}

extension IndexLine: Codable {
    private enum Key: String, CodingKey {
        case writing, damaged, detail, absent
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        if let id = try container.decodeIfPresent(String.self, forKey: .writing) {
            self = .writing(id)
        } else if let id = try container.decodeIfPresent(String.self, forKey: .damaged) {
            self = .damaged(id: id, detail: try container.decode(String.self, forKey: .detail))
        } else if let id = try container.decodeIfPresent(String.self, forKey: .absent) {
            self = .absent(id)
        } else {
            self = .summary(try DeploymentSummary(from: decoder))
        }
    }

    func encode(to encoder: any Encoder) throws {
        if case let .summary(summary) = self { return try summary.encode(to: encoder) }
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case let .writing(id):
            try container.encode(id, forKey: .writing)
        case .summary:
            break
        case let .damaged(id, detail):
            try container.encode(id, forKey: .damaged)
            try container.encode(detail, forKey: .detail)
        case let .absent(id):
            try container.encode(id, forKey: .absent)
        }
    }
}

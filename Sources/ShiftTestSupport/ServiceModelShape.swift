import Foundation

/// Checks JSON against the shapes of an AWS service model (botocore's `service-2.json` format), as the AWS CLI and
/// the SDKs read them: field names, JSON types, enum values.
///
/// A model is data: tests load a committed copy of the few shapes they need (with where it came from), so they need
/// neither Python nor botocore. Every structure may also hold the `allowedExtraKeys` (shift's own `"Shift"` key);
/// any other key the shape does not declare is a violation, as is a `null` (AWS leaves a field out instead).
public struct ServiceModelShape: Sendable {
    /// The shapes by name, each with botocore's `type` and, by type, `members`, `member`, `key`, `value`, `enum`.
    let shapes: [String: Shape]
    /// Where the shapes came from, e.g. "botocore 1.43.11, data/lambda/2015-03-31/service-2.json".
    public let source: String

    struct Reference: Decodable, Sendable {
        var shape: String
    }

    struct Shape: Decodable, Sendable {
        var type: String
        var members: [String: Reference]?
        var member: Reference?
        var key: Reference?
        var value: Reference?
        var `enum`: [String]?
    }

    private struct Model: Decodable {
        var source: String?
        var shapes: [String: Shape]
    }

    /// Loads a model file: an object with `shapes` (as in botocore's `service-2.json`) and optionally `source`.
    /// - Throws: when the file is missing or is not such an object.
    public init(contentsOf url: URL) throws {
        let model = try JSONDecoder().decode(Model.self, from: Data(contentsOf: url))
        shapes = model.shapes
        source = model.source ?? url.path
    }

    /// Every way `json` differs from shape `name`, one line each with the path at fault; empty when it conforms.
    /// - Parameter allowedExtraKeys: keys any structure may hold beside its members.
    public func violations(of json: Data, against name: String, allowedExtraKeys: Set<String> = ["Shift"]) -> [String] {
        do {
            let value = try JSONDecoder().decode(JSONValue.self, from: json)
            var found: [String] = []
            check(value, against: name, path: name, extra: allowedExtraKeys, into: &found)
            return found
        } catch {
            return ["\(name): not JSON (\(error))"]
        }
    }

    private func check(_ value: JSONValue, against name: String, path: String, extra: Set<String>, into found: inout [String]) {
        guard let shape = shapes[name] else {
            found.append("\(path): shape \(name) is not in the model (\(source))")
            return
        }
        func expect(_ condition: Bool, _ what: String) {
            if !condition { found.append("\(path): expected \(what) (shape \(name)), found \(value.summary)") }
        }
        switch shape.type {
        case "structure":
            guard case let .object(fields) = value else { return expect(false, "an object") }
            for (key, field) in fields.sorted(by: { $0.key < $1.key }) {
                if let member = shape.members?[key] {
                    check(field, against: member.shape, path: "\(path).\(key)", extra: extra, into: &found)
                } else if !extra.contains(key) {
                    found.append("\(path).\(key): not a member of \(name) (members: \((shape.members ?? [:]).keys.sorted().joined(separator: ", ")))")
                }
            }
        case "list":
            guard case let .array(items) = value, let member = shape.member else { return expect(false, "an array") }
            for (index, item) in items.enumerated() {
                check(item, against: member.shape, path: "\(path)[\(index)]", extra: extra, into: &found)
            }
        case "map":
            guard case let .object(fields) = value, let key = shape.key, let valueShape = shape.value else { return expect(false, "an object") }
            for (field, item) in fields.sorted(by: { $0.key < $1.key }) {
                check(.string(field), against: key.shape, path: "\(path) key \(field)", extra: extra, into: &found)
                check(item, against: valueShape.shape, path: "\(path).\(field)", extra: extra, into: &found)
            }
        case "string":
            guard case let .string(text) = value else { return expect(false, "a string") }
            if let values = shape.enum, !values.contains(text) {
                found.append("\(path): '\(text)' is not one of \(name)'s values (\(values.joined(separator: ", ")))")
            }
        case "blob", "timestamp":
            // The JSON protocols carry a blob as base64 text; Lambda's timestamps are string shapes already.
            guard case .string = value else { return expect(false, "a string") }
        case "integer", "long":
            guard case .integer = value else { return expect(false, "an integer") }
        case "double", "float":
            switch value {
            case .integer, .number: return
            default: expect(false, "a number")
            }
        case "boolean":
            guard case .bool = value else { return expect(false, "true or false") }
        default:
            found.append("\(path): shape \(name) has type \(shape.type), which this checker does not know")
        }
    }
}

/// A parsed JSON value that keeps integers apart from other numbers, and booleans apart from both.
private indirect enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    var summary: String {
        switch self {
        case .null: return "null"
        case let .bool(value): return "\(value)"
        case let .integer(value): return "integer \(value)"
        case let .number(value): return "number \(value)"
        case let .string(value): return "string '\(value.prefix(40))'"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

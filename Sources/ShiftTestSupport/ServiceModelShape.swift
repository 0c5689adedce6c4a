import Foundation

/// Checks JSON that claims an AWS API's shape against that API's botocore service model (`service-2.json`, or a
/// copy of some of its shapes with the same `metadata` and `shapes` keys).
///
/// A value conforms when every key of every object is a member of its structure (or the one extra key shift adds
/// its own fields under, `"Shift"`, holding an object), every required member is present, and every value has its
/// shape's JSON type: `string` (and one of its `enum` values, if listed), `integer`/`long` (a whole number),
/// `float`/`double`, `boolean`, `blob` (base64 text), `timestamp` (a number of seconds under the `json` and
/// `rest-json` protocols unless the shape names another `timestampFormat`, else ISO 8601 text), `list`, `map`,
/// `structure`.
public struct ServiceModelShape: Sendable {
    /// The key shift adds its own fields under, beside an API's.
    public static let extraKey = "Shift"

    /// The model's protocol (`json`, `rest-json`, `rest-xml`, `query`, `ec2`).
    public let serviceProtocol: String
    /// The name of the shape to check against.
    public let name: String
    private let shapes: [String: ModelShape]

    /// The shape `name` of the model in `file`.
    /// - Throws: when the file is not a service model, or has no shape `name`.
    public init(_ name: String, inModelAt file: URL) throws {
        let model = try JSONDecoder().decode(Model.self, from: Data(contentsOf: file))
        guard model.shapes[name] != nil else {
            throw ShapeError("\(file.lastPathComponent) has no shape '\(name)'")
        }
        self.name = name
        self.serviceProtocol = model.metadata.protocol
        self.shapes = model.shapes
    }

    /// What in `json` breaks the shape, one line each with its path (`Parameters[0].Value`); empty when it conforms.
    public func violations(in json: Data) -> [String] {
        do {
            return violations(of: try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed]), against: name, at: "$")
        } catch {
            return ["$: not JSON (\(error))"]
        }
    }

    /// As ``violations(in:)``, for a value JSONSerialization produced.
    public func violations(of value: Any) -> [String] {
        violations(of: value, against: name, at: "$")
    }

    private func violations(of value: Any, against shapeName: String, at path: String, timestampFormat: String? = nil) -> [String] {
        guard let shape = shapes[shapeName] else { return ["\(path): the model has no shape '\(shapeName)' (copy it into the fixture)"] }
        func expected(_ what: String) -> [String] { ["\(path): expected \(what) (shape \(shapeName)), found \(Self.describe(value))"] }
        switch shape.type {
        case "structure":
            guard let object = value as? [String: Any] else { return expected("an object") }
            let members = shape.members ?? [:]
            var found: [String] = []
            for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                if let reference = members[key] {
                    // A rest-json response's payload blob is the HTTP body itself, which no JSON encoding governs:
                    // shift shows it as the text it is (Invoke's Payload).
                    if key == shape.payload, shapes[reference.shape]?.type == "blob", member is String { continue }
                    found += violations(of: member, against: reference.shape, at: "\(path).\(key)", timestampFormat: reference.timestampFormat)
                } else if key == Self.extraKey {
                    if !(member is [String: Any]) { found.append("\(path).\(key): expected an object of shift's own fields, found \(Self.describe(member))") }
                } else {
                    found.append("\(path).\(key): not a member of \(shapeName) (members: \(members.keys.sorted().joined(separator: ", ")))")
                }
            }
            for required in shape.required ?? [] where object[required] == nil {
                found.append("\(path).\(required): required by \(shapeName), missing")
            }
            return found
        case "list":
            guard let array = value as? [Any] else { return expected("an array") }
            guard let member = shape.member else { return [] }
            return array.enumerated().flatMap { index, element in
                violations(of: element, against: member.shape, at: "\(path)[\(index)]", timestampFormat: member.timestampFormat)
            }
        case "map":
            guard let object = value as? [String: Any] else { return expected("an object") }
            guard let valueShape = shape.value else { return [] }
            return object.sorted(by: { $0.key < $1.key }).flatMap { key, element in
                violations(of: element, against: valueShape.shape, at: "\(path).\(key)")
            }
        case "string":
            guard let text = value as? String else { return expected("a string") }
            if let allowed = shape.enum, !allowed.contains(text) { return expected("one of \(allowed.joined(separator: ", "))") }
            return []
        case "blob":
            guard let text = value as? String, Data(base64Encoded: text) != nil else { return expected("base64 text") }
            return []
        case "boolean":
            return Self.isBoolean(value) ? [] : expected("true or false")
        case "integer", "long":
            guard let number = value as? NSNumber, !Self.isBoolean(value), number.doubleValue.rounded() == number.doubleValue else { return expected("a whole number") }
            return []
        case "float", "double":
            return value is NSNumber && !Self.isBoolean(value) ? [] : expected("a number")
        case "timestamp":
            let format = timestampFormat ?? shape.timestampFormat ?? (["json", "rest-json"].contains(serviceProtocol) ? "unixTimestamp" : "iso8601")
            if format == "unixTimestamp" {
                return value is NSNumber && !Self.isBoolean(value) ? [] : expected("seconds since 1970 as a number (\(serviceProtocol) protocol)")
            }
            return value is String ? [] : expected("\(format) text")
        default:
            return ["\(path): shape \(shapeName) has type '\(shape.type)', which this checker does not know"]
        }
    }

    private static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        #if canImport(Darwin)
        return CFGetTypeID(number) == CFBooleanGetTypeID()
        #else
        // swift-corelibs-foundation gives JSON booleans the objCType of Bool.
        return String(cString: number.objCType) == String(cString: NSNumber(value: true).objCType)
        #endif
    }

    private static func describe(_ value: Any) -> String {
        switch value {
        case is String: return "a string"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        case is NSNull: return "null"
        case _ where isBoolean(value): return "a boolean"
        case is NSNumber: return "a number"
        default: return "\(type(of: value))"
        }
    }

    private struct Model: Decodable {
        struct Metadata: Decodable { var `protocol`: String }
        var metadata: Metadata
        var shapes: [String: ModelShape]
    }

    private struct Reference: Decodable, Sendable {
        var shape: String
        var timestampFormat: String?
    }

    private struct ModelShape: Decodable, Sendable {
        var type: String
        var members: [String: Reference]?
        var required: [String]?
        var member: Reference?
        var value: Reference?
        var `enum`: [String]?
        var timestampFormat: String?
        /// The member that is the HTTP body of a rest-json or rest-xml response.
        var payload: String?
    }

    /// A model file that cannot be used.
    public struct ShapeError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}

import Foundation

/// One element of an XML document as AWS's query and REST-XML services write them (S3, STS): a name, its
/// attributes, its child elements and its text.
///
/// A small reader of its own rather than FoundationXML, whose libxml2 would be linked into the static binary
/// (issue 12). It reads elements, attributes, text, the five predefined entities, character references, CDATA,
/// comments and processing instructions; it refuses a DTD, which no AWS response has.
public struct XMLElement: Equatable, Sendable {
    public var name: String
    public var attributes: [String: String]
    public var children: [XMLElement]
    /// The element's own text, its pieces joined, entities resolved (children's text not included).
    public var text: String

    public init(name: String, attributes: [String: String] = [:], children: [XMLElement] = [], text: String = "") {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
    }

    /// The first child named `name`.
    public func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name }
    }

    /// Every child named `name`, in document order.
    public func children(named name: String) -> [XMLElement] {
        children.filter { $0.name == name }
    }

    /// The document's root element.
    /// - Throws: `XMLElement.ParseError` naming the byte offset of what is malformed.
    public static func parse(_ data: Data) throws -> XMLElement {
        var reader = Reader(bytes: Array(data))
        return try reader.document()
    }

    /// Why a document could not be read.
    public struct ParseError: Error, LocalizedError, Equatable {
        public var offset: Int
        public var problem: String

        public var errorDescription: String? { "malformed XML at byte \(offset): \(problem)" }
    }
}

private struct Reader {
    let bytes: [UInt8]
    var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func document() throws -> XMLElement {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        try skipMisc()
        guard peek("<") else { throw fail("expected the root element") }
        let root = try element()
        try skipMisc()
        guard position == bytes.count else { throw fail("content after the root element") }
        return root
    }

    /// Whitespace, comments and processing instructions outside the root element.
    private mutating func skipMisc() throws {
        while true {
            skipWhitespace()
            if peek("<?") {
                try skip(past: "?>")
            } else if peek("<!--") {
                try skip(past: "-->")
            } else if peek("<!") {
                throw fail("a DTD or declaration is not supported")
            } else {
                return
            }
        }
    }

    private mutating func element() throws -> XMLElement {
        position += 1 // <
        var element = XMLElement(name: try name())
        while true {
            skipWhitespace()
            if peek("/>") {
                position += 2
                return element
            }
            if peek(">") {
                position += 1
                break
            }
            let attribute = try name()
            skipWhitespace()
            try expect("=")
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                throw fail("expected a quoted value for attribute \(attribute)")
            }
            let quote = bytes[position]
            position += 1
            guard let end = bytes[position...].firstIndex(of: quote) else { throw fail("unterminated attribute \(attribute)") }
            element.attributes[attribute] = try resolve(bytes[position..<end])
            position = end + 1
        }
        var text = ""
        while true {
            guard position < bytes.count else { throw fail("unterminated element \(element.name)") }
            if peek("</") {
                position += 2
                let closing = try name()
                guard closing == element.name else { throw fail("</\(closing)> closes <\(element.name)>") }
                skipWhitespace()
                try expect(">")
                element.text = text
                return element
            } else if peek("<!--") {
                try skip(past: "-->")
            } else if peek("<![CDATA[") {
                position += 9
                let start = position
                try skip(past: "]]>")
                text += String(decoding: bytes[start..<(position - 3)], as: UTF8.self)
            } else if peek("<?") {
                try skip(past: "?>")
            } else if peek("<") {
                element.children.append(try self.element())
            } else {
                let end = bytes[position...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
                text += try resolve(bytes[position..<end])
                position = end
            }
        }
    }

    private mutating func name() throws -> String {
        let start = position
        while position < bytes.count, !Self.ends(bytes[position]) { position += 1 }
        guard position > start else { throw fail("expected a name") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private static func ends(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
             UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "<"):
            return true
        default:
            return false
        }
    }

    /// Text with its entity and character references replaced.
    private func resolve(_ slice: ArraySlice<UInt8>) throws -> String {
        let raw = String(decoding: slice, as: UTF8.self)
        guard raw.contains("&") else { return raw }
        var result = ""
        var rest = Substring(raw)
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";") else { throw fail("unterminated reference in '\(raw)'") }
            let reference = rest[rest.index(after: ampersand)..<semicolon]
            switch reference {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let scalar: UInt32?
                if reference.hasPrefix("#x") {
                    scalar = UInt32(reference.dropFirst(2), radix: 16)
                } else if reference.hasPrefix("#") {
                    scalar = UInt32(reference.dropFirst())
                } else {
                    scalar = nil
                }
                guard let scalar, let character = Unicode.Scalar(scalar) else { throw fail("unknown reference &\(reference);") }
                result.unicodeScalars.append(character)
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }

    private func peek(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { bytes[position..<(position + count)].elementsEqual($0) }
    }

    private mutating func expect(_ literal: StaticString) throws {
        guard peek(literal) else { throw fail("expected '\(literal)'") }
        position += literal.utf8CodeUnitCount
    }

    private mutating func skip(past literal: StaticString) throws {
        while position < bytes.count {
            if peek(literal) {
                position += literal.utf8CodeUnitCount
                return
            }
            position += 1
        }
        throw fail("expected '\(literal)' before the end")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(bytes[position]) {
            position += 1
        }
    }

    private func fail(_ problem: String) -> XMLElement.ParseError {
        XMLElement.ParseError(offset: position, problem: problem)
    }
}

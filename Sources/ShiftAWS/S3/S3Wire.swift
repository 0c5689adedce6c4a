import Foundation

/// The few parts of S3's XML answers shift reads: the text of elements by name (`<Code>`, `<Key>`,
/// `<IsTruncated>`), with XML's five predefined entities and character references decoded.
///
/// S3's answers are flat, machine-written documents with no CDATA, comments or same-named nesting in the elements
/// read here, so a scan for `<Name>...</Name>` reads them exactly; FoundationXML is not linked (issue 12).
enum S3Wire {
    /// The decoded text of every `<name>...</name>` element, in document order.
    static func texts(of name: String, in data: Data) -> [String] {
        let document = String(decoding: data, as: UTF8.self)
        let open = "<\(name)>", close = "</\(name)>"
        var texts: [String] = []
        var rest = document[...]
        while let start = rest.range(of: open), let end = rest.range(of: close, range: start.upperBound..<rest.endIndex) {
            texts.append(decodeEntities(String(rest[start.upperBound..<end.lowerBound])))
            rest = rest[end.upperBound...]
        }
        return texts
    }

    /// `&amp;` -> `&`, `&#x41;` -> `A`, and so on.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = ""
        var rest = text[...]
        while let ampersand = rest.firstIndex(of: "&") {
            result += rest[..<ampersand]
            guard let semicolon = rest[ampersand...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: ampersand)..<semicolon]
            switch entity {
            case "amp": result += "&"
            case "lt": result += "<"
            case "gt": result += ">"
            case "quot": result += "\""
            case "apos": result += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16) : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
                if let number, let scalar = Unicode.Scalar(number) { result.unicodeScalars.append(scalar) } else { result += "&\(entity);" }
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return result + rest
    }
}

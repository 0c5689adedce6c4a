import Foundation

/// Finds a few top-level string fields of one JSON object without decoding the rest: what the deployment index
/// reads of each of its lines (10,000 deployments' lines decoded with `JSONDecoder` cost half a second).
///
/// It follows the object's shape (keys, strings, numbers, literals, nesting) but does not check what nested
/// values or strings hold (a decoder does, for the lines shown); a wanted field whose string holds an escape, or
/// anything it does not follow, makes it return nil, and the caller decodes that line in full.
struct JSONFieldScanner {
    private let keys: [[UInt8]]

    /// - Parameter keys: the fields to find, in the order ``scan(_:)`` reports them.
    init(keys: [String]) {
        self.keys = keys.map { Array($0.utf8) }
    }

    /// The byte ranges (within `bytes`, without the quotes) of the wanted fields' string values, one per key, nil
    /// where the object has no such string field; nil when `bytes` is not one JSON object the scan follows.
    func scan(_ bytes: UnsafeRawBufferPointer) -> [Range<Int>?]? {
        var found = [Range<Int>?](repeating: nil, count: keys.count)
        var cursor = Cursor(bytes: bytes)
        guard cursor.take(.openBrace) else { return nil }
        if !cursor.take(.closeBrace) {
            repeat {
                cursor.skipSpace()
                guard let key = cursor.string(), !key.isEscaped, cursor.take(.colon) else { return nil }
                cursor.skipSpace()
                if let wanted = keys.firstIndex(where: { cursor.matches(key.range, $0) }), cursor.peek == .quote {
                    guard let value = cursor.string(), !value.isEscaped else { return nil }
                    found[wanted] = value.range
                } else {
                    guard cursor.skipValue() else { return nil }
                }
            } while cursor.take(.comma)
            guard cursor.take(.closeBrace) else { return nil }
        }
        cursor.skipSpace()
        return cursor.isAtEnd ? found : nil
    }
}

private extension UInt8 {
    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")
    static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}"), openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
}

/// A position in one line's bytes.
private struct Cursor {
    let bytes: UnsafeRawBufferPointer
    var position = 0

    init(bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position == bytes.count }
    var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipSpace() {
        while let byte = peek, byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { position += 1 }
    }

    /// Skips space, then `byte` if it comes next.
    mutating func take(_ byte: UInt8) -> Bool {
        skipSpace()
        guard peek == byte else { return false }
        position += 1
        return true
    }

    /// Whether the bytes in `range` are `other`'s.
    func matches(_ range: Range<Int>, _ other: [UInt8]) -> Bool {
        guard range.count == other.count else { return false }
        return other.withUnsafeBytes { memcmp(bytes.baseAddress! + range.lowerBound, $0.baseAddress!, range.count) == 0 }
    }

    /// A string starting here: its contents' range, and whether it holds an escape.
    mutating func string() -> (range: Range<Int>, isEscaped: Bool)? {
        guard peek == .quote, let base = bytes.baseAddress else { return nil }
        let start = position + 1
        // Most strings hold no escape: the closing quote is the next one (memchr), and no backslash comes before it.
        guard let quote = memchr(base + start, Int32(UInt8.quote), bytes.count - start) else { return nil }
        let end = base.distance(to: UnsafeRawPointer(quote))
        if memchr(base + start, Int32(UInt8.backslash), end - start) == nil {
            position = end + 1
            return (start..<end, false)
        }
        position = start
        while let byte = peek {
            switch byte {
            case .quote:
                position += 1
                return (start..<position - 1, true)
            case .backslash:
                position += 2
            default:
                position += 1
            }
        }
        return nil
    }

    /// Skips one value: a string, a number, a literal, or an array or object (to its matching end).
    mutating func skipValue() -> Bool {
        guard let first = peek else { return false }
        switch first {
        case .quote:
            return string() != nil
        case .openBrace, .openBracket:
            var depth = 0
            while let byte = peek {
                switch byte {
                case .quote:
                    guard string() != nil else { return false }
                    continue
                case .openBrace, .openBracket:
                    depth += 1
                case .closeBrace, .closeBracket:
                    depth -= 1
                    if depth == 0 {
                        position += 1
                        return true
                    }
                default:
                    break
                }
                position += 1
            }
            return false
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            for literal in Self.literals where matches(position..<min(position + literal.count, bytes.count), literal) {
                position += literal.count
                return true
            }
            return false
        default:
            let start = position
            while let byte = peek, (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                position += 1
            }
            return position > start
        }
    }

    private static let literals = ["true", "false", "null"].map { Array($0.utf8) }
}

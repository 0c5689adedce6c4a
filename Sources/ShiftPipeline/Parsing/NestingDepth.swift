/// Finds where a YAML (or JSON) text nests deeper than a limit, without building it.
///
/// Yams cannot be given such a file: at 7,000 levels its composer (`Parser.loadNode`/`loadMapping`, recursive)
/// overflows the stack on block nesting, and libyaml's scanner crashes in `yaml_parser_fetch_flow_collection_end` on
/// flow nesting. This scan runs first, in one pass with no recursion, so that such a file is refused with a
/// position instead of crashing the process.
///
/// It counts what can nest: block indentation (one level per deeper indent), compact sequence entries on one line
/// (`- - - x`), and flow collections (`[`, `{`), skipping quoted scalars, comments and block scalars (`|`, `>`). The
/// count is within a factor of two of the composed depth (a sequence at its key's indentation is not counted), and
/// the limit is set far above what a pipeline needs (about 8 levels) and far below what overflows the stack.
struct NestingDepth {
    /// Deepest nesting accepted. A pipeline file needs about 8 levels; the stack holds thousands.
    static let maximum = 64

    /// Where the nesting first goes past `limit`: a 1-based line and column.
    static func firstExcess(in text: String, limit: Int = maximum) -> (line: Int, column: Int)? {
        var scan = NestingDepth(limit: limit)
        var lineNumber = 0
        var line: [UInt8] = []
        // Line by line as the bytes come, so that a huge file refused early is not split whole first.
        for byte in text.utf8 {
            guard byte == UInt8(ascii: "\n") else { line.append(byte); continue }
            lineNumber += 1
            if let column = scan.read(line) { return (lineNumber, column) }
            line.removeAll(keepingCapacity: true)
        }
        return scan.read(line).map { (lineNumber + 1, $0) }
    }

    private let limit: Int
    /// The indentation of each open block level.
    private var indents: [Int] = []
    /// Open `[` and `{`.
    private var flowDepth = 0
    /// The quote of a quoted scalar inside a flow collection that goes on to the next line.
    private var openQuote: UInt8?
    /// While inside a block scalar: the indentation of the line that started it.
    private var blockScalarParent: Int?

    private init(limit: Int) {
        self.limit = limit
    }

    private static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), hash = UInt8(ascii: "#"), dash = UInt8(ascii: "-")
    private static let question = UInt8(ascii: "?"), colon = UInt8(ascii: ":")
    private static let openers: Set<UInt8> = [UInt8(ascii: "["), UInt8(ascii: "{")]
    private static let closers: Set<UInt8> = [UInt8(ascii: "]"), UInt8(ascii: "}")]
    private static let quotes: Set<UInt8> = [UInt8(ascii: "\""), UInt8(ascii: "'")]
    private static let blockIndicators: Set<UInt8> = [UInt8(ascii: "|"), UInt8(ascii: ">")]

    /// Reads one line (without its newline); returns the 1-based column where the limit is passed, if it is.
    private mutating func read(_ line: [UInt8]) -> Int? {
        var bytes = line
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        let indent = bytes.prefix { $0 == Self.space }.count
        let isBlank = indent == bytes.count || bytes[indent] == Self.hash
        if let parent = blockScalarParent {
            if isBlank || indent > parent { return nil }
            blockScalarParent = nil
        }
        if openQuote != nil || flowDepth > 0 {
            return readFlow(bytes, from: 0, base: indents.count)
        }
        if isBlank { return nil }
        while let last = indents.last, last >= indent { indents.removeLast() }
        indents.append(indent)
        var depth = indents.count
        var position = indent
        // `- - x` and `? x` open a level each on the same line.
        while position < bytes.count, bytes[position] == Self.dash || bytes[position] == Self.question,
              position + 1 == bytes.count || bytes[position + 1] == Self.space {
            depth += 1
            if depth > limit { return position + 1 }
            position += 2
            while position < bytes.count, bytes[position] == Self.space { position += 1 }
        }
        if depth > limit { return position + 1 }
        // The node here, or the value after a key: a flow collection, a block scalar, or a scalar to skip.
        while position < bytes.count {
            let byte = bytes[position]
            if Self.openers.contains(byte) { return readFlow(bytes, from: position, base: depth) }
            if Self.blockIndicators.contains(byte) { blockScalarParent = indent; return nil }
            if byte == Self.hash, position == 0 || bytes[position - 1] == Self.space { return nil }
            if Self.quotes.contains(byte) {
                position = Self.skipQuoted(bytes, from: position) ?? bytes.count
                continue
            }
            if byte == Self.colon, position + 1 == bytes.count || bytes[position + 1] == Self.space {
                // A key: its value may be a flow collection or a block scalar.
                position += 1
                while position < bytes.count, bytes[position] == Self.space { position += 1 }
                continue
            }
            // A plain scalar: skip to a possible `: ` (a key) or the end.
            position += 1
            while position < bytes.count, !(bytes[position] == Self.colon && (position + 1 == bytes.count || bytes[position + 1] == Self.space)) {
                if bytes[position] == Self.hash, bytes[position - 1] == Self.space { return nil }
                position += 1
            }
        }
        return nil
    }

    /// Reads inside flow collections from `start`, `base` levels deep outside them.
    private mutating func readFlow(_ bytes: [UInt8], from start: Int, base: Int) -> Int? {
        var position = start
        if let quote = openQuote {
            guard let end = Self.skipQuoted(bytes, from: position, quote: quote) else { return nil }
            openQuote = nil
            position = end
        }
        while position < bytes.count {
            let byte = bytes[position]
            if Self.openers.contains(byte) {
                flowDepth += 1
                if base + flowDepth > limit { return position + 1 }
            } else if Self.closers.contains(byte) {
                flowDepth = max(0, flowDepth - 1)
                if flowDepth == 0 { return nil }
            } else if Self.quotes.contains(byte) {
                guard let end = Self.skipQuoted(bytes, from: position + 1, quote: byte) else {
                    openQuote = byte
                    return nil
                }
                position = end
                continue
            } else if byte == Self.hash, position == 0 || bytes[position - 1] == Self.space || bytes[position - 1] == Self.tab {
                return nil
            }
            position += 1
        }
        return nil
    }

    /// The position after the quoted scalar starting at `start` (its opening quote), or nil when it goes on past the line.
    private static func skipQuoted(_ bytes: [UInt8], from start: Int) -> Int? {
        skipQuoted(bytes, from: start + 1, quote: bytes[start])
    }

    /// The position after the closing `quote`, searching from `start` (inside the scalar); nil when not on this line.
    /// `''` in single quotes and `\"` in double quotes do not close.
    private static func skipQuoted(_ bytes: [UInt8], from start: Int, quote: UInt8) -> Int? {
        var position = start
        while position < bytes.count {
            let byte = bytes[position]
            if quote == UInt8(ascii: "\""), byte == UInt8(ascii: "\\") {
                position += 2
                continue
            }
            if byte == quote {
                if quote == UInt8(ascii: "'"), position + 1 < bytes.count, bytes[position + 1] == quote {
                    position += 2
                    continue
                }
                return position + 1
            }
            position += 1
        }
        return nil
    }
}

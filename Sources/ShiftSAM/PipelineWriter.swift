import Foundation

/// Writes the pipeline file's YAML line by line, each line with an optional comment saying where it came from.
/// Text values are written plain when YAML reads them back as the same text, else as JSON strings (which YAML
/// reads too), so nothing in a value can change the file's structure.
struct PipelineWriter {
    private(set) var lines: [String] = []

    mutating func comment(_ text: String, indent: Int = 0) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lines.append(String(repeating: " ", count: indent) + "# " + line)
        }
    }

    mutating func blank() {
        lines.append("")
    }

    /// `key: value  # comment`, or `key:` when `value` is nil.
    mutating func line(_ indent: Int, _ text: String, comment: String? = nil) {
        var line = String(repeating: " ", count: indent) + text
        if let comment, !comment.isEmpty { line += "  # " + Self.oneLine(comment) }
        lines.append(line)
    }

    var text: String { lines.joined(separator: "\n") + "\n" }

    /// A YAML scalar that reads back as exactly `value`, as text.
    static func quote(_ value: String) -> String {
        let plain = value.wholeMatch(of: /[A-Za-z_\/.][A-Za-z0-9_\/.\-]*/) != nil
        let reserved = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~", ".inf", ".nan"].contains(value.lowercased())
        if plain && !reserved && Double(value) == nil { return value }
        let data = (try? JSONEncoder().encode(value)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }

    /// A number as YAML writes it: `5`, `0.5`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }
}

import Foundation
import ShiftCore

/// Text made safe for HTML and SVG: every string that reaches a report from a user, a function or the journal
/// (names, hook messages, reasons) passes through `text(_:)`, which masks known secrets and then escapes it, so
/// a function named `<script>` is shown, never run.
public struct Markup: Sendable {
    /// The secrets to mask before escaping. Journal events are masked where they are made; this is the second
    /// line, for anything from logs a report may show.
    public var masker: SecretMasker

    public init(masker: SecretMasker = SecretMasker()) {
        self.masker = masker
    }

    /// `raw` masked, then escaped for an element's content or a quoted attribute value.
    public func text(_ raw: String) -> String {
        Self.escape(masker.mask(raw))
    }

    /// `raw` with `&`, `<`, `>`, `"` and `'` replaced by their character references (HTML's and XML's five).
    public static func escape(_ raw: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(raw.utf8.count)
        for character in raw {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default:
                // Control characters other than tab and newline are not allowed in XML 1.0: an SVG with one would not load.
                if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
                   scalar.value < 0x20, scalar != "\t", scalar != "\n" {
                    escaped += "\u{FFFD}"
                } else {
                    escaped.append(character)
                }
            }
        }
        return escaped
    }
}

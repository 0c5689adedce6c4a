import Foundation

extension Data {
    /// `text`'s UTF-8 bytes. `Data(text.utf8)` first casts the view to `ContiguousBytes`, and in a binary of
    /// this size a first dynamic cast scans every protocol conformance it holds: a tenth of a command's start-up.
    public init(utf8Of text: String) {
        var text = text
        self = text.withUTF8 { Data(buffer: $0) }
    }
}

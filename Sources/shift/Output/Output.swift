import Foundation
import ShiftLocal
import ShiftStorage

/// Writes to stdout and stderr. Results go to stdout; notes, progress and errors go to stderr.
enum Output {
    /// One line on stdout.
    static func line(_ text: String = "") {
        write("\(text)\n", to: .standardOutput)
    }

    /// One line on stderr.
    static func note(_ text: String) {
        write("\(text)\n", to: .standardError)
    }

    /// A closed terminal (EIO after SIGHUP) or a closed pipe makes a write fail: the line is lost, but the process
    /// goes on (a deployment still rolls back) instead of trapping in `FileHandle.write(_:)`.
    ///
    /// The string's own UTF-8 goes to the descriptor with `write(2)`: `Data(text.utf8)` cast the view to find a
    /// contiguous form, and in a binary of this size a first dynamic cast scans every protocol conformance, a
    /// tenth of `shift --version`'s time (BENCHMARKS.md, "Start-up").
    static func write(_ text: String, to handle: FileHandle) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = SystemCall.write(handle.fileDescriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// A warning on stderr about an error that does not stop the command (a damaged file concerning something else).
    static func warn(_ error: Error) {
        note("warning: \((error as? LocalizedError)?.errorDescription ?? "\(error)")")
    }

    /// A warning on stderr about a damaged file the command read past.
    static func warnSkipped(_ error: Error) {
        note("warning: \((error as? LocalizedError)?.errorDescription ?? "\(error)"); skipped")
    }

    /// `value` as pretty JSON on stdout.
    static func json<T: Encodable>(_ value: T) throws {
        line(String(decoding: try JSONFile.encoder().encode(value), as: UTF8.self))
    }

    /// `value` as one line of JSON on stdout, for event streams.
    static func jsonLine<T: Encodable>(_ value: T) throws {
        let encoder = JSONFile.encoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        line(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    /// Rows as aligned columns; the first row is the header.
    static func table(_ rows: [[String]]) {
        guard let header = rows.first else { return }
        let widths = header.indices.map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
        // One write for the whole table: a long listing would otherwise cost a system call a row.
        var text = ""
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            text += cells.joined(separator: "  ") + "\n"
        }
        write(text, to: .standardOutput)
    }

    /// Columns (each its header, then one cell a row) as a table, without the columns that have no cell: what a
    /// platform does not report shows as no column rather than a column of dashes.
    static func table(withoutEmptyColumns columns: [[String?]]) {
        let kept = columns.filter { $0.dropFirst().contains { $0 != nil } }
        guard let count = kept.first?.count else { return }
        table((0..<count).map { row in kept.map { $0[row] ?? "-" } })
    }
}

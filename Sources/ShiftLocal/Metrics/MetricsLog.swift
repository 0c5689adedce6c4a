import Foundation
import ShiftCore
import ShiftStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A function's invocation records: append-only, one tab-separated line each, bounded by rotation.
///
/// A line is `time<TAB>alias<TAB>version<TAB>duration-ms<TAB>error<TAB>throttle`, with `-` for no alias.
/// When `metrics.tsv` passes `rotationBytes`, it becomes `metrics.1.tsv` (replacing the previous one), so a
/// function keeps at most twice `rotationBytes` of history: the newest 8 to 16 MiB, about 180,000 to
/// 360,000 invocations. Appends and rotation hold the log's lock; a line is written with one `write`.
public struct MetricsLog: Sendable {
    /// Size at which the current file is rotated.
    public static let defaultRotationBytes = 8 * 1024 * 1024

    public let directory: URL
    public let rotationBytes: Int

    public init(directory: URL, rotationBytes: Int = defaultRotationBytes) {
        self.directory = directory
        self.rotationBytes = rotationBytes
    }

    var current: URL { directory.appendingPathComponent("metrics.tsv") }
    var previous: URL { directory.appendingPathComponent("metrics.1.tsv") }
    var lockURL: URL { directory.appendingPathComponent(".metrics.lock") }

    /// Appends one record.
    /// - Throws: `StorageError.io`.
    public func append(_ record: InvocationRecord) throws {
        let line = Self.line(for: record)
        try FileLock.withLock(at: lockURL) {
            var info = stat()
            if stat(current.path, &info) == 0, Int(info.st_size) >= rotationBytes {
                guard rename(current.path, previous.path) == 0 else {
                    throw StorageError.io(path: current.path, operation: "rotate", detail: StorageError.errnoDescription())
                }
            }
            let descriptor = open(current.path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)  // read: to see a torn last line
            guard descriptor >= 0 else {
                throw StorageError.opening(current.path, operation: "open")
            }
            defer { close(descriptor) }
            // A crash mid-append leaves a torn last line: start on a fresh line, so that the tear costs that line only.
            let line = Self.endsTorn(descriptor) ? "\n" + line : line
            let written = line.withCString { SystemCall.write(descriptor, $0, strlen($0)) }
            guard written == line.utf8.count else {
                throw StorageError.io(path: current.path, operation: "append to", detail: StorageError.errnoDescription())
            }
        }
    }

    /// Whether the file open at `descriptor` is non-empty and its last byte is not a newline.
    private static func endsTorn(_ descriptor: Int32) -> Bool {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0 else { return false }
        var last: UInt8 = 0
        return pread(descriptor, &last, 1, info.st_size - 1) == 1 && last != 0x0A
    }

    /// Every record at or after `since`, oldest file first. Lines that do not parse (a line torn by a crash) are
    /// skipped; a file with content of which not one line is a record is damaged, and so is a directory in its
    /// place: alarms must not evaluate a damaged log as a quiet one.
    /// - Throws: `StorageError.corruptState` naming the damaged file; `StorageError.io`.
    public func records(since: Date = .distantPast) throws -> [InvocationRecord] {
        let lock = try FileLock(url: lockURL)
        // Rotation renames under the lock; holding it keeps a record from being read twice or not at all.
        try lock.lock()
        let contents: [(URL, Data)]
        do {
            contents = try [previous, current].compactMap { url in try StateFile.contentsIfPresent(url).map { (url, $0) } }
        } catch {
            lock.unlock()
            throw error
        }
        lock.unlock()
        var records: [InvocationRecord] = []
        let cutoff = since.timeIntervalSince1970
        for (url, var data) in contents {
            guard !data.isEmpty else { continue }
            var recognised = 0
            // A terminating NUL lets strtod read the first field in place, even on a torn last line.
            data.append(0)
            data.withUnsafeBytes { buffer in
                let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
                let end = base + buffer.count - 1
                var cursor = base
                while cursor < end {
                    let newline = memchr(cursor, 0x0A, end - cursor).map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) } ?? end
                    defer { cursor = newline + 1 }
                    // Most lines of a long log are older than the window: judge them by their first field alone.
                    var fieldEnd: UnsafeMutablePointer<CChar>?
                    let time = strtod(cursor, &fieldEnd)
                    guard let fieldEnd, UnsafePointer(fieldEnd) != cursor, UnsafePointer(fieldEnd) < newline, fieldEnd.pointee == 0x09 else { continue }
                    recognised += 1
                    guard time >= cutoff else { continue }
                    let offset = UnsafeRawPointer(cursor) - buffer.baseAddress!
                    if let record = Self.parse(buffer[offset..<(offset + (newline - cursor))]) { records.append(record) }
                }
            }
            if recognised == 0 {
                throw StorageError.corruptState(file: url.path, detail: "no line is an invocation record")
            }
        }
        return records
    }

    /// The line `append` writes for `record`, newline included.
    public static func line(for record: InvocationRecord) -> String {
        let time = Self.thousandths(record.timestamp.timeIntervalSince1970)
        let duration = Self.thousandths(record.durationMilliseconds)
        return "\(time)\t\(record.alias ?? "-")\t\(record.executedVersion)\t\(duration)\t\(record.isError ? 1 : 0)\t\(record.isThrottle ? 1 : 0)\n"
    }

    /// `value` with three decimals, rounded half away from zero (`%.3f` rounds the binary value half to even:
    /// the two differ at ties only), without `String(format:)`'s variadic arguments. Times and durations are
    /// finite and positive; anything else is written as Swift writes a `Double`.
    static func thousandths(_ value: Double) -> String {
        guard value.isFinite, value.magnitude < 9e15 else { return String(value) }
        let scaled = Int((value.magnitude * 1_000).rounded())
        let fraction = String(scaled % 1_000)
        return (value < 0 && scaled > 0 ? "-" : "") + String(scaled / 1_000) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    static func parse(_ line: Slice<UnsafeRawBufferPointer>) -> InvocationRecord? {
        let fields = line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false)
        guard fields.count == 6,
              let time = Double(String(decoding: fields[0], as: UTF8.self)),
              let duration = Double(String(decoding: fields[3], as: UTF8.self)) else { return nil }
        let alias = String(decoding: fields[1], as: UTF8.self)
        let version = String(decoding: fields[2], as: UTF8.self)
        guard !version.isEmpty, fields[4].count == 1, fields[5].count == 1 else { return nil }
        return InvocationRecord(
            timestamp: Date(timeIntervalSince1970: time),
            alias: alias == "-" ? nil : alias,
            executedVersion: version,
            durationMilliseconds: duration,
            isError: fields[4].first == UInt8(ascii: "1"),
            isThrottle: fields[5].first == UInt8(ascii: "1"))
    }
}

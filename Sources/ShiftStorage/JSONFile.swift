import Foundation
import ShiftCore

/// Reads and writes the state directory's JSON files: pretty, sorted keys, ISO 8601 dates, atomic writes.
public enum JSONFile {
    /// An encoder for state files and `--output json`.
    public static func encoder() -> JSONEncoder {
        Timestamp.jsonEncoder()
    }

    /// A decoder matching `encoder()`.
    public static func decoder() -> JSONDecoder {
        Timestamp.jsonDecoder()
    }

    /// Decodes the file at `url`, or nil when it does not exist.
    /// - Throws: `StorageError.corruptState` naming the file when it exists but does not decode, or something other
    ///   than a file (a directory) stands in its place; `StorageError.io` when it cannot be read (permissions).
    public static func readIfPresent<T: Decodable>(_ type: T.Type, from url: URL) throws -> T? {
        guard let data = try StateFile.contentsIfPresent(url) else { return nil }
        do {
            return try decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw StorageError.corruptState(file: url.path, detail: describe(error, size: data.count))
        } catch let error as LocalizedError {
            throw StorageError.corruptState(file: url.path, detail: error.errorDescription ?? "\(error)")
        }
    }

    /// Encodes `value` and replaces the file at `url` atomically.
    /// - Throws: `StorageError.io`.
    public static func write<T: Encodable>(_ value: T, to url: URL, mode: mode_t = 0o644) throws {
        var data = try encoder().encode(value)
        data.append(0x0A)
        try AtomicFile.write(data, to: url, mode: mode)
    }

    /// One short phrase for a decoding failure: where and what.
    static func describe(_ error: DecodingError, size: Int) -> String {
        func path(_ codingPath: [CodingKey]) -> String {
            codingPath.isEmpty ? "top level" : codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .dataCorrupted(context):
            if context.codingPath.isEmpty { return size == 0 ? "empty file" : "not valid JSON, perhaps truncated" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        case let .keyNotFound(key, context):
            return "missing field \(path(context.codingPath + [key]))"
        case let .typeMismatch(_, context), let .valueNotFound(_, context):
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}

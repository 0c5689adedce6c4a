import Foundation

/// How shared state objects are written: JSON a human can read (pretty, sorted keys, ISO 8601 times), as the
/// state directory's files are, so one `aws s3 cp s3://.../deployments/d-1.json -` shows what `deployment get` does.
enum SharedStateJSON {
    static func encode<T: Encodable>(_ value: T) throws -> Data {
        try Timestamp.jsonEncoder().encode(value)
    }

    /// Decodes `data` read from `key` of `store`.
    /// - Throws: `ShiftCoreError.invalidValue` naming the object and what it should be.
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, key: String, store: any ObjectStore, expected: String) throws -> T {
        let decoder = Timestamp.jsonDecoder()
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            let start = String(decoding: data.prefix(40), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            throw ShiftCoreError.invalidValue(field: "\(store.location)/\(key)", value: start, expected: expected)
        }
    }
}

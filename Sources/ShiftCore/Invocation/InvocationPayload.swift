import Foundation

/// Checks event payloads before anything runs, as Lambda rejects a body that is not JSON.
public enum InvocationPayload {
    /// The event used when the caller gives none.
    public static let empty = Data("{}".utf8)

    /// Lambda's limit on a synchronous invocation's request payload: 6 MB (6,291,456 bytes).
    public static let maximumSize = 6 * 1024 * 1024

    /// - Throws: `ShiftCoreError.invalidValue` naming `field` when `data` is larger than `maximumSize` or not one JSON value.
    public static func validate(_ data: Data, field: String = "--payload") throws {
        guard data.count <= maximumSize else {
            // The size, never the content: a payload may carry a secret.
            throw ShiftCoreError.invalidValue(field: field, value: "\(data.count) bytes",
                                              expected: "at most \(maximumSize) bytes (6 MB), Lambda's limit for a request payload; pass a reference (e.g. an S3 key) instead of the data")
        }
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let text = String(decoding: data.prefix(60), as: UTF8.self)
            throw ShiftCoreError.invalidValue(field: field, value: text, expected: "a JSON document, e.g. '{\"id\": 1}'")
        }
    }
}

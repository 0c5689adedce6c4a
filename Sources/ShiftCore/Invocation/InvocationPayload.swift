import Foundation

/// Checks event payloads before anything runs, as Lambda rejects a body that is not JSON.
public enum InvocationPayload {
    /// The event used when the caller gives none.
    public static let empty = Data("{}".utf8)

    /// - Throws: `ShiftCoreError.invalidValue` naming `field` when `data` is not one JSON value.
    public static func validate(_ data: Data, field: String = "--payload") throws {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            let text = String(decoding: data.prefix(60), as: UTF8.self)
            throw ShiftCoreError.invalidValue(field: field, value: text, expected: "a JSON document, e.g. '{\"id\": 1}'")
        }
    }
}

import ArgumentParser
import Foundation
import ShiftCore

/// `--payload JSON | --payload-file PATH`.
struct PayloadOptions: ParsableArguments {
    @Option(help: "The event, as JSON (default {}).") var payload: String?
    @Option(name: .customLong("payload-file"), help: "A file holding the event JSON.") var payloadFile: String?

    func validate() throws {
        if payload != nil && payloadFile != nil {
            throw ValidationError("Give --payload or --payload-file, not both.")
        }
    }

    /// The event bytes, checked to be JSON.
    /// - Throws: `ShiftCoreError.invalidValue` for an unreadable file or malformed JSON.
    func data() throws -> Data {
        try Self.data(payload: payload, payloadFile: payloadFile)
    }

    /// The event bytes of `--payload` or `--payload-file`, checked to be JSON.
    /// - Throws: `ShiftCoreError.invalidValue` for an unreadable file or malformed JSON.
    static func data(payload: String?, payloadFile: String?) throws -> Data {
        let data: Data
        let field: String
        if let payloadFile {
            guard let contents = FileManager.default.contents(atPath: payloadFile) else {
                throw ShiftCoreError.invalidValue(field: "--payload-file", value: payloadFile, expected: "a readable file holding the event JSON")
            }
            data = contents
            field = "--payload-file \(payloadFile)"
        } else {
            data = payload.map(Data.init(utf8Of:)) ?? InvocationPayload.empty
            field = "--payload"
        }
        try InvocationPayload.validate(data, field: field)
        return data
    }
}

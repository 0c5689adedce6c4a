import Foundation
import ShiftCore

/// The content of one parameter file: every version, oldest first.
///
/// A SecureString version keeps only `sealedValue`, AES-256-GCM's combined nonce, ciphertext and tag
/// (base64 in JSON), sealed with the name and version as associated data; other types keep `value`.
struct StoredParameter: Codable, Equatable, Sendable {
    var name: ParameterName
    var versions: [StoredVersion]

    var latest: StoredVersion? { versions.last }
}

/// One version inside a parameter file.
struct StoredVersion: Codable, Equatable, Sendable {
    var version: Int
    var type: ParameterType
    var value: String?
    var sealedValue: Data?
    var description: String?
    var labels: [ParameterLabel]
    var lastModifiedDate: Date
}

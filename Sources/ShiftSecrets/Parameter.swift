import Foundation
import ShiftCore

/// One version of a parameter as `get` returns it, with the field names of SSM's GetParameter response.
///
/// A SecureString's `value` is `****` unless it was asked for decrypted.
public struct Parameter: Codable, Equatable, Sendable {
    public var name: ParameterName
    public var type: ParameterType
    public var value: String
    public var version: Int
    public var lastModifiedDate: Date
    /// `:3` or `:prod` when a version or label was asked for; nil otherwise (as SSM omits it).
    public var selector: String?
    /// The labels attached to this version.
    public var labels: [ParameterLabel]

    public init(name: ParameterName, type: ParameterType, value: String, version: Int, lastModifiedDate: Date, selector: String?, labels: [ParameterLabel]) {
        self.name = name
        self.type = type
        self.value = value
        self.version = version
        self.lastModifiedDate = lastModifiedDate
        self.selector = selector
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", type = "Type", value = "Value", version = "Version"
        case lastModifiedDate = "LastModifiedDate", selector = "Selector", labels = "Labels"
    }
}

import Foundation
import ShiftCore

/// One version in a parameter's history, with the field names of SSM's GetParameterHistory response.
public struct ParameterHistoryEntry: Codable, Equatable, Sendable {
    public var name: ParameterName
    public var type: ParameterType
    /// `****` for a SecureString unless the history was asked for decrypted.
    public var value: String
    public var version: Int
    public var description: String?
    public var lastModifiedDate: Date
    public var labels: [ParameterLabel]

    public init(name: ParameterName, type: ParameterType, value: String, version: Int, description: String?, lastModifiedDate: Date, labels: [ParameterLabel]) {
        self.name = name
        self.type = type
        self.value = value
        self.version = version
        self.description = description
        self.lastModifiedDate = lastModifiedDate
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", type = "Type", value = "Value", version = "Version"
        case description = "Description", lastModifiedDate = "LastModifiedDate", labels = "Labels"
    }
}

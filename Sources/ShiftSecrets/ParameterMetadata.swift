import Foundation
import ShiftCore

/// What `list` shows of a parameter's latest version, with the field names of SSM's DescribeParameters. Never a value.
public struct ParameterMetadata: Codable, Equatable, Sendable {
    public var name: ParameterName
    public var type: ParameterType
    public var version: Int
    public var description: String?
    public var lastModifiedDate: Date

    public init(name: ParameterName, type: ParameterType, version: Int, description: String?, lastModifiedDate: Date) {
        self.name = name
        self.type = type
        self.version = version
        self.description = description
        self.lastModifiedDate = lastModifiedDate
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", type = "Type", version = "Version"
        case description = "Description", lastModifiedDate = "LastModifiedDate"
    }
}

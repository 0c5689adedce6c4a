import Foundation

/// One version in a parameter's history: SSM's GetParameterHistory `ParameterHistory` shape, on every platform.
public struct ParameterHistoryEntry: Encodable, Equatable, Sendable {
    public var name: ParameterName
    public var type: ParameterType
    /// `****` for a SecureString unless the history was asked for decrypted.
    public var value: String
    public var version: Int
    public var description: String?
    public var lastModifiedDate: Date
    public var labels: [ParameterLabel]
    /// SSM's `DataType`: `text` unless the parameter holds an AMI id.
    public var dataType: String?
    /// Who stored this version (an IAM ARN); SSM only.
    public var lastModifiedUser: String?

    public init(name: ParameterName, type: ParameterType, value: String, version: Int, description: String?, lastModifiedDate: Date,
                labels: [ParameterLabel], dataType: String? = "text", lastModifiedUser: String? = nil) {
        self.name = name
        self.type = type
        self.value = value
        self.version = version
        self.description = description
        self.lastModifiedDate = lastModifiedDate
        self.labels = labels
        self.dataType = dataType
        self.lastModifiedUser = lastModifiedUser
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", type = "Type", value = "Value", version = "Version", description = "Description"
        case lastModifiedDate = "LastModifiedDate", labels = "Labels", dataType = "DataType", lastModifiedUser = "LastModifiedUser"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(value, forKey: .value)
        try container.encode(version, forKey: .version)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(lastModifiedDate.epochSeconds, forKey: .lastModifiedDate)
        try container.encode(labels, forKey: .labels)
        try container.encodeIfPresent(dataType, forKey: .dataType)
        try container.encodeIfPresent(lastModifiedUser, forKey: .lastModifiedUser)
    }
}

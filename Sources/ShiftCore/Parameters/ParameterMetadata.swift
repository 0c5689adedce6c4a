import Foundation

/// What `list` shows of a parameter's latest version: SSM's DescribeParameters `ParameterMetadata` shape, on every
/// platform. Never a value, of any type: a listing is for finding names, `get` shows one value.
public struct ParameterMetadata: Encodable, Equatable, Sendable {
    public var name: ParameterName
    public var type: ParameterType
    public var version: Int
    public var description: String?
    public var lastModifiedDate: Date
    /// SSM's ARN of the parameter; a ``LocalARN`` on a local account.
    public var arn: String
    /// SSM's `DataType`: `text` unless the parameter holds an AMI id.
    public var dataType: String?
    /// Who stored the latest version (an IAM ARN); SSM only.
    public var lastModifiedUser: String?

    public init(name: ParameterName, type: ParameterType, version: Int, description: String?, lastModifiedDate: Date,
                arn: String, dataType: String? = "text", lastModifiedUser: String? = nil) {
        self.name = name
        self.type = type
        self.version = version
        self.description = description
        self.lastModifiedDate = lastModifiedDate
        self.arn = arn
        self.dataType = dataType
        self.lastModifiedUser = lastModifiedUser
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", type = "Type", version = "Version", description = "Description"
        case lastModifiedDate = "LastModifiedDate", arn = "ARN", dataType = "DataType", lastModifiedUser = "LastModifiedUser"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(arn, forKey: .arn)
        try container.encode(type, forKey: .type)
        try container.encode(version, forKey: .version)
        try container.encodeIfPresent(description, forKey: .description)
        try container.encode(lastModifiedDate.epochSeconds, forKey: .lastModifiedDate)
        try container.encodeIfPresent(dataType, forKey: .dataType)
        try container.encodeIfPresent(lastModifiedUser, forKey: .lastModifiedUser)
    }
}

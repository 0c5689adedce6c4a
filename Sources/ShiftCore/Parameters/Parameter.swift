import Foundation

/// One version of a parameter as `get` returns it: SSM's GetParameter `Parameter` shape, on every platform.
///
/// A SecureString's `value` is `****` unless it was asked for decrypted. What shift adds beyond SSM's fields (the
/// version's labels, which GetParameter does not return) is encoded under `"Shift"`.
public struct Parameter: Encodable, Equatable, Sendable {
    public var name: ParameterName
    public var type: ParameterType
    public var value: String
    public var version: Int
    public var lastModifiedDate: Date
    /// `:3` or `:prod` when a version or label was asked for; nil otherwise (as SSM omits it).
    public var selector: String?
    /// SSM's ARN of the parameter; a ``LocalARN`` on a local account.
    public var arn: String
    /// SSM's `DataType`: `text` unless the parameter holds an AMI id.
    public var dataType: String?
    /// The labels attached to this version; nil where the platform does not return them with the value (SSM).
    public var labels: [ParameterLabel]?

    public init(name: ParameterName, type: ParameterType, value: String, version: Int, lastModifiedDate: Date, selector: String?,
                arn: String, dataType: String? = "text", labels: [ParameterLabel]?) {
        self.name = name
        self.type = type
        self.value = value
        self.version = version
        self.lastModifiedDate = lastModifiedDate
        self.selector = selector
        self.arn = arn
        self.dataType = dataType
        self.labels = labels
    }

    enum CodingKeys: String, CodingKey {
        case name = "Name", type = "Type", value = "Value", version = "Version", selector = "Selector"
        case lastModifiedDate = "LastModifiedDate", arn = "ARN", dataType = "DataType", shift = "Shift"
    }

    enum ShiftKeys: String, CodingKey {
        case labels = "Labels"
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encode(value, forKey: .value)
        try container.encode(version, forKey: .version)
        try container.encodeIfPresent(selector, forKey: .selector)
        try container.encode(lastModifiedDate.epochSeconds, forKey: .lastModifiedDate)
        try container.encode(arn, forKey: .arn)
        try container.encodeIfPresent(dataType, forKey: .dataType)
        if let labels {
            var shift = container.nestedContainer(keyedBy: ShiftKeys.self, forKey: .shift)
            try shift.encode(labels, forKey: .labels)
        }
    }
}

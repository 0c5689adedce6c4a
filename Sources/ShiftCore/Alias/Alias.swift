import Foundation

/// A named pointer at one or two published versions of a function.
public struct Alias: Codable, Equatable, Sendable {
    public var functionName: String
    public var name: String
    public var routing: AliasRouting
    /// Changes on every update; an update that names a stale revision is refused.
    public var revisionId: String
    public var description: String
    public var updatedAt: Date
    /// Lambda's `AliasArn`, as the platform reports it; not stored (the local platform derives it).
    public var arn: String?

    public init(functionName: String, name: String, routing: AliasRouting, revisionId: String, description: String, updatedAt: Date, arn: String? = nil) {
        self.arn = arn
        self.functionName = functionName
        self.name = name
        self.routing = routing
        self.revisionId = revisionId
        self.description = description
        self.updatedAt = updatedAt
    }
}

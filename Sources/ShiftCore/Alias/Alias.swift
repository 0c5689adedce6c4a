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

    public init(functionName: String, name: String, routing: AliasRouting, revisionId: String, description: String, updatedAt: Date) {
        self.functionName = functionName
        self.name = name
        self.routing = routing
        self.revisionId = revisionId
        self.description = description
        self.updatedAt = updatedAt
    }
}

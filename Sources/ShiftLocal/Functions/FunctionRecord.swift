import Foundation
import ShiftCore

/// A function as the local platform stores it: where its code lives and how to run it (`$LATEST`).
public struct FunctionRecord: Codable, Equatable, Sendable {
    public var name: String
    /// Absolute path of the code: a directory, or a single file whose directory becomes the working directory.
    public var codePath: String
    public var configuration: FunctionConfiguration
    public var createdAt: Date
    public var updatedAt: Date
    /// At most this many invocations of any version at once; the rest are throttled. Nil: no limit of its own.
    /// The function's, not a version's, as Lambda's reserved concurrency: publishing does not snapshot it.
    public var reservedConcurrency: Int?

    public init(name: String, codePath: String, configuration: FunctionConfiguration, createdAt: Date, updatedAt: Date, reservedConcurrency: Int? = nil) {
        self.reservedConcurrency = reservedConcurrency
        self.name = name
        self.codePath = codePath
        self.configuration = configuration
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var codeURL: URL { URL(fileURLWithPath: codePath) }
}

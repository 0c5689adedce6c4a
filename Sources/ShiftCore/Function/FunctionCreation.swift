import Foundation

/// What `function create` gives beside the code and configuration; a platform uses what applies to it. (The
/// runtime is configuration: versions snapshot it and `function update` changes it.)
public struct FunctionCreation: Equatable, Sendable {
    /// At most this many invocations at once (the local platform; Lambda keeps this apart, see PutFunctionConcurrency).
    public var reservedConcurrency: Int?
    /// AWS: the execution role ARN; else the account's.
    public var role: String?

    public init(reservedConcurrency: Int? = nil, role: String? = nil) {
        self.reservedConcurrency = reservedConcurrency
        self.role = role
    }
}

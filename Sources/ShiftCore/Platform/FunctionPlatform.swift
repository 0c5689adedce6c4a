import Foundation

/// What the deployment engine needs from a platform: versions, aliases and invocations.
///
/// The local platform and the AWS platform conform; the engine never knows which it has.
/// Implementations are safe to call from several tasks at once.
public protocol FunctionPlatform: Sendable {
    /// A published version of `function`.
    /// - Throws: a `.badInput` error when the function or version does not exist.
    func version(_ number: Int, of function: String) async throws -> FunctionVersion

    /// The current state of an alias, with its revision id.
    /// - Throws: a `.badInput` error when the function or alias does not exist.
    func alias(_ name: String, of function: String) async throws -> Alias

    /// Points an alias at `routing`. When `revisionId` is given and the alias has moved on since, nothing changes.
    /// - Throws: a `.conflict` error for a stale `revisionId`; a `.badInput` error for an unpublished version.
    func updateAlias(_ name: String, of function: String, routing: AliasRouting, revisionId: String?) async throws -> Alias

    /// Checks that `function` at `qualifier` exists and could be invoked, without invoking it.
    /// - Throws: a `.badInput` error naming what is missing.
    func checkInvocable(_ function: String, qualifier: FunctionQualifier) async throws

    /// Runs `function` once with `payload` as the event.
    /// A handler that fails is a result with `functionError` set, not a thrown error.
    /// - Throws: when the invocation could not be attempted (missing function, unreadable state).
    func invoke(_ function: String, qualifier: FunctionQualifier, payload: Data) async throws -> InvocationResult

    /// Notes about the platform's own calls since the last call, oldest first, for the deployment's event log:
    /// for example a request retried after throttling. The platform forgets them once taken.
    func drainNotices() -> [String]
}

extension FunctionPlatform {
    /// Platforms whose calls never need a note have none.
    public func drainNotices() -> [String] { [] }
}

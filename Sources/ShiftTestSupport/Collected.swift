import Foundation

/// Values appended from several threads or tasks, read back in the order they arrived.
public final class Collected<Value>: @unchecked Sendable {
    // @unchecked: `stored` is only touched under `lock`.
    private let lock = NSLock()
    private var stored: [Value] = []

    public init() {}

    /// Adds a value.
    public func append(_ value: Value) { lock.withLock { stored.append(value) } }

    /// Every value so far.
    public var values: [Value] { lock.withLock { stored } }
}

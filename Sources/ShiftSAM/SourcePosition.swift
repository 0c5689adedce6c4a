import Yams

/// Where a value stands in the template: 1-based line and column, as editors count them.
public struct SourcePosition: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    init(_ node: Node?) {
        self.init(line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1)
    }

    /// `12:7`.
    public var description: String { "\(line):\(column)" }
}

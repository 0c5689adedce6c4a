/// One problem in a pipeline file: where it is, which field, and what was expected there.
public struct FileIssue: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The file as the user named it.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column.
    public var column: Int
    /// The field's path, e.g. `stages[2].functions[0].preference`.
    public var field: String
    /// What is wrong and what is expected instead.
    public var message: String

    public init(file: String, line: Int, column: Int, field: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `pipeline.yml:14:20: stages[2].preference: ...`, the form editors and CI annotate.
    public var description: String {
        "\(file):\(line):\(column): \(field.isEmpty ? "(top level)" : field): \(message)"
    }
}

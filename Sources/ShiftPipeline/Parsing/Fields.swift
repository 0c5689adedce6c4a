import Yams

/// The checked fields of one mapping, by key, with their field paths.
struct Fields {
    let node: Node
    let path: String
    let values: [String: (key: Node, value: Node)]

    /// The value of `key`, unless absent or null.
    subscript(_ key: String) -> Node? {
        guard let value = values[key]?.value, !NodeReader.isNull(value) else { return nil }
        return value
    }

    /// The field path of `key`.
    func path(_ key: String) -> String { Self.join(path, key) }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
}

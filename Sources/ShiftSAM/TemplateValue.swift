/// A template value after its intrinsic functions are evaluated, keeping the position it came from.
public indirect enum TemplateValue: Equatable, Sendable {
    /// Text, numbers and Booleans alike (as CloudFormation passes them); intrinsics evaluate to text.
    case scalar(String, SourcePosition)
    case list([TemplateValue], SourcePosition)
    case map([Entry], SourcePosition)
    /// `!Ref AWS::NoValue`: the property is left out.
    case noValue(SourcePosition)

    /// A key and its value, in template order.
    public struct Entry: Equatable, Sendable {
        public var key: String
        public var keyPosition: SourcePosition
        public var value: TemplateValue
    }

    public var position: SourcePosition {
        switch self {
        case let .scalar(_, position), let .list(_, position), let .map(_, position), let .noValue(position): return position
        }
    }

    /// The text of a scalar.
    public var text: String? {
        if case let .scalar(text, _) = self { return text }
        return nil
    }

    /// A mapping's value for `key`.
    public subscript(key: String) -> TemplateValue? {
        guard case let .map(entries, _) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// A mapping's entries; none for other values.
    public var entries: [Entry] {
        if case let .map(entries, _) = self { return entries }
        return []
    }

    /// A list's items, leaving out `AWS::NoValue`.
    public var items: [TemplateValue]? {
        if case let .list(items, _) = self { return items.filter { if case .noValue = $0 { return false }; return true } }
        return nil
    }

    /// How the value reads in a message.
    var kind: String {
        switch self {
        case let .scalar(text, _): return "'\(text.prefix(60))'"
        case .list: return "a list"
        case .map: return "a mapping"
        case .noValue: return "AWS::NoValue"
        }
    }
}

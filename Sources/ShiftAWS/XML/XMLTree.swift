import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML element as the Query API's answers need it: a name, its text, its children. Namespaces are dropped.
struct XMLTree: Sendable, Equatable {
    var name: String
    var text: String
    var children: [XMLTree]

    /// Parses `data`, or nil when it is not well-formed XML.
    init?(parsing data: Data) {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        self = root
    }

    init(name: String, text: String = "", children: [XMLTree] = []) {
        self.name = name
        self.text = text
        self.children = children
    }

    /// The first child named `name`.
    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }

    /// The children named `name`.
    func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }

    /// The text of the first child named `name`, or nil when there is none.
    func text(of name: String) -> String? { child(name)?.text }

    /// The element at a path of child names, e.g. `["DescribeAlarmsResult", "MetricAlarms"]`.
    func descendant(_ path: [String]) -> XMLTree? {
        path.reduce(Optional(self)) { node, name in node?.child(name) }
    }

    /// Every element named `name` anywhere below this one, in document order.
    func all(_ name: String) -> [XMLTree] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.all(name) }
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [XMLTree] = []
        var root: XMLTree?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
            stack.append(XMLTree(name: local))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            guard var element = stack.popLast() else { return }
            element.text = element.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if stack.isEmpty {
                root = element
            } else {
                stack[stack.count - 1].children.append(element)
            }
        }
    }
}

import Foundation
import Yams

/// A SAM template (AWS::Serverless-2016-10-31) as read: its sections, each node keeping its position.
/// Values are evaluated later, and only those the conversion reads, by `IntrinsicEvaluator`.
final class SAMTemplate {
    /// A resource under `Resources`.
    struct Resource {
        var logicalID: String
        var type: String
        var node: Node
        var keyNode: Node
        /// `Properties`, when given.
        var properties: Node?
        /// The resource's `Condition`: it exists only when that condition is true.
        var condition: (name: String, node: Node)?
    }

    /// A parameter's value: the override or the default, as text (a list type is split at commas when used).
    struct Parameter {
        var name: String
        var type: String
        var value: String
        var node: Node
        var isSecret: Bool
    }

    let file: String
    let root: Node
    let parameters: [String: Parameter]
    let conditions: [String: Node]
    let mappings: Node?
    let resources: [Resource]
    /// `Globals.Function`, merged into each function by `Globals.merge`.
    let globalFunction: Node?
    let globals: Node?
    let outputs: Node?

    /// Reads `text` as a SAM template.
    /// - Throws: `SAMError.invalidTemplate` for text that is not YAML or JSON, a template that is not SAM, or a
    ///   parameter without a value (no default and no override) or outside its AllowedValues.
    init(text: String, file: String, overrides: [String: String]) throws {
        self.file = file
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: text)
        } catch {
            let (mark, problem) = SAMTemplate.syntaxProblem(error)
            throw SAMError.invalidTemplate(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, field: "",
                                           message: "is not valid YAML or JSON: \(problem); fix the syntax")
        }
        guard let composed, case let .mapping(top) = composed else {
            throw SAMError.invalidTemplate(file: file, line: composed?.mark?.line ?? 1, column: composed?.mark?.column ?? 1, field: "",
                                           message: "is not a SAM template: expected a mapping with Transform: AWS::Serverless-2016-10-31 and Resources")
        }
        root = composed
        func section(_ name: String) -> Node? { top.first { $0.key.scalar?.string == name }?.value }
        let transform = section("Transform")
        let transforms = transform.map { node -> [String] in
            if case let .sequence(items) = node { return items.compactMap { $0.scalar?.string } }
            return [node.scalar?.string ?? ""]
        } ?? []
        guard transforms.contains("AWS::Serverless-2016-10-31") else {
            let node = transform ?? composed
            throw SAMError.invalidTemplate(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, field: "Transform",
                                           message: transform == nil ? "is missing: a SAM template declares Transform: AWS::Serverless-2016-10-31"
                                                                     : "is \(SAMTemplate.describe(node)); expected AWS::Serverless-2016-10-31 (a SAM template)")
        }
        guard let resourcesNode = section("Resources"), case let .mapping(resourceMapping) = resourcesNode else {
            let node = section("Resources") ?? composed
            throw SAMError.invalidTemplate(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, field: "Resources",
                                           message: "is missing or not a mapping: a SAM template declares its functions under Resources")
        }
        var resources: [Resource] = []
        for (key, value) in resourceMapping {
            let id = key.scalar?.string ?? ""
            guard case let .mapping(fields) = value, let type = fields.first(where: { $0.key.scalar?.string == "Type" })?.value.scalar?.string else {
                throw SAMError.invalidTemplate(file: file, line: value.mark?.line ?? 1, column: value.mark?.column ?? 1, field: "Resources.\(id)",
                                               message: "has no Type; every resource names its type, e.g. Type: AWS::Serverless::Function")
            }
            let properties = fields.first { $0.key.scalar?.string == "Properties" }?.value
            let condition = fields.first { $0.key.scalar?.string == "Condition" }.flatMap { entry in entry.value.scalar.map { ($0.string, entry.value) } }
            resources.append(Resource(logicalID: id, type: type, node: value, keyNode: key, properties: properties, condition: condition))
        }
        self.resources = resources
        conditions = Dictionary(section("Conditions")?.mapping?.compactMap { entry in entry.key.scalar.map { ($0.string, entry.value) } } ?? [], uniquingKeysWith: { first, _ in first })
        mappings = section("Mappings")
        globals = section("Globals")
        globalFunction = globals?.mapping?.first { $0.key.scalar?.string == "Function" }?.value
        outputs = section("Outputs")
        parameters = try SAMTemplate.parameters(section("Parameters"), overrides: overrides, file: file)
    }

    private static func parameters(_ node: Node?, overrides: [String: String], file: String) throws -> [String: Parameter] {
        var result: [String: Parameter] = [:]
        for (key, value) in node?.mapping ?? [:] {
            let name = key.scalar?.string ?? ""
            func fail(_ at: Node, _ message: String) -> SAMError {
                SAMError.invalidTemplate(file: file, line: at.mark?.line ?? 1, column: at.mark?.column ?? 1, field: "Parameters.\(name)", message: message)
            }
            let fields = value.mapping
            let type = fields?.first { $0.key.scalar?.string == "Type" }?.value.scalar?.string ?? "String"
            let secret = fields?.first { $0.key.scalar?.string == "NoEcho" }?.value.scalar?.string.lowercased() == "true"
            guard let text = overrides[name] ?? fields?.first(where: { $0.key.scalar?.string == "Default" })?.value.scalar?.string else {
                throw fail(key, "has no value: give it a Default in the template, or a value with --parameter-overrides \(name)=VALUE")
            }
            if let allowed = fields?.first(where: { $0.key.scalar?.string == "AllowedValues" })?.value.sequence?.compactMap({ $0.scalar?.string }), !allowed.contains(text) {
                throw fail(key, "is '\(secret ? "****" : text)'; expected one of its AllowedValues: \(allowed.joined(separator: ", "))")
            }
            result[name] = Parameter(name: name, type: type, value: text, node: key, isSecret: secret)
        }
        for name in overrides.keys.sorted() where result[name] == nil && !IntrinsicEvaluator.pseudoParameterNames.contains(name) {
            let declared = result.keys.sorted()
            throw SAMError.invalidOption(option: "--parameter-overrides", value: name,
                                         expected: "a parameter the template declares (\(declared.isEmpty ? "it declares none" : declared.joined(separator: ", "))) or a pseudo parameter such as AWS::Region")
        }
        return result
    }

    func resource(_ logicalID: String) -> Resource? {
        resources.first { $0.logicalID == logicalID }
    }

    /// A mapping's value for `key`, and the key's node.
    static func field(_ node: Node?, _ key: String) -> (key: Node, value: Node)? {
        node?.mapping?.first { $0.key.scalar?.string == key }.map { ($0.key, $0.value) }
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case let .scalar(scalar): return "'\(scalar.string.prefix(60))'"
        }
    }

    private static func syntaxProblem(_ error: Error) -> (Mark?, String) {
        switch error as? YamlError {
        case let .scanner(context, problem, mark, _)?, let .parser(context, problem, mark, _)?, let .composer(context, problem, mark, _)?:
            return (mark, problem + (context.map { " (\($0.text))" } ?? ""))
        case let .reader(problem, _, _, _)?:
            return (nil, problem)
        default:
            return (nil, "\(error)")
        }
    }
}

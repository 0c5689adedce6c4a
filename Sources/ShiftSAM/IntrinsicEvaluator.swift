import Foundation
import Yams

/// Evaluates CloudFormation's intrinsic functions and condition functions in a template's nodes, short forms
/// (`!Ref X`) and long forms (`{"Ref": "X"}`) alike: Ref, Fn::Sub (both forms), Fn::GetAtt, Fn::If, Fn::Equals,
/// Fn::And, Fn::Or, Fn::Not, Condition, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::Base64; the pseudo
/// parameters; SAM's generated references `Fn.Alias` and `Fn.Version`. What the template alone cannot answer
/// (Fn::ImportValue, Fn::GetAZs, ...), an unknown function, a reference to nothing and a cycle are errors with
/// the position of the value at fault.
final class IntrinsicEvaluator {
    /// Pseudo parameters and their values when not overridden (`--parameter-overrides AWS::Region=eu-west-1`).
    static let pseudoParameterDefaults = [
        "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com", "AWS::NotificationARNs": "",
    ]
    static var pseudoParameterNames: Set<String> { Set(pseudoParameterDefaults.keys).union(["AWS::StackName", "AWS::StackId", "AWS::NoValue"]) }

    /// The version a `Fn.Version` reference stands for: known only when the pipeline publishes it.
    static let versionPlaceholder = "{version}"

    /// Functions the template alone cannot answer, with what to do instead.
    private static let unanswerable = [
        "Fn::ImportValue": "reads another stack's export, which the template does not hold; put the value in a parameter and give it with --parameter-overrides",
        "Fn::GetAZs": "lists a region's availability zones, which the template does not hold; write the value, or a parameter",
        "Fn::Cidr": "computes address blocks, which no function property converted by shift needs; write the value",
        "Fn::Transform": "runs a CloudFormation macro, which shift cannot run; expand it in the template",
        "Fn::ForEach": "is a language extension shift does not expand; expand it in the template",
        "Fn::Length": "is a language extension shift does not expand; write the value",
        "Fn::ToJsonString": "is a language extension shift does not expand; write the value",
    ]
    private static let known: Set<String> = ["Ref", "Condition", "Fn::Sub", "Fn::GetAtt", "Fn::If", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not",
                                            "Fn::Join", "Fn::Select", "Fn::Split", "Fn::FindInMap", "Fn::Base64"]

    let template: SAMTemplate
    /// `AWS::StackName`: the pipeline's name too.
    let stackName: String
    private let pseudo: [String: String]
    private var conditionValues: [String: Bool] = [:]
    private var names: [String: String] = [:]
    /// What is being evaluated now, to report a cycle of references instead of recursing forever.
    private var inProgress: [String] = []
    /// Parameters marked NoEcho that an evaluated value used (their values must not be written anywhere).
    private(set) var secretsUsed: [(name: String, position: SourcePosition)] = []

    init(template: SAMTemplate, overrides: [String: String], stackName: String) {
        self.template = template
        self.stackName = stackName
        var pseudo = IntrinsicEvaluator.pseudoParameterDefaults
        pseudo["AWS::StackName"] = stackName
        pseudo["AWS::StackId"] = "arn:aws:cloudformation:\(overrides["AWS::Region"] ?? "us-east-1"):\(overrides["AWS::AccountId"] ?? "123456789012"):stack/\(stackName)/shift"
        for (key, value) in overrides where IntrinsicEvaluator.pseudoParameterNames.contains(key) { pseudo[key] = value }
        self.pseudo = pseudo
    }

    func error(_ node: Node?, _ field: String, _ message: String) -> SAMError {
        SAMError.invalidTemplate(file: template.file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, field: field, message: message)
    }

    // MARK: Values

    /// Evaluates `node` and everything in it.
    /// - Throws: `SAMError.invalidTemplate` at the value at fault.
    func evaluate(_ node: Node, _ path: String) throws -> TemplateValue {
        let position = SourcePosition(node)
        if let found = try intrinsic(node, path) {
            return try apply(found.0, found.1, node: node, path: path)
        }
        switch node {
        case let .scalar(scalar):
            return .scalar(scalar.string, position)
        case let .sequence(sequence):
            return .list(try sequence.enumerated().map { try evaluate($0.element, "\(path)[\($0.offset)]") }, position)
        case let .mapping(mapping):
            var entries: [TemplateValue.Entry] = []
            for (key, value) in mapping {
                let name = key.scalar?.string ?? ""
                let evaluated = try evaluate(value, path.isEmpty ? name : "\(path).\(name)")
                if case .noValue = evaluated { continue }
                entries.append(.init(key: name, keyPosition: SourcePosition(key), value: evaluated))
            }
            return .map(entries, position)
        }
    }

    /// Evaluates `node` to text.
    func text(_ node: Node, _ path: String, expected: String = "text") throws -> String {
        let value = try evaluate(node, path)
        guard let text = value.text else { throw error(node, path, "is \(value.kind); expected \(expected)") }
        return text
    }

    /// The function's name and its argument when `node` is an intrinsic, short or long form.
    /// - Throws: for an unknown function, or one the template alone cannot answer.
    private func intrinsic(_ node: Node, _ path: String) throws -> (String, Node)? {
        let tag = node.tag.description
        var name: String
        var argument: Node
        if tag.hasPrefix("!"), tag.count > 1 {
            let short = String(tag.dropFirst())
            name = short == "Ref" || short == "Condition" ? short : "Fn::\(short)"
            argument = Self.untagged(node)
        } else if case let .mapping(mapping) = node, mapping.count == 1, let key = mapping.first?.key.scalar?.string,
                  key == "Ref" || key.hasPrefix("Fn::") {
            name = key
            argument = mapping.first!.value
        } else {
            return nil
        }
        if let advice = Self.unanswerable[name] { throw error(node, path, "\(name) \(advice)") }
        guard Self.known.contains(name) else {
            name = name.hasPrefix("Fn::") ? String(name.dropFirst(4)) : name
            throw error(node, path, "uses \(tag.hasPrefix("!") ? tag : "Fn::\(name)"), which is not a CloudFormation intrinsic function; expected one of Ref, Fn::Sub, Fn::GetAtt, Fn::If, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap, Fn::Base64")
        }
        return (name, argument)
    }

    /// The node without its tag, so that `!Sub "x"`'s argument reads as plain text.
    private static func untagged(_ node: Node) -> Node {
        switch node {
        case let .scalar(scalar): return .scalar(.init(scalar.string, Tag(.str), scalar.style, scalar.mark))
        case let .sequence(sequence): return .sequence(.init(Array(sequence), Tag(.seq), sequence.style, sequence.mark))
        case let .mapping(mapping): return .mapping(.init(Array(mapping), Tag(.map), mapping.style, mapping.mark))
        }
    }

    private func apply(_ name: String, _ argument: Node, node: Node, path: String) throws -> TemplateValue {
        let position = SourcePosition(node)
        switch name {
        case "Ref":
            guard let target = argument.scalar?.string else { throw error(argument, path, "Ref takes a name, e.g. !Ref Stage; found \(SAMTemplate.describe(argument))") }
            return try reference(target, node: argument, path: path)
        case "Fn::Sub":
            return .scalar(try substitute(argument, path), position)
        case "Fn::GetAtt":
            let parts: [String]
            if let text = argument.scalar?.string, let dot = text.firstIndex(of: ".") {
                parts = [String(text[..<dot]), String(text[text.index(after: dot)...])]
            } else if let items = argument.sequence, items.count == 2 {
                parts = try items.enumerated().map { try text($0.element, "\(path)[\($0.offset)]") }
            } else {
                throw error(argument, path, "Fn::GetAtt takes Resource.Attribute or [Resource, Attribute]")
            }
            return .scalar(try attribute(parts[0], parts[1], node: argument, path: path), position)
        case "Fn::If":
            guard let items = argument.sequence, items.count == 3, let condition = items[0].scalar?.string else {
                throw error(argument, path, "Fn::If takes [Condition, value if true, value if false]")
            }
            let chosen = try self.condition(condition, node: items[0], path: path) ? items[1] : items[2]
            return try evaluate(chosen, path)
        case "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition":
            return .scalar(try conditionFunction(name, argument, node: node, path: path) ? "true" : "false", position)
        case "Fn::Join":
            guard let items = argument.sequence, items.count == 2 else { throw error(argument, path, "Fn::Join takes [delimiter, [values]]") }
            let delimiter = try text(items[0], path, expected: "a delimiter")
            let values = try evaluate(items[1], path)
            guard let list = values.items else { throw error(items[1], path, "Fn::Join's second item is \(values.kind); expected a list") }
            return .scalar(try list.map { value -> String in
                guard let text = value.text else { throw error(items[1], path, "Fn::Join joins text; found \(value.kind)") }
                return text
            }.joined(separator: delimiter), position)
        case "Fn::Select":
            guard let items = argument.sequence, items.count == 2 else { throw error(argument, path, "Fn::Select takes [index, list]") }
            let index = Int(try text(items[0], path, expected: "an index"))
            let list = try listValue(items[1], path)
            guard let index, list.indices.contains(index) else { throw error(items[0], path, "Fn::Select's index is outside the list of \(list.count)") }
            return list[index]
        case "Fn::Split":
            guard let items = argument.sequence, items.count == 2 else { throw error(argument, path, "Fn::Split takes [delimiter, text]") }
            let delimiter = try text(items[0], path, expected: "a delimiter")
            let source = try text(items[1], path)
            return .list(source.components(separatedBy: delimiter).map { .scalar($0, position) }, position)
        case "Fn::FindInMap":
            guard let items = argument.sequence, items.count == 3 else { throw error(argument, path, "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]") }
            let keys = try items.enumerated().map { try text($0.element, "\(path)[\($0.offset)]") }
            guard let map = SAMTemplate.field(template.mappings, keys[0])?.value, let top = SAMTemplate.field(map, keys[1])?.value,
                  let value = SAMTemplate.field(top, keys[2])?.value else {
                throw error(argument, path, "Fn::FindInMap finds nothing at Mappings.\(keys.joined(separator: ".")); add it under Mappings")
            }
            return try evaluate(value, path)
        default:  // Fn::Base64
            return .scalar(Data(try text(argument, path).utf8).base64EncodedString(), position)
        }
    }

    private func listValue(_ node: Node, _ path: String) throws -> [TemplateValue] {
        let value = try evaluate(node, path)
        if let items = value.items { return items }
        if let text = value.text { return text.split(separator: ",", omittingEmptySubsequences: false).map { .scalar(String($0), value.position) } }
        throw error(node, path, "is \(value.kind); expected a list")
    }

    // MARK: References

    /// `!Ref name`: a parameter, a pseudo parameter, a resource, or SAM's `Fn.Alias` / `Fn.Version`.
    func reference(_ target: String, node: Node, path: String) throws -> TemplateValue {
        let position = SourcePosition(node)
        if target == "AWS::NoValue" { return .noValue(position) }
        if let value = pseudo[target] { return .scalar(value, position) }
        if let parameter = template.parameters[target] {
            if parameter.isSecret { secretsUsed.append((target, position)) }
            if parameter.type.hasPrefix("List<") || parameter.type == "CommaDelimitedList" {
                return .list(parameter.value.split(separator: ",", omittingEmptySubsequences: false).map { .scalar($0.trimmingCharacters(in: .whitespaces), position) }, position)
            }
            return .scalar(parameter.value, position)
        }
        if template.resource(target) != nil { return .scalar(try physicalName(target, node: node, path: path), position) }
        if let dot = target.firstIndex(of: "."), let function = template.resource(String(target[..<dot])), function.type == "AWS::Serverless::Function" {
            let suffix = target[target.index(after: dot)...]
            guard suffix == "Alias" || suffix == "Version" else {
                throw error(node, path, "refers to \(target); a function's generated references are \(function.logicalID).Alias and \(function.logicalID).Version")
            }
            guard let alias = try self.alias(of: function) else {
                throw error(node, path, "refers to \(target), which SAM generates only for a function with AutoPublishAlias; add AutoPublishAlias to \(function.logicalID)")
            }
            return .scalar(try functionARN(function.logicalID, node: node, path: path) + ":" + (suffix == "Alias" ? alias : Self.versionPlaceholder), position)
        }
        let known = (template.parameters.keys.sorted() + template.resources.map(\.logicalID)).prefix(12)
        throw error(node, path, "refers to '\(target)', which is no parameter, pseudo parameter or resource of the template\(known.isEmpty ? "" : " (it has: \(known.joined(separator: ", ")))")")
    }

    /// What `!Ref` of a resource gives: a function's FunctionName (or its logical id, the name shift gives it),
    /// an alarm's AlarmName, a deployment config's DeploymentConfigName; other resources' logical id.
    func physicalName(_ logicalID: String, node: Node?, path: String) throws -> String {
        if let name = names[logicalID] { return name }
        guard let resource = template.resource(logicalID) else { throw error(node, path, "refers to '\(logicalID)', which is no resource of the template") }
        let property: String?
        switch resource.type {
        case "AWS::Serverless::Function": property = "FunctionName"
        case "AWS::CloudWatch::Alarm": property = "AlarmName"
        case "AWS::CodeDeploy::DeploymentConfig": property = "DeploymentConfigName"
        default: property = nil
        }
        var name = logicalID
        if let property, let value = SAMTemplate.field(resource.properties, property)?.value {
            try enter(logicalID, node: node ?? value, path: path)
            defer { inProgress.removeLast() }
            name = try text(value, "Resources.\(logicalID).Properties.\(property)", expected: "a name")
        }
        names[logicalID] = name
        return name
    }

    /// The function's AutoPublishAlias, with Globals applied.
    func alias(of function: SAMTemplate.Resource) throws -> String? {
        let merged = Globals.merge(template.globalFunction, into: function.properties)
        guard let node = SAMTemplate.field(merged, "AutoPublishAlias")?.value else { return nil }
        let value = try evaluate(node, "Resources.\(function.logicalID).Properties.AutoPublishAlias")
        if case .noValue = value { return nil }
        guard let text = value.text else { throw error(node, "Resources.\(function.logicalID).Properties.AutoPublishAlias", "is \(value.kind); expected an alias name") }
        return text
    }

    private func functionARN(_ logicalID: String, node: Node, path: String) throws -> String {
        "arn:\(pseudo["AWS::Partition"]!):lambda:\(pseudo["AWS::Region"]!):\(pseudo["AWS::AccountId"]!):function:\(try physicalName(logicalID, node: node, path: path))"
    }

    private func attribute(_ logicalID: String, _ attribute: String, node: Node, path: String) throws -> String {
        if logicalID.hasSuffix(".Version") || logicalID.hasSuffix(".Alias") || attribute.hasPrefix("Version.") || attribute.hasPrefix("Alias.") {
            // !GetAtt Fn.Version.Version, !GetAtt Fn.Alias.Name ...: read as Fn + Version + Version.
            let parts = (logicalID + "." + attribute).split(separator: ".").map(String.init)
            if parts.count == 3, let function = template.resource(parts[0]), function.type == "AWS::Serverless::Function", let alias = try self.alias(of: function) {
                switch (parts[1], parts[2]) {
                case ("Version", "Version"): return Self.versionPlaceholder
                case ("Alias", "Name"): return alias
                default: break
                }
            }
        }
        guard let resource = template.resource(logicalID) else {
            throw error(node, path, "Fn::GetAtt refers to '\(logicalID)', which is no resource of the template")
        }
        switch (resource.type, attribute) {
        case ("AWS::Serverless::Function", "Arn"):
            return try functionARN(logicalID, node: node, path: path)
        case ("AWS::CloudWatch::Alarm", "Arn"):
            return "arn:\(pseudo["AWS::Partition"]!):cloudwatch:\(pseudo["AWS::Region"]!):\(pseudo["AWS::AccountId"]!):alarm:\(try physicalName(logicalID, node: node, path: path))"
        default:
            throw error(node, path, "Fn::GetAtt \(logicalID).\(attribute) is known only once CloudFormation creates \(resource.type); write the value, or a parameter")
        }
    }

    /// `${Name}`, `${Resource.Attribute}` and `${!Literal}` in text; the long form's variables first.
    private func substitute(_ argument: Node, _ path: String) throws -> String {
        var variables: [String: String] = [:]
        let format: Node
        if let items = argument.sequence {
            guard items.count == 2, case .mapping = items[1] else { throw error(argument, path, "Fn::Sub takes text, or [text, {Name: value}]") }
            format = items[0]
            for (key, value) in items[1].mapping! { variables[key.scalar?.string ?? ""] = try text(value, "\(path).\(key.scalar?.string ?? "")") }
        } else {
            format = argument
        }
        guard let source = format.scalar?.string else { throw error(format, path, "Fn::Sub's text is \(SAMTemplate.describe(format)); expected text") }
        var result = ""
        var rest = Substring(source)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw error(format, path, "Fn::Sub has '${' without a closing '}'; write ${Name}, or ${!Name} for a literal ${Name}")
            }
            let name = String(rest[start.upperBound..<end])
            if name.hasPrefix("!") {
                result += "${" + name.dropFirst() + "}"
            } else if let value = variables[name] {
                result += value
            } else if (name.hasSuffix(".Alias") || name.hasSuffix(".Version")) && name.split(separator: ".").count == 2 {
                result += try reference(name, node: format, path: path).text ?? ""
            } else if let dot = name.firstIndex(of: "."), template.resource(String(name[..<dot])) != nil {
                result += try attribute(String(name[..<dot]), String(name[name.index(after: dot)...]), node: format, path: path)
            } else {
                let value = try reference(name, node: format, path: path)
                guard let text = value.text else { throw error(format, path, "Fn::Sub's ${\(name)} is \(value.kind); expected text") }
                result += text
            }
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }

    // MARK: Conditions

    /// The value of the named condition under `Conditions`.
    func condition(_ name: String, node: Node, path: String) throws -> Bool {
        if let value = conditionValues[name] { return value }
        guard let definition = template.conditions[name] else {
            let declared = template.conditions.keys.sorted()
            throw error(node, path, "names condition '\(name)', which is not declared under Conditions\(declared.isEmpty ? "" : " (declared: \(declared.joined(separator: ", ")))")")
        }
        try enter("condition \(name)", node: node, path: path)
        defer { inProgress.removeLast() }
        let value = try conditionValue(definition, "Conditions.\(name)")
        conditionValues[name] = value
        return value
    }

    /// A condition function (or `{Condition: name}`) as a Boolean.
    private func conditionValue(_ node: Node, _ path: String) throws -> Bool {
        let tag = node.tag.description
        if tag == "!Condition", let name = node.scalar?.string { return try condition(name, node: node, path: path) }
        if case let .mapping(mapping) = node, mapping.count == 1, mapping.first?.key.scalar?.string == "Condition", let name = mapping.first?.value.scalar?.string {
            return try condition(name, node: mapping.first!.value, path: path)
        }
        guard let found = try intrinsic(node, path), ["Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Condition"].contains(found.0) else {
            let value = try evaluate(node, path)
            switch value.text?.lowercased() {
            case "true"?: return true
            case "false"?: return false
            default: throw error(node, path, "is \(value.kind); expected a condition: Fn::Equals, Fn::And, Fn::Or, Fn::Not or {Condition: Name}")
            }
        }
        return try conditionFunction(found.0, found.1, node: node, path: path)
    }

    private func conditionFunction(_ name: String, _ argument: Node, node: Node, path: String) throws -> Bool {
        switch name {
        case "Condition":
            guard let target = argument.scalar?.string else { throw error(argument, path, "Condition takes a condition's name") }
            return try condition(target, node: argument, path: path)
        case "Fn::Equals":
            guard let items = argument.sequence, items.count == 2 else { throw error(argument, path, "Fn::Equals takes [value, value]") }
            return try evaluate(items[0], path).text == evaluate(items[1], path).text
        case "Fn::Not":
            guard let items = argument.sequence, items.count == 1 else { throw error(argument, path, "Fn::Not takes [condition]") }
            return try !conditionValue(items[0], path)
        default:
            guard let items = argument.sequence, (2...10).contains(items.count) else { throw error(argument, path, "\(name) takes 2 to 10 conditions") }
            let values = try items.map { try conditionValue($0, path) }
            return name == "Fn::And" ? values.allSatisfy { $0 } : values.contains(true)
        }
    }

    /// Whether the resource exists: no `Condition`, or a true one.
    func exists(_ resource: SAMTemplate.Resource) throws -> Bool {
        guard let condition = resource.condition else { return true }
        return try self.condition(condition.name, node: condition.node, path: "Resources.\(resource.logicalID).Condition")
    }

    private func enter(_ key: String, node: Node, path: String) throws {
        if let start = inProgress.firstIndex(of: key) {
            let cycle = (inProgress[start...] + [key]).joined(separator: " -> ")
            throw error(node, path, "is part of a cycle of references (\(cycle)); break the cycle")
        }
        inProgress.append(key)
    }
}

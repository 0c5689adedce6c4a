import Foundation
import ShiftCore

import Yams

/// Reads a pipeline file (YAML, or JSON, which is YAML too) into a `Pipeline`, checking every rule and
/// reporting every problem at once, each with `file:line:column` and its field path. Nothing runs.
public struct PipelineParser {
    /// What parsing found: the pipeline when there are no issues, and warnings worth showing either way.
    public struct Outcome: Sendable {
        /// The pipeline, when the file has no issues.
        public var pipeline: Pipeline?
        /// Every problem, in file order.
        public var issues: [FileIssue]
        /// Worth showing, not errors (an approval timeout too short for people).
        public var warnings: [FileIssue]
    }

    /// The values of a stage's `type`.
    public static let stageTypes = ["build", "test", "deploy", "approval"]

    /// Parses `text`, reporting positions against `file` (the name as the user gave it).
    public static func parse(_ text: String, file: String) -> Outcome {
        // Before Yams, which composes recursively: thousands of levels would overflow the stack.
        if let (line, column) = NestingDepth.firstExcess(in: text) {
            let issue = FileIssue(file: file, line: line, column: column, field: "",
                                  message: "nests deeper than \(NestingDepth.maximum) levels (a pipeline needs about 8); flatten the file")
            return Outcome(pipeline: nil, issues: [issue], warnings: [])
        }
        let reader = NodeReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            reader.report(nil, "", syntaxMessage(error), at: syntaxMark(error))
            return Outcome(pipeline: nil, issues: reader.issues, warnings: [])
        }
        guard let root else {
            reader.report(nil, "", "the file is empty; expected a mapping with name, accounts, source and stages")
            return Outcome(pipeline: nil, issues: reader.issues, warnings: [])
        }
        let pipeline = PipelineParser(reader: reader).pipeline(root)
        let issues = reader.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        return Outcome(pipeline: issues.isEmpty ? pipeline : nil, issues: issues, warnings: reader.warnings)
    }

    /// Reads and parses the file at `path`.
    /// - Throws: `PipelineError.unreadableFile`; `PipelineError.invalidFile` listing every issue.
    public static func load(path: String) throws -> (pipeline: Pipeline, warnings: [FileIssue]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw PipelineError.unreadableFile(file: path, detail: exists ? "permission denied or not a file" : "no such file")
        }
        let outcome = parse(String(decoding: data, as: UTF8.self), file: path)
        guard let pipeline = outcome.pipeline else { throw PipelineError.invalidFile(file: path, issues: outcome.issues) }
        return (pipeline, outcome.warnings)
    }

    static func syntaxMark(_ error: Error) -> Mark? {
        switch error as? YamlError {
        case let .scanner(_, _, mark, _)?, let .parser(_, _, mark, _)?, let .composer(_, _, mark, _)?: return mark
        default: return nil
        }
    }

    static func syntaxMessage(_ error: Error) -> String {
        switch error as? YamlError {
        case let .scanner(context, problem, _, _)?, let .parser(context, problem, _, _)?, let .composer(context, problem, _, _)?:
            return "is not valid YAML or JSON: \(problem)\(context.map { " (\($0.text))" } ?? ""); fix the syntax"
        case let .reader(problem, _, _, _)?:
            return "cannot be read as text: \(problem)"
        default:
            return "is not valid YAML or JSON: \(error)"
        }
    }

    // MARK: Parsing

    private let reader: NodeReader

    private init(reader: NodeReader) {
        self.reader = reader
    }

    private func pipeline(_ root: Node) -> Pipeline? {
        guard let top = reader.fields(root, "", allowed: ["name", "accounts", "source", "parameters", "functions", "stages"],
                                      required: ["name", "accounts", "source", "stages"],
                                      expected: "a mapping with name, accounts, source and stages") else { return nil }
        let name = top["name"].flatMap { reader.string($0, "name", expected: "the pipeline's name") }
        let accounts = top["accounts"].map { self.accounts($0) } ?? []
        let source = top["source"].flatMap { self.source($0) }
        let parameters = top["parameters"].map { self.parameters($0) } ?? []
        let context = Context(accounts: accounts, parameters: parameters,
                              accountNames: Self.keys(top["accounts"]), functionNames: Self.keys(top["functions"]))
        let functions = top["functions"].map { self.functions($0, context) } ?? []
        let (stages, produced) = top["stages"].map { self.stages($0, context, functions: functions) } ?? ([], [])
        checkArtifactsExist(functions, produced: produced)
        guard let name, let source else { return nil }
        return Pipeline(name: name, accounts: accounts, source: source, parameters: parameters.map(\.name), functions: functions.map(\.value), stages: stages)
    }

    /// What later sections check references against.
    private struct Context {
        var accounts: [PipelineAccount]
        var parameters: [(name: String, node: Node)]
        /// Every key under accounts and functions, valid or not: a reference to an invalid one is not reported again.
        var accountNames: Set<String>
        var functionNames: Set<String>
    }

    private static func keys(_ node: Node?) -> Set<String> {
        Set(node?.mapping?.compactMap { $0.key.scalar?.string } ?? [])
    }

    private func accounts(_ node: Node) -> [PipelineAccount] {
        guard case let .mapping(mapping) = node, !mapping.isEmpty else {
            reader.report(node, "accounts", "is \(NodeReader.describe(node)); expected a mapping of account names to {platform: local} or {platform: aws, region: ...}")
            return []
        }
        var result: [PipelineAccount] = []
        for (key, value) in mapping {
            guard let name = reader.string(key, "accounts", expected: "an account name") else { continue }
            let path = "accounts.\(name)"
            do { try ResourceName.validateFunction(name, field: path) } catch { reader.report(error, key, path); continue }
            if result.contains(where: { $0.name == name }) { reader.report(key, path, "appears twice; name each account once"); continue }
            guard let fields = reader.fields(value, path, allowed: ["platform", "account"] + Self.awsSettings, required: ["platform"]),
                  let platformNode = fields["platform"], let platformText = reader.string(platformNode, fields.path("platform")) else { continue }
            guard let platform = PipelineAccount.Platform(rawValue: platformText) else {
                reader.report(platformNode, fields.path("platform"), "is '\(platformText)'; expected local or aws")
                continue
            }
            let local = fields["account"].flatMap { reader.string($0, fields.path("account")) }
            if let local, let node = fields["account"] {
                do { try ResourceName.validateFunction(local, field: fields.path("account")) } catch { reader.report(error, node, fields.path("account")) }
            }
            let settings = Self.awsSettings.map { key in fields[key].flatMap { reader.string($0, fields.path(key)) } }
            var state: SharedStateLocation?
            if let node = fields["state"], let text = reader.string(node, fields.path("state")) {
                do { state = try SharedStateLocation(parsing: text, field: fields.path("state")) } catch { reader.report(error, node, fields.path("state")) }
            }
            let kmsKey = settings[6]
            if let kmsKey, let node = fields["stateKmsKey"] {
                do { try KMSKeyReference.validate(kmsKey, field: fields.path("stateKmsKey")) } catch { reader.report(error, node, fields.path("stateKmsKey")) }
                if platform == .aws, fields["state"] == nil {
                    reader.report(fields.values["stateKmsKey"]?.key, fields.path("stateKmsKey"), "encrypts the account's shared state; give the account 'state: s3://BUCKET/PREFIX' too")
                }
            }
            switch platform {
            case .local:
                for key in Self.awsSettings where fields[key] != nil {
                    reader.report(fields.values[key]?.key, fields.path(key), "applies to aws accounts only; a local account takes 'account' (the state directory's account)")
                }
            case .aws:
                if fields["account"] != nil {
                    reader.report(fields.values["account"]?.key, fields.path("account"), "applies to local accounts only; an aws account takes region, profile, endpoint, role, runtime, state and stateKmsKey")
                }
            }
            result.append(PipelineAccount(name: name, platform: platform, localAccount: local, region: settings[0], profile: settings[1], endpoint: settings[2],
                                         role: settings[3], runtime: settings[4], state: state, stateKMSKey: kmsKey))
        }
        return result
    }

    /// What an aws account may set, in `PipelineAccount`'s order.
    private static let awsSettings = ["region", "profile", "endpoint", "role", "runtime", "state", "stateKmsKey"]

    private func source(_ node: Node) -> PipelineSource? {
        guard let fields = reader.fields(node, "source", allowed: ["directory", "git", "ref"], expected: "a mapping: {directory: PATH} or {git: URL, ref: REF}") else { return nil }
        switch (fields["directory"], fields["git"]) {
        case let (directory?, nil):
            if let ref = fields.values["ref"] { reader.report(ref.key, "source.ref", "applies to git sources only") }
            return reader.string(directory, "source.directory", expected: "a directory path").map { .directory(path: $0) }
        case let (nil, git?):
            guard let repository = reader.string(git, "source.git", expected: "a repository URL or path") else { return nil }
            let ref = fields["ref"].flatMap { reader.string($0, "source.ref", expected: "a branch, tag or commit") } ?? "HEAD"
            if ref.hasPrefix("-"), let node = fields["ref"] {
                reader.report(node, "source.ref", "is '\(ref)'; expected a branch, tag or commit, which never begins with '-' (git would read it as an option)")
                return nil
            }
            return .git(repository: repository, ref: ref)
        default:
            reader.report(node, "source", "needs exactly one of directory or git; e.g. {directory: ./src} or {git: https://example.com/repo.git, ref: main}")
            return nil
        }
    }

    private func parameters(_ node: Node) -> [(name: String, node: Node)] {
        guard case let .sequence(sequence) = node else {
            reader.report(node, "parameters", "is \(NodeReader.describe(node)); expected a list of parameter names such as /orders/prod/db-url")
            return []
        }
        var result: [(name: String, node: Node)] = []
        for (index, item) in sequence.enumerated() {
            let path = "parameters[\(index)]"
            guard let name = reader.string(item, path, expected: "a parameter name such as /orders/prod/db-url") else { continue }
            do { _ = try ParameterName(name) } catch { reader.report(error, item, path); continue }
            if result.contains(where: { $0.name == name }) { reader.report(item, path, "'\(name)' is declared twice") }
            result.append((name, item))
        }
        return result
    }

    /// Reports malformed `{{param:...}}` references in `text` and references to undeclared parameters.
    private func checkReferences(_ text: String, _ node: Node, _ path: String, _ context: Context) {
        let names: [String]
        do { names = try ParameterReference.names(in: text) } catch { reader.report(error, node, path); return }
        for name in names where !context.parameters.contains(where: { $0.name == name }) {
            reader.report(node, path, "references parameter \(name), which is not declared; add it under parameters")
        }
    }

    private func checkReferences(_ environment: [String: String], _ node: Node?, _ path: String, _ context: Context) {
        guard let node else { return }
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) {
            let valueNode = node.mapping?.first { $0.key.scalar?.string == key }?.value ?? node
            checkReferences(value, valueNode, "\(path).\(key)", context)
        }
    }

    private func functions(_ node: Node, _ context: Context) -> [(value: PipelineFunction, node: Node)] {
        guard case let .mapping(mapping) = node else {
            reader.report(node, "functions", "is \(NodeReader.describe(node)); expected a mapping of function names to {artifact, handler}")
            return []
        }
        var result: [(value: PipelineFunction, node: Node)] = []
        for (key, value) in mapping {
            guard let name = reader.string(key, "functions", expected: "a function name") else { continue }
            let path = "functions.\(name)"
            do { try ResourceName.validateFunction(name, field: path) } catch { reader.report(error, key, path); continue }
            if result.contains(where: { $0.value.name == name }) { reader.report(key, path, "appears twice; declare each function once"); continue }
            guard let fields = reader.fields(value, path, allowed: ["artifact", "handler", "runtime", "timeout", "environment", "description"], required: ["artifact", "handler"]) else { continue }
            let artifact = fields["artifact"].flatMap { reader.string($0, fields.path("artifact"), expected: "the name of an artifact") }
            var handler = fields["handler"].flatMap { reader.string($0, fields.path("handler"), expected: "a command such as ./handler.sh") }
            let runtime = fields["runtime"].flatMap { reader.string($0, fields.path("runtime"), expected: "a Lambda runtime such as python3.12 or nodejs22.x") }
            if let runtime, let runtimeNode = fields["runtime"] {
                do { try FunctionConfiguration.validateRuntime(runtime) } catch { reader.report(error, runtimeNode, fields.path("runtime")); handler = nil }
            }
            if let name = handler, let handlerNode = fields["handler"] {
                do { _ = try FunctionConfiguration(handler: name, runtime: runtime) } catch { reader.report(error, handlerNode, fields.path("handler")); handler = nil }
            }
            var timeout = FunctionConfiguration.defaultTimeout
            if let node = fields["timeout"], let seconds = reader.integer(node, fields.path("timeout"), in: 1...Int(FunctionConfiguration.maximumTimeout)) {
                timeout = Double(seconds)
            }
            let environment = fields["environment"].map { reader.environment($0, fields.path("environment")) } ?? [:]
            checkReferences(environment, fields["environment"], fields.path("environment"), context)
            let description = fields["description"].flatMap { reader.string($0, fields.path("description")) } ?? ""
            guard let artifact, let handler else { continue }
            result.append((PipelineFunction(name: name, artifact: artifact, handler: handler, runtime: runtime, timeout: timeout, environment: environment, description: description), value))
        }
        return result
    }

    // MARK: Stages

    /// The stages, and the names of every artifact a stage declares (also of stages with errors, to avoid cascades).
    private func stages(_ node: Node, _ context: Context, functions: [(value: PipelineFunction, node: Node)]) -> ([PipelineStage], Set<String>) {
        guard case let .sequence(sequence) = node, !sequence.isEmpty else {
            reader.report(node, "stages", "is \(NodeReader.describe(node)); expected a list of stages, each with a name and a type (\(Self.stageTypes.joined(separator: ", ")))")
            return ([], [])
        }
        var result: [PipelineStage] = []
        var names: Set<String> = []
        var artifacts: [String: String] = [:]  // artifact -> producing stage
        for (index, item) in sequence.enumerated() {
            let path = "stages[\(index)]"
            guard case .mapping = item else {
                reader.report(item, path, "is \(NodeReader.describe(item)); expected a stage: a mapping with name and type")
                continue
            }
            let typeNode = item.mapping?.first { $0.key.scalar?.string == "type" }?.value
            let type = typeNode.flatMap { NodeReader.isNull($0) ? nil : $0.scalar?.string }
            let allowed: [String]
            switch type {
            case "build", "test": allowed = ["name", "type", "commands", "timeout", "environment", "artifacts", "account"]
            case "deploy": allowed = ["name", "type", "account", "concurrency", "functions"]
            case "approval": allowed = ["name", "type", "approvers", "instructions", "timeout"]
            default: allowed = ["name", "type"]
            }
            guard let fields = reader.fields(item, path, allowed: type.map { Self.stageTypes.contains($0) } == true ? allowed : allowed + ["commands", "timeout", "environment", "artifacts", "account", "concurrency", "functions", "approvers", "instructions"],
                                             required: ["name", "type"]) else { continue }
            let name = fields["name"].flatMap { reader.string($0, fields.path("name"), expected: "the stage's name") }
            if let name, let nameNode = fields["name"] {
                if name.isEmpty || name.count > 64 || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) || name.hasPrefix(".") {
                    reader.report(nameNode, fields.path("name"), "is '\(name)'; expected 1 to 64 letters, digits, '-', '_' or '.'")
                } else if !names.insert(name).inserted {
                    reader.report(nameNode, fields.path("name"), "'\(name)' is used by an earlier stage; stage names must be unique")
                }
            }
            guard let type, let typeNode else { continue }
            guard Self.stageTypes.contains(type) else {
                // Its artifacts still count as declared, so that functions built from them are not reported too.
                for key in Self.keys(fields["artifacts"]) where artifacts[key] == nil { artifacts[key] = name ?? path }
                reader.report(typeNode, fields.path("type"), "is '\(type)'; expected one of \(Self.stageTypes.joined(separator: ", "))\(NodeReader.suggestion(type, Self.stageTypes))")
                continue
            }
            let kind: PipelineStage.Kind?
            switch type {
            case "build", "test":
                let stage = commandStage(fields, context, artifacts: &artifacts, stageName: name ?? path)
                kind = stage.map { type == "build" ? .build($0) : .test($0) }
            case "deploy":
                kind = deployStage(fields, context, functions: functions, artifacts: artifacts).map { .deploy($0) }
            default:
                kind = approvalStage(fields).map { .approval($0) }
            }
            if let name, let kind { result.append(PipelineStage(name: name, kind: kind)) }
        }
        return (result, Set(artifacts.keys))
    }

    private func account(_ fields: Fields, _ context: Context, required: Bool) -> String? {
        guard let node = fields["account"] else {
            if required { return nil }  // reported as missing by `fields`
            return context.accounts.first?.name
        }
        guard let name = reader.string(node, fields.path("account"), expected: "an account name") else { return nil }
        guard context.accounts.contains(where: { $0.name == name }) else {
            if context.accountNames.contains(name) { return nil }  // declared, with its own errors
            let declared = context.accounts.map(\.name)
            reader.report(node, fields.path("account"), "names account '\(name)', which is not declared under accounts\(declared.isEmpty ? "" : " (declared: \(declared.joined(separator: ", ")))")")
            return nil
        }
        return name
    }

    private func commandStage(_ fields: Fields, _ context: Context, artifacts: inout [String: String], stageName: String) -> CommandStage? {
        guard let commandsNode = fields["commands"] else {
            reader.report(fields.values["commands"]?.key ?? fields.node, fields.path("commands"), "is missing; a build or test stage needs a list of shell commands")
            return nil
        }
        let commands = reader.strings(commandsNode, fields.path("commands"), expected: "shell commands") ?? []
        if case let .sequence(sequence) = commandsNode {
            for (index, item) in sequence.enumerated() { if let text = item.scalar?.string { checkReferences(text, item, "\(fields.path("commands"))[\(index)]", context) } }
        } else if let text = commandsNode.scalar?.string {
            checkReferences(text, commandsNode, fields.path("commands"), context)
        }
        if commands.isEmpty, case .sequence = commandsNode { reader.report(commandsNode, fields.path("commands"), "is empty; expected at least one command") }
        let timeout = fields["timeout"].flatMap { reader.duration($0, fields.path("timeout"), within: .timeout) } ?? CommandStage.defaultTimeout
        let environment = fields["environment"].map { reader.environment($0, fields.path("environment")) } ?? [:]
        checkReferences(environment, fields["environment"], fields.path("environment"), context)
        // Without a declared account (already reported under accounts) there is nothing to default to.
        let account = self.account(fields, context, required: false)
        var declared: [ArtifactDeclaration] = []
        if let node = fields["artifacts"] {
            if case let .mapping(mapping) = node {
                for (key, value) in mapping {
                    guard let name = reader.string(key, fields.path("artifacts"), expected: "an artifact name") else { continue }
                    let path = "\(fields.path("artifacts")).\(name)"
                    if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }) || name.hasPrefix(".") {
                        reader.report(key, path, "is not an artifact name; expected letters, digits, '-', '_' or '.'")
                        continue
                    }
                    if let producer = artifacts[name] {
                        reader.report(key, path, "artifact '\(name)' is already produced by stage \(producer); artifacts are built once")
                        continue
                    }
                    guard let relative = reader.string(value, path, expected: "a path in the workspace, e.g. build/out") else { continue }
                    let components = relative.split(separator: "/")
                    if relative.hasPrefix("/") || components.contains("..") || components.isEmpty {
                        reader.report(value, path, "is '\(relative)'; expected a relative path inside the workspace, without '..'")
                        continue
                    }
                    artifacts[name] = stageName
                    declared.append(ArtifactDeclaration(name: name, path: relative))
                }
            } else {
                reader.report(node, fields.path("artifacts"), "is \(NodeReader.describe(node)); expected a mapping of artifact names to paths, e.g. {orders: build/orders}")
            }
        }
        guard let account, !commands.isEmpty else { return nil }
        return CommandStage(commands: commands, timeout: timeout, environment: environment, artifacts: declared, account: account)
    }

    private func approvalStage(_ fields: Fields) -> ApprovalStage? {
        var approvers: [String] = []
        if let node = fields["approvers"] {
            approvers = reader.strings(node, fields.path("approvers"), expected: "approver names or IAM ARNs") ?? []
            // Entries are positioned by their own node when the list is a sequence.
            let items: [Node] = { if case let .sequence(sequence) = node { return Array(sequence) } else { return [node] } }()
            for (index, entry) in approvers.enumerated() where ApproverPattern.isARN(entry) {
                if let problem = ApproverPattern.problem(with: entry) {
                    reader.report(index < items.count ? items[index] : node, fields.path("approvers") + "[\(index)]", "'\(entry)' \(problem)")
                }
            }
            if approvers.contains(where: ApproverPattern.isARN), let name = approvers.first(where: { !ApproverPattern.isARN($0) }) {
                reader.report(node, fields.path("approvers"), "mixes names ('\(name)') and IAM ARNs; list either names (any --by) or ARNs (verified identities), not both")
            }
        }
        let instructions = fields["instructions"].flatMap { reader.string($0, fields.path("instructions")) } ?? ""
        var timeout = ApprovalStage.defaultTimeout
        if let entry = fields.values["timeout"] {
            if NodeReader.isNull(entry.value) {
                reader.report(entry.key, fields.path("timeout"), "has no value; expected seconds or a duration such as 1h or 7d (leave the key out for the default, 7d)")
                return nil
            }
            guard let seconds = reader.duration(entry.value, fields.path("timeout"), within: .approvalTimeout) else { return nil }
            timeout = seconds
            if seconds < ApprovalStage.humanTimeout {
                reader.warn(entry.value, fields.path("timeout"), "is under 5 minutes: fine for tests, too short for a person to answer")
            }
        }
        return ApprovalStage(approvers: approvers, instructions: instructions, timeout: timeout)
    }

    private func deployStage(_ fields: Fields, _ context: Context, functions: [(value: PipelineFunction, node: Node)], artifacts: [String: String]) -> DeployStage? {
        let account = self.account(fields, context, required: true)
        if fields.values["account"] == nil {
            reader.report(fields.node, fields.path("account"), "is missing; a deploy stage deploys to one declared account")
        }
        let concurrency = fields["concurrency"].flatMap { reader.integer($0, fields.path("concurrency"), in: 1...64) } ?? DeployStage.defaultConcurrency
        guard let listNode = fields["functions"] else {
            reader.report(fields.values["functions"]?.key ?? fields.node, fields.path("functions"), "is missing; a deploy stage needs a list of functions to deploy")
            return nil
        }
        guard case let .sequence(sequence) = listNode, !sequence.isEmpty else {
            reader.report(listNode, fields.path("functions"), "is \(NodeReader.describe(listNode)); expected a list of {function, alias, preference}")
            return nil
        }
        var deployments: [FunctionDeployment] = []
        var valid = true
        for (index, item) in sequence.enumerated() {
            let path = "\(fields.path("functions"))[\(index)]"
            let platform = account.flatMap { name in context.accounts.first { $0.name == name }?.platform } ?? .local
            if let deployment = functionDeployment(item, path, context, platform: platform, functions: functions, artifacts: artifacts) {
                if deployments.contains(where: { $0.function == deployment.function && $0.alias == deployment.alias }) {
                    reader.report(item, path, "deploys \(deployment.function):\(deployment.alias) a second time in this stage")
                    valid = false
                }
                deployments.append(deployment)
            } else {
                valid = false
            }
        }
        guard let account, valid else { return nil }
        return DeployStage(account: account, concurrency: concurrency, functions: deployments)
    }

    private func functionDeployment(_ node: Node, _ path: String, _ context: Context, platform: PipelineAccount.Platform,
                                    functions: [(value: PipelineFunction, node: Node)], artifacts: [String: String]) -> FunctionDeployment? {
        guard let fields = reader.fields(node, path, allowed: ["function", "alias", "preference", "alarms", "preTraffic", "postTraffic", "hookTimeout", "bake", "pollInterval", "environment", "traffic", "analysis"],
                                         required: ["function", "alias", "preference"]) else { return nil }
        let before = reader.issues.count
        var function: PipelineFunction?
        if let node = fields["function"], let name = reader.string(node, fields.path("function"), expected: "a function declared under functions") {
            if let declared = functions.first(where: { $0.value.name == name })?.value {
                function = declared
                if artifacts[declared.artifact] == nil {
                    reader.report(node, fields.path("function"), "function \(name) is built from artifact '\(declared.artifact)', which no build or test stage before this one produces")
                }
            } else if !context.functionNames.contains(name) {
                let known = functions.map(\.value.name)
                reader.report(node, fields.path("function"), "names function '\(name)', which is not declared under functions\(known.isEmpty ? "" : " (declared: \(known.joined(separator: ", ")))")")
            }
        }
        var alias: String?
        if let node = fields["alias"], let text = reader.string(node, fields.path("alias"), expected: "an alias name") {
            do { try ResourceName.validateAlias(text, field: fields.path("alias")); alias = text } catch { reader.report(error, node, fields.path("alias")) }
        }
        var preference: DeploymentPreference?
        if let node = fields["preference"], let text = reader.string(node, fields.path("preference"), expected: "a deployment preference such as AllAtOnce") {
            do { preference = try DeploymentPreference.named(text) } catch { reader.report(error, node, fields.path("preference")) }
        }
        var alarmNames: [String] = []
        var definitions: [AlarmDefinition] = []
        if let node = fields["alarms"] {
            if case let .sequence(sequence) = node {
                if sequence.count > DeploymentRequest.maximumAlarms {
                    reader.report(node, fields.path("alarms"), "lists \(sequence.count) alarms; expected at most \(DeploymentRequest.maximumAlarms) (CodeDeploy's limit)")
                }
                for (index, item) in sequence.enumerated() {
                    let itemPath = "\(fields.path("alarms"))[\(index)]"
                    guard let (name, definition) = alarm(item, itemPath, function: function?.name, alias: alias) else { continue }
                    if alarmNames.contains(name) { reader.report(item, itemPath, "alarm \(name) is listed twice") }
                    alarmNames.append(name)
                    if let definition {
                        if platform == .aws {
                            reader.report(item, itemPath, "defines alarm \(name) inline; on an aws account an alarm is the name of an existing CloudWatch alarm: create it in CloudWatch and list its name")
                        }
                        definitions.append(definition)
                    }
                }
            } else {
                reader.report(node, fields.path("alarms"), "is \(NodeReader.describe(node)); expected a list of alarm names or alarm definitions")
            }
        }
        var hooks: [String?] = []
        for key in ["preTraffic", "postTraffic"] {
            guard let node = fields[key], let text = reader.string(node, fields.path(key), expected: "a hook function, NAME[:QUALIFIER]") else { hooks.append(nil); continue }
            do { _ = try FunctionQualifier.split(text) } catch { reader.report(error, node, fields.path(key)) }
            hooks.append(text)
        }
        let hookTimeout = fields["hookTimeout"].flatMap { reader.duration($0, fields.path("hookTimeout"), within: .timeout) } ?? DeploymentRequest.defaultHookTimeout
        let bake = fields["bake"].flatMap { reader.duration($0, fields.path("bake"), within: .hold) } ?? 0
        let pollInterval = fields["pollInterval"].flatMap { reader.duration($0, fields.path("pollInterval"), within: .pollInterval) }
        let environment = fields["environment"].map { reader.environment($0, fields.path("environment")) } ?? [:]
        checkReferences(environment, fields["environment"], fields.path("environment"), context)
        if platform == .aws {
            refuseParameterReferences(in: environment, fields["environment"], fields.path("environment"))
            if let function, let node = fields["function"] {
                refuseParameterReferences(in: function.environment, node, fields.path("function"), owner: "function \(function.name)'s environment")
            }
        }
        var traffic: Double?
        if let node = fields["traffic"], let rate = reader.number(node, fields.path("traffic"), expected: "invocations per second, more than 0 and at most 1000") {
            if rate > 0, rate <= 1000 { traffic = rate } else { reader.report(node, fields.path("traffic"), "is '\(rate.compact)'; expected invocations per second, more than 0 and at most 1000") }
        }
        // Inline, as the analysis file's mapping: positions stay in this file.
        let analysis = fields["analysis"].flatMap { AnalysisParser(reader: reader).analysis($0, fields.path("analysis")) }
        guard reader.issues.count == before, let function, let alias, let preference else { return nil }
        return FunctionDeployment(function: function.name, alias: alias, preference: preference, alarms: alarmNames, alarmDefinitions: definitions,
                                  preTrafficHook: hooks[0], postTrafficHook: hooks[1], hookTimeout: hookTimeout, bake: bake, pollInterval: pollInterval,
                                  environment: environment, traffic: traffic, analysis: analysis)
    }

    /// Lambda cannot resolve `{{param:...}}` at each invocation, and shift will not copy a secret into a function's
    /// configuration (as `AWSPlatform` refuses `--env`): a function deployed to an aws account takes none.
    private func refuseParameterReferences(in environment: [String: String], _ node: Node?, _ path: String, owner: String = "environment") {
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) where !((try? ParameterReference.names(in: value)) ?? []).isEmpty {
            reader.report(node, path, "\(owner) sets \(key) from {{param:...}}, which an aws account cannot resolve at each invocation; read the parameter from SSM in the function's code (its name in a plain variable), or deploy to a local account")
        }
    }

    /// An alarm entry: a name of an alarm in the account, or a definition that the stage puts before deploying.
    private func alarm(_ node: Node, _ path: String, function: String?, alias: String?) -> (String, AlarmDefinition?)? {
        if case .scalar = node {
            guard let name = reader.string(node, path, expected: "an alarm name") else { return nil }
            do { try ResourceName.validateAlarm(name, field: path) } catch { reader.report(error, node, path); return nil }
            return (name, nil)
        }
        guard let fields = reader.fields(node, path, allowed: ["name", "metric", "statistic", "period", "evaluationPeriods", "datapointsToAlarm", "threshold", "comparison", "treatMissingData"],
                                         required: ["name", "metric", "threshold"], expected: "an alarm name or a definition {name, metric, threshold, ...}") else { return nil }
        let before = reader.issues.count
        let name = fields["name"].flatMap { reader.string($0, fields.path("name"), expected: "an alarm name") }
        let metric = fields["metric"].flatMap { node in
            reader.string(node, fields.path("metric")).flatMap { text -> MetricName? in
                guard let value = MetricName(rawValue: text) else {
                    reader.report(node, fields.path("metric"), "is '\(text)'; expected one of \(MetricName.allCases.map(\.rawValue).joined(separator: ", "))")
                    return nil
                }
                return value
            }
        }
        var statistic = Statistic.sum
        if let node = fields["statistic"], let text = reader.string(node, fields.path("statistic")) {
            do { statistic = try Statistic(parsing: text) } catch { reader.report(error, node, fields.path("statistic")) }
        }
        let period = fields["period"].flatMap { reader.duration($0, fields.path("period"), within: .period) } ?? 60
        let evaluationPeriods = fields["evaluationPeriods"].flatMap { reader.integer($0, fields.path("evaluationPeriods"), in: 1...86_400) } ?? 1
        let datapoints = fields["datapointsToAlarm"].flatMap { reader.integer($0, fields.path("datapointsToAlarm"), in: 1...86_400) } ?? evaluationPeriods
        let threshold = fields["threshold"].flatMap { reader.number($0, fields.path("threshold"), expected: "a number") }
        var comparison = ComparisonOperator.greaterThanThreshold
        if let node = fields["comparison"], let text = reader.string(node, fields.path("comparison")) {
            if let value = ComparisonOperator(rawValue: text) { comparison = value } else {
                reader.report(node, fields.path("comparison"), "is '\(text)'; expected one of \(ComparisonOperator.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        var missing = MissingDataTreatment.missing
        if let node = fields["treatMissingData"], let text = reader.string(node, fields.path("treatMissingData")) {
            if let value = MissingDataTreatment(rawValue: text) { missing = value } else {
                reader.report(node, fields.path("treatMissingData"), "is '\(text)'; expected one of \(MissingDataTreatment.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        guard reader.issues.count == before, let name, let metric, let threshold else { return nil }
        do {
            try ResourceName.validateAlarm(name, field: fields.path("name"))
            let definition = try AlarmDefinition(name: name, functionName: function ?? "function", alias: alias, metric: metric, statistic: statistic, period: period,
                                                 evaluationPeriods: evaluationPeriods, datapointsToAlarm: datapoints, threshold: threshold, comparison: comparison, treatMissingData: missing)
            return (name, function == nil ? nil : definition)
        } catch {
            reader.report(error, node, path)
            return nil
        }
    }

    /// Every declared function's artifact must be produced by some stage.
    private func checkArtifactsExist(_ functions: [(value: PipelineFunction, node: Node)], produced: Set<String>) {
        for function in functions where !produced.contains(function.value.artifact) {
            let node = function.node.mapping?.first { $0.key.scalar?.string == "artifact" }?.value ?? function.node
            reader.report(node, "functions.\(function.value.name).artifact", "names artifact '\(function.value.artifact)', which no build or test stage declares under artifacts")
        }
    }
}

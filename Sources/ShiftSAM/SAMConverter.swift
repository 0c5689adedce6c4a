import Foundation
import ShiftCore
import Yams

/// Converts a SAM template's functions and their DeploymentPreferences into a pipeline file: a build stage that
/// collects each function's CodeUri directory, a `hooks` stage that ships the hook functions at once, and a
/// `deploy` stage that ships the other functions as their preferences say (alarms, hooks, `Enabled: false`).
/// What cannot carry over is listed, never dropped silently.
public struct SAMConverter {
    /// What a conversion gives: the pipeline file's text, and every part of the template that did not carry over.
    public struct Conversion: Sendable {
        public var pipeline: String
        public var items: [ConversionItem]
    }

    /// Whether the local platform runs handlers of `runtime` with Lambda's programming model (Python 3 and
    /// Node.js; it says which versions when a function is created). Other runtimes are listed on local accounts.
    static func runsLocally(_ runtime: String) -> Bool {
        runtime.hasPrefix("python3") || runtime.hasPrefix("nodejs")
    }

    /// The properties of AWS::Serverless::Function that carry over; every other one is listed.
    static let convertedProperties: Set<String> = ["CodeUri", "Handler", "Runtime", "Timeout", "Environment", "FunctionName", "Description",
                                                   "AutoPublishAlias", "DeploymentPreference"]
    /// What to do instead, for the properties that do not carry over and come up often.
    static let advice: [String: String] = [
        "Events": "shift does not create event sources; point the event source at the alias, or invoke it with 'shift invoke NAME:ALIAS'",
        "Layers": "shift ships the CodeUri directory only: copy the layer's files into it in the build stage",
        "Policies": "shift does not manage IAM; on an aws account the execution role is the account's role:",
        "Role": "shift does not manage IAM; on an aws account give the role as the account's role:",
        "MemorySize": "a pipeline function has no memory setting; set it on the function in Lambda",
        "InlineCode": "shift ships a directory; move the code into a directory and name it in CodeUri",
        "VpcConfig": "shift does not configure networking; set it on the function in Lambda",
        "AutoPublishCodeSha256": "shift publishes a version whenever the code or configuration changes",
        "AutoPublishAliasAllProperties": "shift publishes a version whenever the code or configuration changes",
        "VersionDescription": "shift describes versions itself",
        "ProvisionedConcurrencyConfig": "set provisioned concurrency on the alias in Lambda",
        "ReservedConcurrentExecutions": "set it with 'shift function update --reserved-concurrency'",
    ]

    let template: SAMTemplate
    let evaluator: IntrinsicEvaluator
    let options: ConversionOptions
    let templateDirectory: URL
    private var items: [ConversionItem] = []

    /// Converts `text`, the template at `templateURL` (named `file` in messages).
    /// - Throws: `SAMError.invalidTemplate` with the position of the first value that cannot be read or evaluated.
    public static func convert(_ text: String, file: String, templateURL: URL, options: ConversionOptions) throws -> Conversion {
        let template = try SAMTemplate(text: text, file: file, overrides: options.parameterOverrides)
        var converter = SAMConverter(template: template, options: options, templateURL: templateURL)
        return try converter.run()
    }

    private init(template: SAMTemplate, options: ConversionOptions, templateURL: URL) {
        self.template = template
        self.options = options
        templateDirectory = templateURL.deletingLastPathComponent().standardizedFileURL
        let stack = templateDirectory.lastPathComponent.isEmpty ? "sam-app" : templateDirectory.lastPathComponent
        evaluator = IntrinsicEvaluator(template: template, overrides: options.parameterOverrides, stackName: stack)
    }

    private mutating func note(_ position: SourcePosition, _ property: String, _ advice: String) {
        items.append(ConversionItem(file: template.file, position: position, property: property, advice: advice))
    }

    // MARK: Conversion

    private mutating func run() throws -> Conversion {
        var functions: [ConvertedFunction] = []
        var usedResources: Set<String> = []
        for resource in template.resources where resource.type == "AWS::Serverless::Function" {
            guard try evaluator.exists(resource) else { continue }
            functions.append(try function(resource))
        }
        guard !functions.isEmpty else {
            throw evaluator.error(SAMTemplate.field(template.root, "Resources")?.value, "Resources",
                                  "has no AWS::Serverless::Function (whose Condition holds); shift converts functions and their DeploymentPreference")
        }
        // Hooks name functions; those functions ship first, at once, so that they exist when the deploy stage calls them.
        for index in functions.indices {
            for hook in [functions[index].preTraffic, functions[index].postTraffic].compactMap({ $0 }) {
                if let target = functions.firstIndex(where: { $0.name == hook.function }) {
                    functions[target].isHook = true
                    checkHookReporting(functions[target], hook: hook)
                } else {
                    note(hook.position, hook.property, "names \(hook.function), which is not a function of the template: create it in the account before the pipeline runs")
                }
            }
            for alarm in functions[index].alarms { if let id = alarm.logicalID { usedResources.insert(id) } }
            if let id = functions[index].deploymentConfig { usedResources.insert(id) }
        }
        noteUnconverted(usedResources: usedResources)
        let text = write(functions)
        return Conversion(pipeline: text, items: items.sorted { ($0.position.line, $0.position.column) < ($1.position.line, $1.position.column) })
    }

    /// A hook that reports to CodeDeploy with PutLifecycleEventHookExecutionStatus would fail there (no CodeDeploy
    /// deployment): shift reads the hook's response. Found by its Policies allowing the call, or its code making it.
    private mutating func checkHookReporting(_ hook: ConvertedFunction, hook reference: HookReference) {
        let marker = "PutLifecycleEventHookExecutionStatus"
        var found = hook.policies.flatMap { Self.containsText($0, marker) } == true
        if !found, let directory = hook.codeDirectory {
            found = Self.codeMentions(directory, ["PutLifecycleEventHookExecutionStatus", "putLifecycleEventHookExecutionStatus", "put_lifecycle_event_hook_execution_status"])
        }
        guard found, !items.contains(where: { $0.property == reference.property && $0.advice.contains(marker) }) else { return }
        note(reference.position, reference.property,
             "hook \(hook.name) reports to CodeDeploy with \(marker); shift reads the hook's response instead: answer {\"status\": \"Failed\"} (or fail) to stop the deployment, anything else passes (see the README's hook contract)")
    }

    private static func containsText(_ node: Node, _ text: String) -> Bool {
        switch node {
        case let .scalar(scalar): return scalar.string.contains(text)
        case let .sequence(items): return items.contains { containsText($0, text) }
        case let .mapping(mapping): return mapping.contains { containsText($0.key, text) || containsText($0.value, text) }
        }
    }

    private static func codeMentions(_ directory: URL, _ markers: [String]) -> Bool {
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey]) else { return false }
        var looked = 0
        for case let url as URL in files where looked < 500 {
            guard let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey]), values.isRegularFile == true,
                  (values.fileSize ?? 0) < 1_000_000, let data = FileManager.default.contents(atPath: url.path) else { continue }
            looked += 1
            let text = String(decoding: data, as: UTF8.self)
            if markers.contains(where: { text.contains($0) }) { return true }
        }
        return false
    }

    /// Resources, Globals and Outputs that no part of the pipeline carries.
    private mutating func noteUnconverted(usedResources: Set<String>) {
        for resource in template.resources where resource.type != "AWS::Serverless::Function" && !usedResources.contains(resource.logicalID) {
            let path = "Resources.\(resource.logicalID)"
            switch resource.type {
            case "AWS::CloudWatch::Alarm":
                note(SourcePosition(resource.keyNode), path, "no DeploymentPreference watches this alarm; create it with 'shift alarm put' if you still want it")
            default:
                note(SourcePosition(resource.keyNode), path, "\(resource.type) is not converted: shift converts functions, their alarms and deployment configs; create it yourself")
            }
        }
        for (key, _) in template.globals?.mapping ?? [:] where key.scalar?.string != "Function" {
            note(SourcePosition(key), "Globals.\(key.scalar?.string ?? "")", "applies to resources shift does not convert")
        }
        if let outputs = SAMTemplate.field(template.root, "Outputs") {
            note(SourcePosition(outputs.key), "Outputs", "a pipeline has no outputs; read a function's alias with 'shift alias get'")
        }
    }

    // MARK: Functions

    private mutating func function(_ resource: SAMTemplate.Resource) throws -> ConvertedFunction {
        let base = "Resources.\(resource.logicalID).Properties"
        let properties = Globals.merge(template.globalFunction, into: resource.properties)
        func field(_ key: String) -> (key: Node, value: Node)? { SAMTemplate.field(properties, key) }
        let name = try evaluator.physicalName(resource.logicalID, node: resource.keyNode, path: "Resources.\(resource.logicalID)")
        do { try ResourceName.validateFunction(name, field: "\(base).FunctionName") } catch {
            throw evaluator.error(field("FunctionName")?.value ?? resource.keyNode, "\(base).FunctionName", (error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
        var function = ConvertedFunction(name: name, logicalID: resource.logicalID, position: SourcePosition(resource.keyNode))

        // Code: a directory next to the template.
        guard let codeUri = field("CodeUri") else {
            let inline = field("InlineCode")
            throw evaluator.error(inline?.key ?? resource.keyNode, "\(base).CodeUri",
                                  inline == nil ? "is missing; shift ships a directory: name the function's code directory in CodeUri" : "is missing (the function has InlineCode); shift ships a directory: move the code into one and name it in CodeUri")
        }
        let code = try evaluator.evaluate(codeUri.value, "\(base).CodeUri")
        guard let path = code.text, !path.hasPrefix("s3://") else {
            throw evaluator.error(codeUri.value, "\(base).CodeUri", "is \(code.kind); shift builds from a directory next to the template: point CodeUri at it (sam build/package fill in S3 locations later)")
        }
        let directory = URL(fileURLWithPath: path, relativeTo: templateDirectory).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw evaluator.error(codeUri.value, "\(base).CodeUri", "is '\(path)', which is not a directory relative to the template; shift ships the function's code directory")
        }
        guard let relative = Self.relativePath(of: directory, from: templateDirectory), !relative.hasPrefix("..") else {
            throw evaluator.error(codeUri.value, "\(base).CodeUri", "is '\(path)', outside the template's directory; the pipeline's source is that directory: move the code inside it")
        }
        function.codeDirectory = directory
        function.artifactPath = relative
        function.codePosition = code.position

        // Runtime and handler.
        let runtime = try field("Runtime").map { try evaluator.text($0.value, "\(base).Runtime") }
        let handler = try field("Handler").map { try evaluator.text($0.value, "\(base).Handler") }
        function.runtime = runtime
        function.samHandler = handler
        function.runtimePosition = field("Runtime").map { SourcePosition($0.value) } ?? function.position
        if runtime?.hasPrefix("provided") == true {
            function.handler = options.platform == .local ? "./bootstrap" : (handler ?? "bootstrap")
        } else if let runtime {
            function.handler = handler ?? ""
            if options.platform == .local && !Self.runsLocally(runtime) {
                note(function.runtimePosition, "\(base).Runtime",
                     "\(runtime) handlers do not run on the local platform (it runs Python 3 and Node.js handlers, and shell-style ones: event on stdin, response on stdout); make the code directory's handler such a program, or deploy to an aws account")
            }
        } else {
            throw evaluator.error(resource.keyNode, "\(base).Runtime", "is missing (in the function and in Globals.Function); shift needs the runtime to know how to run the handler")
        }
        guard !function.handler.isEmpty else {
            throw evaluator.error(resource.keyNode, "\(base).Handler", "is missing (in the function and in Globals.Function); give the handler, e.g. app.lambda_handler")
        }

        if let timeout = field("Timeout") {
            let text = try evaluator.text(timeout.value, "\(base).Timeout")
            guard let seconds = Int(text), (1...900).contains(seconds) else {
                throw evaluator.error(timeout.value, "\(base).Timeout", "is '\(text)'; expected whole seconds from 1 to 900 (Lambda's limit)")
            }
            function.timeout = (seconds, SourcePosition(timeout.value))
        }
        if let environment = field("Environment") {
            let value = try evaluator.evaluate(environment.value, "\(base).Environment")
            for entry in value.entries {
                guard entry.key == "Variables" else {
                    note(entry.keyPosition, "\(base).Environment.\(entry.key)", "is not converted; a pipeline function's environment is its variables")
                    continue
                }
                for variable in entry.value.entries {
                    let before = evaluator.secretsUsed.count
                    _ = try evaluator.evaluate(SAMTemplate.field(SAMTemplate.field(environment.value, "Variables")?.value, variable.key)?.value ?? environment.value, "\(base).Environment.Variables.\(variable.key)")
                    if evaluator.secretsUsed.count > before {
                        let parameter = evaluator.secretsUsed[before].name
                        note(variable.value.position, "\(base).Environment.Variables.\(variable.key)",
                             "is set from NoEcho parameter \(parameter), which shift never writes into a pipeline file; store it with 'shift param put /\(parameter) --secure' and set the variable to {{param:/\(parameter)}} (local accounts)")
                        continue
                    }
                    guard let text = variable.value.text else {
                        throw evaluator.error(environment.value, "\(base).Environment.Variables.\(variable.key)", "is \(variable.value.kind); expected text")
                    }
                    function.environment.append((variable.key, text, variable.value.position))
                }
            }
        }
        if let description = field("Description") {
            function.description = try evaluator.text(description.value, "\(base).Description")
        }
        if let alias = try evaluator.alias(of: resource) {
            do { try ResourceName.validateAlias(alias, field: "\(base).AutoPublishAlias") } catch {
                throw evaluator.error(field("AutoPublishAlias")?.value, "\(base).AutoPublishAlias", (error as? LocalizedError)?.errorDescription ?? "\(error)")
            }
            function.alias = alias
            function.aliasPosition = field("AutoPublishAlias").map { SourcePosition($0.value) }
        }
        function.policies = field("Policies")?.value

        if let preference = field("DeploymentPreference") {
            guard function.aliasPosition != nil else {
                throw evaluator.error(preference.key, "\(base).DeploymentPreference", "needs AutoPublishAlias (SAM deploys through the alias); add AutoPublishAlias: live")
            }
            try self.preference(preference.value, "\(base).DeploymentPreference", into: &function)
        }
        for (key, value) in properties?.mapping ?? [:] {
            let property = key.scalar?.string ?? ""
            guard !Self.convertedProperties.contains(property) else { continue }
            if property == "Events", case let .mapping(events) = value {
                for (eventKey, event) in events {
                    let type = SAMTemplate.field(event, "Type")?.value.scalar?.string ?? "event"
                    note(SourcePosition(eventKey), "\(base).Events.\(eventKey.scalar?.string ?? "")", "\(type) event: \(Self.advice["Events"]!)")
                }
                continue
            }
            note(SourcePosition(key), "\(base).\(property)", Self.advice[property] ?? "is not converted; a pipeline function has no such setting")
        }
        return function
    }

    // MARK: DeploymentPreference

    private mutating func preference(_ node: Node, _ path: String, into function: inout ConvertedFunction) throws {
        let value = try evaluator.evaluate(node, path)
        guard case .map = value else { throw evaluator.error(node, path, "is \(value.kind); expected a mapping with Type, and Alarms, Hooks, Enabled") }
        if let enabled = value["Enabled"] {
            switch enabled.text?.lowercased() {
            case "false"?:
                function.preference = ("AllAtOnce", enabled.position, "DeploymentPreference.Enabled: false: the alias moves at once, no hooks or alarms")
                for entry in value.entries where entry.key != "Enabled" {
                    note(entry.keyPosition, "\(path).\(entry.key)", "does not apply: the preference has Enabled: false, so the alias moves at once without it")
                }
                return
            case "true"?: break
            default: throw evaluator.error(node, "\(path).Enabled", "is \(enabled.kind); expected true or false")
            }
        }
        guard let type = value["Type"] else { throw evaluator.error(node, "\(path).Type", "is missing; expected e.g. Canary10Percent5Minutes or AllAtOnce") }
        guard let name = type.text else { throw evaluator.error(node, "\(path).Type", "is \(type.kind); expected a deployment configuration name") }
        let chosen = try preferenceName(name, position: type.position, path: "\(path).Type", function: &function)
        function.preference = chosen
        for entry in value.entries {
            let here = "\(path).\(entry.key)"
            switch entry.key {
            case "Type", "Enabled": continue
            case "Alarms":
                guard let list = entry.value.items else { throw evaluator.error(node, here, "is \(entry.value.kind); expected a list of alarms") }
                for (index, alarm) in list.enumerated() {
                    guard let alarmName = alarm.text else { throw evaluator.error(node, "\(here)[\(index)]", "is \(alarm.kind); expected an alarm name") }
                    let converted = try self.alarm(alarmName, position: alarm.position, path: "\(here)[\(index)]", function: function)
                    function.alarms.append(converted)
                }
            case "Hooks":
                for hook in entry.value.entries {
                    guard hook.key == "PreTraffic" || hook.key == "PostTraffic" else {
                        note(hook.keyPosition, "\(here).\(hook.key)", "is not a CodeDeploy Lambda hook; expected PreTraffic or PostTraffic")
                        continue
                    }
                    guard var target = hook.value.text else { throw evaluator.error(node, "\(here).\(hook.key)", "is \(hook.value.kind); expected a hook function") }
                    // An ARN names the function after ":function:".
                    if let range = target.range(of: ":function:") { target = String(target[range.upperBound...]).split(separator: ":").first.map(String.init) ?? target }
                    let reference = HookReference(function: target, position: hook.value.position, property: "\(here).\(hook.key)")
                    if hook.key == "PreTraffic" { function.preTraffic = reference } else { function.postTraffic = reference }
                }
            case "TriggerConfigurations":
                note(entry.keyPosition, here, "shift sends no SNS notifications; follow a deployment with 'shift deployment status' or the pipeline's exit code")
            case "Role":
                note(entry.keyPosition, here, "shift deploys without CodeDeploy, so it needs no CodeDeploy service role")
            case "PassthroughCondition":
                note(entry.keyPosition, here, "the preference is always applied by shift")
            default:
                note(entry.keyPosition, here, "is not a DeploymentPreference property shift knows; expected Type, Alarms, Hooks, Enabled")
            }
        }
    }

    /// A CodeDeploy configuration name: one of the nine (with or without the CodeDeployDefault.Lambda prefix), one of
    /// shift's own forms, or a custom config defined in the template as an AWS::CodeDeploy::DeploymentConfig.
    private func preferenceName(_ name: String, position: SourcePosition, path: String, function: inout ConvertedFunction) throws -> (String, SourcePosition, String) {
        if (try? DeploymentPreference.named(name)) != nil {
            let bare = name.hasPrefix(DeploymentPreference.codeDeployPrefix) ? String(name.dropFirst(DeploymentPreference.codeDeployPrefix.count)) : name
            return (bare, position, "DeploymentPreference.Type \(name)")
        }
        for resource in template.resources where resource.type == "AWS::CodeDeploy::DeploymentConfig" {
            guard try evaluator.physicalName(resource.logicalID, node: nil, path: "Resources.\(resource.logicalID)") == name else { continue }
            let configPath = "Resources.\(resource.logicalID).Properties.TrafficRoutingConfig"
            let routing = try SAMTemplate.field(resource.properties, "TrafficRoutingConfig").map { try evaluator.evaluate($0.value, configPath) }
            var converted: String?
            switch routing?["Type"]?.text {
            case "AllAtOnce"?: converted = "AllAtOnce"
            case "TimeBasedCanary"?:
                if let percent = routing?["TimeBasedCanary"]?["CanaryPercentage"]?.text, let minutes = routing?["TimeBasedCanary"]?["CanaryInterval"]?.text {
                    converted = "Canary\(percent)Percent\(minutes)\(minutes == "1" ? "Minute" : "Minutes")"
                }
            case "TimeBasedLinear"?:
                if let percent = routing?["TimeBasedLinear"]?["LinearPercentage"]?.text, let minutes = routing?["TimeBasedLinear"]?["LinearInterval"]?.text {
                    converted = "Linear\(percent)PercentEvery\(minutes)\(minutes == "1" ? "Minute" : "Minutes")"
                }
            default: break
            }
            guard let converted, (try? DeploymentPreference.named(converted)) != nil else {
                throw evaluator.error(resource.keyNode, configPath, "cannot be read as a Lambda canary, linear or all-at-once configuration; expected TimeBasedCanary {CanaryPercentage, CanaryInterval}, TimeBasedLinear {LinearPercentage, LinearInterval} or AllAtOnce")
            }
            function.deploymentConfig = resource.logicalID
            return (converted, position, "DeploymentPreference.Type \(name), the custom config at \(template.file):\(SourcePosition(resource.keyNode))")
        }
        throw SAMError.invalidTemplate(file: template.file, line: position.line, column: position.column, field: path,
                                       message: "is '\(name)', a custom CodeDeploy configuration the template does not define; define it in the template as an AWS::CodeDeploy::DeploymentConfig (TimeBasedCanary or TimeBasedLinear), or use one of \(DeploymentPreference.predefinedNames.joined(separator: ", ")) or a form such as Canary10Percent5Minutes")
    }

    // MARK: Alarms

    /// An alarm of a DeploymentPreference: the template's AWS::CloudWatch::Alarm as an inline definition on a local
    /// account (its name on an aws account), or the name of an alarm the template does not define.
    private mutating func alarm(_ name: String, position: SourcePosition, path: String, function: ConvertedFunction) throws -> ConvertedAlarm {
        var resource: SAMTemplate.Resource?
        for candidate in template.resources where candidate.type == "AWS::CloudWatch::Alarm" && (try? evaluator.exists(candidate)) == true {
            if try evaluator.physicalName(candidate.logicalID, node: nil, path: "Resources.\(candidate.logicalID)") == name { resource = candidate; break }
        }
        guard let resource else {
            return ConvertedAlarm(name: name, position: position, comment: "\(path): not defined in the template, so it must exist in the account")
        }
        let alarmPath = "Resources.\(resource.logicalID).Properties"
        let origin = "\(path): \(resource.logicalID) at \(template.file):\(SourcePosition(resource.keyNode))"
        guard options.platform == .local else {
            note(SourcePosition(resource.keyNode), "Resources.\(resource.logicalID)", "an aws account watches CloudWatch alarms by name: create \(name) in CloudWatch (deploy it from the template) before the pipeline runs")
            return ConvertedAlarm(name: name, position: position, comment: origin, logicalID: resource.logicalID)
        }
        let properties = try resource.properties.map { try evaluator.evaluate($0, alarmPath) } ?? .map([], SourcePosition(resource.node))
        var definition: [(String, String)] = [("name", PipelineWriter.quote(name))]
        var reasons: [String] = []
        let namespace = properties["Namespace"]?.text
        let metric = properties["MetricName"]?.text
        if properties["Metrics"] != nil { reasons.append("it is a metric math alarm (Metrics)") }
        if namespace != "AWS/Lambda" { reasons.append("its Namespace is \(namespace ?? "missing"), not AWS/Lambda") }
        if let metric, MetricName(rawValue: metric) == nil { reasons.append("its MetricName \(metric) is not one shift records (\(MetricName.allCases.map(\.rawValue).joined(separator: ", ")))") }
        if let metric { definition.append(("metric", metric)) } else if properties["Metrics"] == nil { reasons.append("it has no MetricName") }
        if let statistic = properties["ExtendedStatistic"]?.text ?? properties["Statistic"]?.text {
            if (try? Statistic(parsing: statistic)) == nil { reasons.append("its statistic \(statistic) is not one shift computes") }
            definition.append(("statistic", PipelineWriter.quote(statistic)))
        }
        for (key, field) in [("Period", "period"), ("EvaluationPeriods", "evaluationPeriods"), ("DatapointsToAlarm", "datapointsToAlarm"), ("Threshold", "threshold")] {
            guard let text = properties[key]?.text else { continue }
            guard let number = Double(text) else { throw evaluator.error(resource.node, "\(alarmPath).\(key)", "is '\(text)'; expected a number") }
            definition.append((field, PipelineWriter.number(number)))
        }
        if properties["Threshold"] == nil && properties["Metrics"] == nil { reasons.append("it has no Threshold") }
        if let comparison = properties["ComparisonOperator"]?.text {
            if ComparisonOperator(rawValue: comparison) == nil { reasons.append("its ComparisonOperator \(comparison) is not one shift evaluates") }
            definition.append(("comparison", comparison))
        }
        if let missing = properties["TreatMissingData"]?.text {
            if MissingDataTreatment(rawValue: missing) == nil { reasons.append("its TreatMissingData \(missing) is not one of missing, notBreaching, breaching, ignore") }
            definition.append(("treatMissingData", missing))
        }
        // Dimensions: shift's inline alarm watches the deployed function through its alias.
        for dimension in properties["Dimensions"]?.items ?? [] {
            let key = dimension["Name"]?.text ?? ""
            let value = dimension["Value"]?.text ?? ""
            switch key {
            case "FunctionName" where value == function.name || value.hasSuffix(":function:\(function.name)"):
                continue
            case "Resource" where value == "\(function.name):\(function.alias)" || value.hasSuffix(":function:\(function.name):\(function.alias)"):
                continue
            case "ExecutedVersion":
                note(dimension.position, "\(alarmPath).Dimensions", "ExecutedVersion watches one version; shift's inline alarm watches the function's alias, both versions while traffic shifts")
            default:
                reasons.append("its dimension \(key)=\(value) is not the function \(function.name) or its alias \(function.alias)")
            }
        }
        for key in ["AlarmActions", "OKActions", "InsufficientDataActions"] where properties[key] != nil {
            note(properties.entries.first { $0.key == key }!.keyPosition, "\(alarmPath).\(key)", "shift does not send alarm notifications; it rolls back on ALARM")
        }
        for key in ["Unit", "EvaluateLowSampleCountPercentile", "ThresholdMetricId", "ActionsEnabled", "AlarmDescription"] where properties[key] != nil {
            note(properties.entries.first { $0.key == key }!.keyPosition, "\(alarmPath).\(key)", "is not converted; a shift alarm has no such setting")
        }
        guard reasons.isEmpty else {
            note(SourcePosition(resource.keyNode), "Resources.\(resource.logicalID)",
                 "cannot become an inline alarm: \(reasons.joined(separator: "; ")); create an alarm named \(name) with 'shift alarm put' in the account before the pipeline runs (the pipeline lists it by name)")
            return ConvertedAlarm(name: name, position: position, comment: origin, logicalID: resource.logicalID)
        }
        return ConvertedAlarm(name: name, position: position, comment: origin, logicalID: resource.logicalID, definition: definition)
    }

    // MARK: Output

    private func write(_ functions: [ConvertedFunction]) -> String {
        var writer = PipelineWriter()
        let file = template.file
        writer.comment("Converted by 'shift sam convert' from \(file) (AWS::Serverless-2016-10-31).")
        writer.comment("Each part says which template line it came from; what did not carry over was listed on stderr.")
        writer.line(0, "name: \(PipelineWriter.quote(evaluator.stackName))")
        writer.line(0, "accounts:")
        var account = "platform: \(options.platform.rawValue)"
        if options.platform == .aws {
            let runtimes = Set(functions.compactMap(\.runtime))
            if let runtime = functions.compactMap(\.runtime).first { account += ", runtime: \(PipelineWriter.quote(runtime))" }
            if let region = options.parameterOverrides["AWS::Region"] { account += ", region: \(PipelineWriter.quote(region))" }
            writer.line(2, "\(PipelineWriter.quote(options.account)): {\(account)}",
                        comment: runtimes.count > 1 ? "the runtime of functions this stage creates; the template's differ (\(runtimes.sorted().joined(separator: ", "))): create the others first" : "the runtime of functions this stage creates")
        } else {
            writer.line(2, "\(PipelineWriter.quote(options.account)): {\(account)}")
        }
        writer.line(0, "source:")
        let source = Self.relativePath(of: templateDirectory, from: options.outputDirectory.standardizedFileURL) ?? templateDirectory.path
        writer.line(2, "directory: \(PipelineWriter.quote(source.isEmpty ? "." : source))", comment: "the template's directory, relative to this file")
        writer.line(0, "functions:")
        for function in functions {
            writer.line(2, "\(PipelineWriter.quote(function.name)):", comment: "\(function.logicalID) at \(file):\(function.position)")
            writer.line(4, "artifact: \(PipelineWriter.quote(function.name))", comment: "CodeUri \(function.artifactPath) at \(file):\(function.codePosition)")
            let runtimeComment = "Runtime \(function.runtime ?? "?")\(function.samHandler.map { ", Handler \($0)" } ?? "") at \(file):\(function.runtimePosition)"
            if let runtime = function.runtime, !runtime.hasPrefix("provided"), options.platform == .aws || Self.runsLocally(runtime) {
                writer.line(4, "runtime: \(PipelineWriter.quote(runtime))", comment: runtimeComment)
                writer.line(4, "handler: \(PipelineWriter.quote(function.handler))")
            } else {
                writer.line(4, "handler: \(PipelineWriter.quote(function.handler))", comment: runtimeComment)
            }
            if let timeout = function.timeout { writer.line(4, "timeout: \(timeout.0)", comment: "Timeout at \(file):\(timeout.1)") }
            if !function.environment.isEmpty {
                writer.line(4, "environment:")
                for (key, value, position) in function.environment {
                    writer.line(6, "\(PipelineWriter.quote(key)): \(PipelineWriter.quote(value))", comment: "\(file):\(position)")
                }
            }
            if let description = function.description { writer.line(4, "description: \(PipelineWriter.quote(description))") }
        }
        writer.line(0, "stages:")
        writer.line(2, "- name: build", comment: "collects each function's CodeUri directory; add your build steps (dependencies) here")
        writer.line(4, "type: build")
        writer.line(4, "account: \(PipelineWriter.quote(options.account))")
        writer.line(4, "commands:")
        for function in functions {
            writer.line(6, "- \(PipelineWriter.quote("test -d " + Self.shellQuote(function.artifactPath)))", comment: "CodeUri of \(function.logicalID)")
        }
        writer.line(4, "artifacts:")
        for function in functions { writer.line(6, "\(PipelineWriter.quote(function.name)): \(PipelineWriter.quote(function.artifactPath))") }
        let hooks = functions.filter(\.isHook)
        if !hooks.isEmpty {
            writer.line(2, "- name: hooks", comment: "the hook functions ship first, at once, so that they exist when the deploy stage calls them")
            writeDeploy(hooks, into: &writer)
        }
        let others = functions.filter { !$0.isHook }
        if !others.isEmpty {
            writer.line(2, "- name: deploy")
            writeDeploy(others, into: &writer)
        }
        return writer.text
    }

    private func writeDeploy(_ functions: [ConvertedFunction], into writer: inout PipelineWriter) {
        let file = template.file
        writer.line(4, "type: deploy")
        writer.line(4, "account: \(PipelineWriter.quote(options.account))")
        writer.line(4, "functions:")
        for function in functions {
            writer.line(6, "- function: \(PipelineWriter.quote(function.name))")
            writer.line(8, "alias: \(PipelineWriter.quote(function.alias))",
                        comment: function.aliasPosition.map { "AutoPublishAlias at \(file):\($0)" } ?? "the template has no AutoPublishAlias; shift deploys through an alias")
            let (preference, position, origin) = function.preference ?? ("AllAtOnce", function.position, "no DeploymentPreference: the alias moves at once")
            writer.line(8, "preference: \(PipelineWriter.quote(preference))", comment: function.preference == nil ? origin : "\(origin) at \(file):\(position)")
            if !function.alarms.isEmpty {
                writer.line(8, "alarms:")
                for alarm in function.alarms {
                    if let definition = alarm.definition {
                        writer.line(10, "- {\(definition.map { "\($0.0): \($0.1)" }.joined(separator: ", "))}", comment: "\(alarm.comment); listed at \(file):\(alarm.position)")
                    } else {
                        writer.line(10, "- \(PipelineWriter.quote(alarm.name))", comment: "\(alarm.comment); listed at \(file):\(alarm.position)")
                    }
                }
            }
            for (key, hook) in [("preTraffic", function.preTraffic), ("postTraffic", function.postTraffic)] {
                guard let hook else { continue }
                let alias = hookAlias(hook.function)
                writer.line(8, "\(key): \(PipelineWriter.quote(alias.map { "\(hook.function):\($0)" } ?? hook.function))", comment: "\(hook.property) at \(file):\(hook.position)")
            }
            if let traffic = options.traffic, options.platform == .local, (function.preference?.0 ?? "AllAtOnce") != "AllAtOnce" || !function.alarms.isEmpty {
                writer.line(8, "traffic: \(PipelineWriter.number(traffic))", comment: "invocations per second while shifting (--traffic), so the alarms see data")
            }
        }
    }

    /// The alias a hook is called through: the hook function's own, when the template has it.
    private func hookAlias(_ name: String) -> String? {
        for resource in template.resources where resource.type == "AWS::Serverless::Function" {
            guard (try? evaluator.physicalName(resource.logicalID, node: nil, path: "")) == name, (try? evaluator.exists(resource)) == true else { continue }
            return (try? evaluator.alias(of: resource)).flatMap { $0 } ?? ConvertedFunction.defaultAlias
        }
        return nil
    }

    static func relativePath(of url: URL, from base: URL) -> String? {
        let target = url.standardizedFileURL.pathComponents
        let start = base.standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count, start.count) && target[common] == start[common] { common += 1 }
        guard common > 0 else { return nil }
        let parts = Array(repeating: "..", count: start.count - common) + target[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    static func shellQuote(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

import Foundation

/// What a user asks `shift deploy` for, before any check has run.
public struct DeploymentRequest: Codable, Equatable, Sendable {
    public var functionName: String
    public var alias: String
    public var targetVersion: Int
    public var preference: DeploymentPreference
    /// At most `maximumAlarms` alarm names.
    public var alarms: [String]
    /// `NAME[:QUALIFIER]` of the PreTraffic hook function.
    public var preTrafficHook: String?
    public var postTrafficHook: String?
    /// Seconds a hook may take; CodeDeploy's default is one hour. Within `DurationBounds.timeout`.
    public var hookTimeout: TimeInterval
    /// Seconds to hold at 100 % (alarms watched) before the PostTraffic hook. Within `DurationBounds.hold`.
    public var bake: TimeInterval
    /// Seconds between alarm polls while holding. Within `DurationBounds.pollInterval`.
    public var pollInterval: TimeInterval
    /// Ship even though a watched alarm is in ALARM now (a fix for what is alarming); such alarms are watched again once they leave ALARM.
    public var allowAlarming: Bool
    /// Keep going when alarms cannot be read (CodeDeploy's `ignorePollAlarmFailure`).
    public var ignorePollAlarmFailure: Bool
    /// Compare the target version with the original one statistically at each analysis point (`--analysis FILE`).
    public var analysis: CanaryAnalysis?

    /// CodeDeploy's limit on alarms per deployment group.
    public static let maximumAlarms = 10
    public static let defaultHookTimeout: TimeInterval = 3600

    public init(functionName: String, alias: String, targetVersion: Int, preference: DeploymentPreference, alarms: [String] = [],
                preTrafficHook: String? = nil, postTrafficHook: String? = nil, hookTimeout: TimeInterval = defaultHookTimeout,
                bake: TimeInterval = 0, pollInterval: TimeInterval = 1, allowAlarming: Bool = false, ignorePollAlarmFailure: Bool = false, analysis: CanaryAnalysis? = nil) {
        self.functionName = functionName
        self.alias = alias
        self.targetVersion = targetVersion
        self.preference = preference
        self.alarms = alarms
        self.preTrafficHook = preTrafficHook
        self.postTrafficHook = postTrafficHook
        self.hookTimeout = hookTimeout
        self.bake = bake
        self.pollInterval = pollInterval
        self.allowAlarming = allowAlarming
        self.ignorePollAlarmFailure = ignorePollAlarmFailure
        self.analysis = analysis
    }

    /// Checks what can be checked without the platform.
    /// - Parameter names: how the caller names each setting (its flags, its file's keys).
    /// - Throws: `ShiftCoreError.invalidValue` naming the setting at fault.
    public func validate(naming names: DeploymentSettingNames = DeploymentSetting.ownNames) throws {
        func name(_ setting: DeploymentSetting) -> String { names(setting) ?? setting.rawValue }
        try ResourceName.validateFunction(functionName)
        try ResourceName.validateAlias(alias, field: name(.alias))
        guard alarms.count <= Self.maximumAlarms else {
            throw ShiftCoreError.invalidValue(field: name(.alarms), value: "\(alarms.count) alarms", expected: "at most \(Self.maximumAlarms) alarms per deployment (CodeDeploy's limit)")
        }
        if let duplicate = Dictionary(grouping: alarms, by: { $0 }).first(where: { $0.value.count > 1 })?.key {
            throw ShiftCoreError.invalidValue(field: name(.alarms), value: duplicate, expected: "each alarm named once")
        }
        try DurationBounds.timeout.check(hookTimeout, field: name(.hookTimeout))
        try DurationBounds.hold.check(bake, field: name(.bake))
        try DurationBounds.pollInterval.check(pollInterval, field: name(.pollInterval))
        for hook in [preTrafficHook, postTrafficHook].compactMap({ $0 }) {
            _ = try FunctionQualifier.split(hook)
        }
        if analysis == nil, let gate = preference.schedule.steps.lazy.flatMap(\.gates).first(where: { $0.kind == .analysis }) {
            throw ShiftCoreError.invalidValue(
                field: "\(preference.name)\(gate.line.map { " line \($0)" } ?? "")", value: gate.description,
                expected: "an analysis for the deployment: an 'analysis' line runs the deployment's canary analysis, and this deployment has none")
        }
    }

    /// What stands between step `index`'s hold and the next step: the step list's pause and analysis lines; or,
    /// when the request has an analysis and the list has no analysis line, an analysis after every step but the last.
    public func gates(ofStep index: Int) -> [StepGate] {
        let steps = preference.schedule.steps
        guard analysis != nil, !preference.schedule.hasAnalysisGate, index < steps.count - 1 else { return steps[index].gates }
        return steps[index].gates + [StepGate(.analysis)]
    }

    /// The phases this deployment passes through.
    public var plan: DeploymentPlan {
        DeploymentPlan(stepCount: preference.schedule.steps.count, hasPreTrafficHook: preTrafficHook != nil, hasPostTrafficHook: postTrafficHook != nil, hasBake: bake > 0)
    }
}

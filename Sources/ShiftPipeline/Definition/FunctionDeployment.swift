import ShiftCore

/// One function of a deploy stage: what `shift deploy` would be told, with the code taken from the artifact.
public struct FunctionDeployment: Codable, Equatable, Sendable {
    /// A function declared under `functions`.
    public var function: String
    public var alias: String
    public var preference: DeploymentPreference
    /// At most 10: names of alarms in the account, or alarms the stage defines (put before deploying).
    public var alarms: [String]
    /// Alarms defined in the file; their names are also in `alarms`.
    public var alarmDefinitions: [AlarmDefinition]
    public var preTrafficHook: String?
    public var postTrafficHook: String?
    public var hookTimeout: Double
    public var bake: Double
    /// Seconds between alarm polls; nil for the platform's default (1 s local, 10 s AWS).
    public var pollInterval: Double?
    /// Variables for this account, over the function's own.
    public var environment: [String: String]
    /// Invocations per second sent through the alias while it deploys (through the platform), so that alarms see data.
    public var traffic: Double?
    /// Canary analysis at the schedule's analysis points (`analysis:`, inline, as an analysis file's content).
    public var analysis: CanaryAnalysis?

    /// The key that sets each request setting in a pipeline file, for the engine's messages; a pipeline has no
    /// `allowAlarming` or `ignorePollAlarmFailure`, so no message advises them.
    public static let settingNames: DeploymentSettingNames = { setting in
        switch setting {
        case .alias, .alarms, .hookTimeout, .pollInterval, .bake: return setting.rawValue
        case .allowAlarming, .ignorePollAlarmFailure: return nil
        }
    }

    public init(function: String, alias: String, preference: DeploymentPreference, alarms: [String] = [], alarmDefinitions: [AlarmDefinition] = [],
                preTrafficHook: String? = nil, postTrafficHook: String? = nil, hookTimeout: Double = DeploymentRequest.defaultHookTimeout,
                bake: Double = 0, pollInterval: Double? = nil, environment: [String: String] = [:], traffic: Double? = nil,
                analysis: CanaryAnalysis? = nil) {
        self.function = function
        self.alias = alias
        self.preference = preference
        self.alarms = alarms
        self.alarmDefinitions = alarmDefinitions
        self.preTrafficHook = preTrafficHook
        self.postTrafficHook = postTrafficHook
        self.hookTimeout = hookTimeout
        self.bake = bake
        self.pollInterval = pollInterval
        self.environment = environment
        self.traffic = traffic
        self.analysis = analysis
    }
}

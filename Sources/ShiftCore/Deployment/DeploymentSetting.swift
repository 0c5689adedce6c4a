/// A setting of a ``DeploymentRequest``, named in messages by whoever made the request: `shift deploy` calls
/// `hookTimeout` `--hook-timeout`, a pipeline file calls it `hookTimeout:`. ShiftCore never names a flag itself.
public enum DeploymentSetting: String, CaseIterable, Sendable {
    case alias
    case alarms
    case hookTimeout
    case pollInterval
    case bake
    case allowAlarming
    case ignorePollAlarmFailure
}

/// How the caller names each setting in its own interface; nil when it has no such setting (so no message
/// advises it).
public typealias DeploymentSettingNames = @Sendable (DeploymentSetting) -> String?

extension DeploymentSetting {
    /// The settings' own names, for callers without an interface of their own (tests, the API).
    public static let ownNames: DeploymentSettingNames = { $0.rawValue }
}

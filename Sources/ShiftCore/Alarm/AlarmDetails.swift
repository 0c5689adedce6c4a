import Foundation

/// An alarm as its platform reports it: its state, and what it watches as far as the platform says.
///
/// A local alarm carries its whole definition; a CloudWatch alarm, which shift reads but does not define, carries
/// its namespace and metric name.
public struct AlarmDetails: Equatable, Sendable {
    public var name: String
    public var state: AlarmState
    public var description: String
    /// The full definition, where the platform evaluates alarms shift defined (the local platform).
    public var definition: AlarmDefinition?
    /// The metric's namespace and name, where only they are known (CloudWatch).
    public var namespace: String?
    public var metricName: String?

    public init(name: String, state: AlarmState, description: String = "", definition: AlarmDefinition? = nil, namespace: String? = nil, metricName: String? = nil) {
        self.name = name
        self.state = state
        self.description = description
        self.definition = definition
        self.namespace = namespace
        self.metricName = metricName
    }
}

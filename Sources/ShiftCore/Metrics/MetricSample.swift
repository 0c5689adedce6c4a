import Foundation

/// One datapoint of one metric: a value at a time. Alarms evaluate sequences of these.
public struct MetricSample: Codable, Equatable, Sendable {
    public var timestamp: Date
    public var value: Double

    public init(timestamp: Date, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }
}

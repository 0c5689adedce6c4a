import Foundation
public enum AlarmStateValue: String, Codable, Sendable { case ok = "OK", alarm = "ALARM", insufficientData = "INSUFFICIENT_DATA" }
public struct AlarmState: Codable, Equatable, Sendable {
    public var value: AlarmStateValue
    public var reason: String
    public var updatedAt: Date
    public init(value: AlarmStateValue, reason: String, updatedAt: Date) { self.value = value; self.reason = reason; self.updatedAt = updatedAt }
}

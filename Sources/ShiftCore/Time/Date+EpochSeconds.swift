import Foundation

/// Timestamps as the AWS JSON protocols (SSM, CloudWatch) send them: seconds since 1970 as a JSON number, in
/// milliseconds' precision (botocore's `timestamp` shape, whose default format for the `json` protocol is
/// `unixTimestamp`).
extension Date {
    /// Seconds since 1970, rounded to the millisecond.
    public var epochSeconds: Double {
        (timeIntervalSince1970 * 1000).rounded() / 1000
    }

    /// The time `seconds` after 1970.
    public init(epochSeconds seconds: Double) {
        self.init(timeIntervalSince1970: seconds)
    }
}

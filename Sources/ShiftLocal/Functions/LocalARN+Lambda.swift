import Crypto
import Foundation
import ShiftCore

/// The local platform's function ARNs and revision ids, in Lambda's formats, so that scripts written for Lambda's
/// answers read the local platform's unchanged: `arn:aws:lambda:local:000000000000:function:NAME`, with
/// `:QUALIFIER` (a version or an alias) where Lambda adds one.
extension LocalARN {
    /// A function's ARN, qualified by a version number or alias name when given.
    public static func function(_ name: String, qualifier: String? = nil) -> String {
        arn(service: "lambda", resource: "function:\(name)" + (qualifier.map { ":\($0)" } ?? ""))
    }

    /// A revision id in Lambda's UUID form, derived from `parts`: the same parts give the same id, and any change
    /// gives another.
    public static func revisionId(of parts: [String]) -> String {
        let digest = Array(SHA256.hash(data: Data(parts.joined(separator: "\u{1}").utf8)))
        let hex = digest.prefix(16).map { String(format: "%02x", $0) }.joined()
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }
        return groups.joined(separator: "-")
    }
}

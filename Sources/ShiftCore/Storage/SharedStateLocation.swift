import Foundation

/// Where an AWS account's shared state lives: an S3 bucket and a key prefix, written `s3://BUCKET/PREFIX`.
///
/// A throwing init keeps bad locations from existing: the bucket follows S3's naming rules for new buckets, and
/// the prefix is `/`-separated segments of letters, digits, `-`, `_` and `.` (no empty, `.` or `..` segment), so
/// every key shift builds under it is the same on the wire, in a signature and in a policy.
public struct SharedStateLocation: Codable, Equatable, Sendable, CustomStringConvertible {
    public let bucket: String
    /// No leading or trailing `/`; empty for the bucket's root.
    public let prefix: String

    /// Parses `s3://BUCKET/PREFIX` (the prefix may be empty; a trailing `/` is ignored).
    /// - Throws: `ShiftCoreError.invalidValue` naming `field` and what a valid location looks like.
    public init(parsing text: String, field: String = "state") throws {
        func invalid(_ why: String) -> ShiftCoreError {
            .invalidValue(field: field, value: text, expected: "s3://BUCKET/PREFIX, e.g. s3://acme-shift-state/prod (\(why))")
        }
        guard text.hasPrefix("s3://") else { throw invalid("it must start with s3://") }
        let rest = text.dropFirst("s3://".count)
        let bucket = String(rest.prefix { $0 != "/" })
        var prefix = String(rest.dropFirst(bucket.count))
        while prefix.hasPrefix("/") { prefix.removeFirst() }
        while prefix.hasSuffix("/") { prefix.removeLast() }
        if let problem = Self.bucketProblem(bucket) { throw invalid(problem) }
        if !prefix.isEmpty {
            for segment in prefix.split(separator: "/", omittingEmptySubsequences: false) {
                guard !segment.isEmpty, segment != ".", segment != "..",
                      segment.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
                else { throw invalid("prefix segments are letters, digits, '-', '_' and '.', separated by single '/'") }
            }
        }
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Read as the `s3://BUCKET/PREFIX` text, and checked as when parsed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(parsing: try container.decode(String.self))
    }

    /// Written as the `s3://BUCKET/PREFIX` text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// `s3://BUCKET/PREFIX`.
    public var description: String { prefix.isEmpty ? "s3://\(bucket)" : "s3://\(bucket)/\(prefix)" }

    /// The full key of `key` under the prefix.
    public func key(_ key: String) -> String { prefix.isEmpty ? key : "\(prefix)/\(key)" }

    /// What is wrong with a bucket name by S3's rules for general purpose buckets, nil when nothing is.
    static func bucketProblem(_ name: String) -> String? {
        guard (3...63).contains(name.count) else { return "a bucket name has 3 to 63 characters" }
        guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }) else {
            return "a bucket name has lowercase letters, digits, '-' and '.' only"
        }
        guard let first = name.first, let last = name.last, first.isLetter || first.isNumber, last.isLetter || last.isNumber else {
            return "a bucket name starts and ends with a letter or digit"
        }
        if name.contains("..") { return "a bucket name has no two adjacent dots" }
        let parts = name.split(separator: ".")
        if parts.count == 4, parts.allSatisfy({ Int($0).map { (0...255).contains($0) } ?? false }) { return "a bucket name is not an IP address" }
        if name.hasPrefix("xn--") || name.hasPrefix("sthree-") || name.hasSuffix("-s3alias") || name.hasSuffix("--ol-s3") {
            return "a bucket name does not use S3's reserved prefixes and suffixes"
        }
        return nil
    }
}

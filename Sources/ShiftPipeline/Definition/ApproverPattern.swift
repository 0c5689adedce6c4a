import Foundation

/// An IAM ARN, or an ARN pattern, naming who may approve a stage on shared state: matched against the approver's
/// verified identity (STS `GetCallerIdentity`), never against a typed name. `*` matches any run of characters
/// (slashes included) and `?` any one, as in IAM policies: `arn:aws:sts::123456789012:assumed-role/Releasers/*`.
public enum ApproverPattern {
    /// Whether an `approvers:` entry is an ARN (pattern) rather than a name.
    public static func isARN(_ entry: String) -> Bool { entry.hasPrefix("arn:") }

    /// Why `entry` is not an IAM or STS ARN pattern, or nil when it is one: six ':'-separated parts, the service
    /// `iam` or `sts`, no region, a 12-digit account (or a wildcard), a resource.
    public static func problem(with entry: String) -> String? {
        let parts = entry.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6 else { return "has \(parts.count) ':'-separated parts; an ARN has 6 (arn:aws:iam::ACCOUNT:user/NAME)" }
        let (partition, service, region, account, resource) = (parts[1], parts[2], parts[3], parts[4], parts[5])
        if partition.isEmpty { return "has no partition; expected e.g. arn:aws:..." }
        if !["iam", "sts"].contains(service) { return "names service '\(service)'; an approver is an iam or sts identity" }
        if !region.isEmpty { return "names region '\(region)'; IAM and STS ARNs have none (arn:aws:sts::ACCOUNT:...)" }
        let isAccount = account.count == 12 && account.allSatisfy(\.isNumber)
        if !isAccount, !account.contains("*"), !account.contains("?") { return "has account '\(account)'; expected 12 digits" }
        if resource.isEmpty { return "has no resource; expected e.g. user/NAME or assumed-role/ROLE/*" }
        return nil
    }

    /// Whether `identity` matches `pattern` (`*` and `?` wildcards; everything else literal, case-sensitive).
    public static func matches(_ pattern: String, identity: String) -> Bool {
        let pattern = Array(pattern), text = Array(identity)
        // Greedy matching with backtracking to the last '*': linear in practice, no regular expression built from
        // the file's text.
        var p = 0, t = 0, star: Int?, resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

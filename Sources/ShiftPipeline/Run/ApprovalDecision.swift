import Foundation
import ShiftCore

/// Who approved or rejected an approval stage, when and why. Written once, by `shift approve` or `shift reject`.
public struct ApprovalDecision: Codable, Equatable, Sendable {
    public var approved: Bool
    /// The name given with `--by` (or `$USER`).
    public var by: String
    /// The approver's verified AWS identity (STS `GetCallerIdentity` ARN), recorded on shared state; nil on the
    /// state directory, where nothing verifies who typed the command.
    public var identity: String?
    public var comment: String?
    public var decidedAt: Date

    public init(approved: Bool, by: String, identity: String? = nil, comment: String?, decidedAt: Date) {
        self.approved = approved
        self.by = by
        self.identity = identity
        self.comment = comment
        self.decidedAt = decidedAt
    }

    /// Who decided, for messages: the name, and the verified identity when there is one.
    public var decider: String { identity.map { "\(by) (\($0))" } ?? by }

    /// Why a second decision is refused: "it was already approved by alice at ...".
    public static func alreadyDecided(_ existing: ApprovalDecision) -> String {
        "it was already \(existing.approved ? "approved" : "rejected") by \(existing.decider) at \(Timestamp.format(existing.decidedAt))"
    }
}

import Foundation

/// Who approved or rejected an approval stage, when and why. Written once, by `shift approve` or `shift reject`.
public struct ApprovalDecision: Codable, Equatable, Sendable {
    public var approved: Bool
    public var by: String
    public var comment: String?
    public var decidedAt: Date

    public init(approved: Bool, by: String, comment: String?, decidedAt: Date) {
        self.approved = approved
        self.by = by
        self.comment = comment
        self.decidedAt = decidedAt
    }
}

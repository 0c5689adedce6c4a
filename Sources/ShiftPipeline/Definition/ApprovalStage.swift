/// A manual gate: the run waits until an allowed approver approves or rejects, or the timeout passes (a rejection).
public struct ApprovalStage: Codable, Equatable, Sendable {
    /// Who may decide; empty means anyone.
    public var approvers: [String]
    /// Shown to whoever decides.
    public var instructions: String
    /// Seconds from the stage's start until the gate times out.
    public var timeout: Double

    /// CodePipeline's: seven days.
    public static let defaultTimeout: Double = 7 * 24 * 3600
    /// Below this a gate suits tests, not people; validation warns.
    public static let humanTimeout: Double = 300
    /// CodePipeline's limit on an approval's summary.
    public static let maximumCommentLength = 512

    public init(approvers: [String] = [], instructions: String = "", timeout: Double = defaultTimeout) {
        self.approvers = approvers
        self.instructions = instructions
        self.timeout = timeout
    }
}

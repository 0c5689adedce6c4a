/// One page of a deployment listing: the newest deployments that pass its filters, and how many older ones
/// also passed them but were left out by its limit.
public struct DeploymentListing: Equatable, Sendable {
    /// How many deployments a listing shows unless asked for more: the newest 50.
    public static let defaultLimit = 50

    /// Newest first.
    public var summaries: [DeploymentSummary]
    /// Deployments that passed the filters but are older than the last one shown.
    public var omitted: Int

    public init(summaries: [DeploymentSummary], omitted: Int) {
        self.summaries = summaries
        self.omitted = omitted
    }

    /// The newest `limit` (nil: all) of `matching`, which holds every summary that passed the filters in any order.
    public init(newest limit: Int?, of matching: [DeploymentSummary]) {
        let sorted = matching.sorted(by: DeploymentSummary.newestFirst)
        let shown = limit.map { min($0, sorted.count) } ?? sorted.count
        self.init(summaries: Array(sorted.prefix(shown)), omitted: sorted.count - shown)
    }
}

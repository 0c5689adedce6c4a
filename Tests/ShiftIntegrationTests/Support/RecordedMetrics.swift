import Foundation

/// What `shift metrics NAME --output json` reports, summed over its periods per executed version.
struct RecordedMetrics: Equatable {
    var invocations: [String: Int] = [:]
    var errors: [String: Int] = [:]
    var throttles: [String: Int] = [:]

    var totalInvocations: Int { invocations.values.reduce(0, +) }
    var totalErrors: Int { errors.values.reduce(0, +) }
    var totalThrottles: Int { throttles.values.reduce(0, +) }

    /// - Throws: `UnexpectedOutput` when the object lacks `Metrics` or a summary lacks its fields.
    init(json: [String: Any]) throws {
        guard let summaries = json["Metrics"] as? [[String: Any]] else {
            throw UnexpectedOutput(message: "no Metrics array in \(json)")
        }
        for summary in summaries {
            guard let version = summary["version"] as? String,
                  let invocations = summary["invocations"] as? Int,
                  let errors = summary["errors"] as? Int else {
                throw UnexpectedOutput(message: "a metrics summary lacks version, invocations or errors: \(summary)")
            }
            self.invocations[version, default: 0] += invocations
            self.errors[version, default: 0] += errors
            self.throttles[version, default: 0] += summary["throttles"] as? Int ?? 0
        }
    }
}

import Foundation
import ShiftCore
import ShiftStorage

/// A summary line of the deployment index as listing holds it: the fields it filters and orders by, read from the
/// line without decoding it, and the line itself, decoded only when the summary is shown.
struct IndexedSummary: Equatable {
    let deploymentId: String
    let functionName: String
    let status: DeploymentStatus
    let createTime: Date
    /// One JSON object, without its newline.
    let line: Data

    /// The line that stands for `summary`.
    /// - Throws: an encoding error (none for a summary's plain fields).
    init(_ summary: DeploymentSummary) throws {
        deploymentId = summary.deploymentId
        functionName = summary.functionName
        status = summary.status
        createTime = summary.createTime
        line = try Self.encoder.encode(summary)
    }

    init(deploymentId: String, functionName: String, status: DeploymentStatus, createTime: Date, line: Data) {
        self.deploymentId = deploymentId
        self.functionName = functionName
        self.status = status
        self.createTime = createTime
        self.line = line
    }

    /// Whether the summary passes a listing's filters (nil: any).
    func matches(function: String?, status: DeploymentStatus?) -> Bool {
        DeploymentSummary.matches(functionName: functionName, status: self.status, function: function, only: status)
    }

    /// A listing's order, as ``DeploymentSummary/newestFirst(_:_:)``.
    static func newestFirst(_ left: IndexedSummary, _ right: IndexedSummary) -> Bool {
        DeploymentSummary.listingOrder((left.createTime, left.deploymentId), (right.createTime, right.deploymentId))
    }

    /// The whole summary.
    /// - Throws: a `DecodingError` when the line holds less than a summary (the index is damaged).
    func decoded(with decoder: JSONDecoder) throws -> DeploymentSummary {
        try decoder.decode(DeploymentSummary.self, from: line)
    }

    /// Compact, keys sorted: the index's line format.
    static var encoder: JSONEncoder {
        let encoder = JSONFile.encoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

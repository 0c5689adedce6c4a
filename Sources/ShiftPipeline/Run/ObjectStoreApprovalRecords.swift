import Foundation
import ShiftCore
import ShiftStorage

/// Approval decisions on a shared ``ObjectStore`` (S3): `pipelines/runs/<id>/approvals/<stage>.json`, each written
/// once with `.absent` (If-None-Match: *), so of two approvers deciding at the same moment on two machines exactly
/// one is recorded and the other is told who decided first.
public struct ObjectStoreApprovalRecords: ApprovalRecords {
    public let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    static func key(_ id: String, stage: String) -> String { "\(ObjectStoreRunRecords.runsPrefix)\(id)/approvals/\(stage).json" }

    public func decision(_ id: String, stage: String) async throws -> ApprovalDecision? {
        let key = Self.key(id, stage: stage)
        guard let object = try await store.get(key) else { return nil }
        do {
            return try JSONFile.decoder().decode(ApprovalDecision.self, from: object.data)
        } catch {
            throw PipelineError.corruptRun(file: "\(store.location)/\(key)", detail: "not a shift approval decision: \(error)")
        }
    }

    public func record(_ decision: ApprovalDecision, run id: String, stage: String) async throws {
        do {
            try await store.put(Self.key(id, stage: stage), data: try JSONFile.encoder().encode(decision), condition: .absent)
        } catch ObjectStoreError.conditionFailed {
            let reason = (try? await self.decision(id, stage: stage)).flatMap { $0 }.map(ApprovalDecision.alreadyDecided) ?? "it was already decided"
            throw PipelineError.decisionRefused(run: id, stage: stage, reason: reason)
        }
    }
}

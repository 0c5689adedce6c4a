import Foundation

/// The event a lifecycle hook function receives, as CodeDeploy sends it, plus what SAM users miss: the versions.
public struct HookEvent: Codable, Equatable, Sendable {
    public var DeploymentId: String
    public var LifecycleEventHookExecutionId: String
    public var FunctionName: String
    public var Alias: String
    public var CurrentVersion: String
    public var TargetVersion: String
    public var LifecycleEvent: String

    public init(deployment: Deployment, executionID: String, hook: LifecycleHook) {
        DeploymentId = deployment.id
        LifecycleEventHookExecutionId = executionID
        FunctionName = deployment.request.functionName
        Alias = deployment.request.alias
        CurrentVersion = String(deployment.originalVersion)
        TargetVersion = String(deployment.request.targetVersion)
        LifecycleEvent = hook.rawValue
    }
}

/// Whether a hook passed: its invocation succeeded and its response does not say `"status": "Failed"`.
public enum HookVerdict: Equatable, Sendable {
    case passed
    case failed(String)

    /// Judges one hook invocation.
    public static func judge(_ result: InvocationResult) -> HookVerdict {
        if let error = result.functionError {
            let log = result.logTail.split(separator: "\n").last.map { " (\($0))" } ?? ""
            return .failed("\(error)\(log)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: result.payload) as? [String: Any] else { return .passed }
        for (key, value) in object where key.lowercased() == "status" {
            if let status = value as? String, status.caseInsensitiveCompare("Failed") == .orderedSame {
                let detail = (object["reason"] ?? object["message"] ?? object["Reason"]).map { ": \($0)" } ?? ""
                return .failed("its response says \"status\": \"\(status)\"\(detail)")
            }
        }
        return .passed
    }
}

import Foundation
import ShiftCore

/// What a runner tells its observer as a run goes: for progress on a terminal or JSON lines for programs.
public enum PipelineUpdate: Sendable {
    /// A stage started or changed status.
    case stage(StageRecord)
    /// A line of a stage's output or a note about it, masked.
    case log(stage: String, text: String)
    /// An event of a function's deployment in a deploy stage.
    case deployment(stage: String, function: String, event: DeploymentEvent)
}

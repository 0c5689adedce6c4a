/// A run's status, derived from its stages and from whether a process holds it.
public enum RunStatus: String, Codable, Sendable {
    /// A process is running it now.
    case running = "Running"
    /// Paused at an approval gate, with no process waiting.
    case waiting = "Waiting"
    /// Unfinished and no process holds it (killed, crashed or interrupted): `shift pipeline resume` continues it.
    case interrupted = "Interrupted"
    case succeeded = "Succeeded"
    /// A stage failed, was rejected or timed out.
    case failed = "Failed"
}

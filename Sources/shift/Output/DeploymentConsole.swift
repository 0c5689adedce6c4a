import Foundation
import ShiftCore
import ShiftLocal

/// Shows a running deployment: events as lines (or JSON lines), and, on a terminal, a live status line.
final class DeploymentConsole: @unchecked Sendable {
    private let json: Bool
    private let live: Bool
    // Guarded by `lock`: updates arrive from the engine's task.
    private let lock = NSLock()
    private var start: Date?
    private var statusShown = false

    init(json: Bool) {
        self.json = json
        self.live = !json && isatty(STDERR_FILENO) == 1
    }

    func handle(_ update: DeploymentUpdate) {
        switch update {
        case let .note(text): return note(text)
        case let .warning(text): return warn(text)
        case .event, .holding: break
        }
        lock.withLock {
            switch update {
            case let .event(event):
                clearStatus()
                if json {
                    try? Output.jsonLine(event)
                } else {
                    let offset = event.time.timeIntervalSince(start ?? event.time)
                    if start == nil { start = event.time }
                    Output.line(String(format: "[%6.1fs] ", offset) + event.message)
                }
            case let .holding(progress):
                guard live else { return }
                let step = progress.step.map { "step \($0)/\(progress.stepCount)" } ?? "baking"
                let alarms = progress.alarms.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }.joined(separator: ", ")
                let next = progress.remaining.isFinite ? "next in \(Int(progress.remaining.rounded(.up)))s" : "paused until resumed or promoted"
                let text = "  \(step) · \(progress.weight) on target · \(progress.paused != nil && progress.remaining.isFinite ? "paused · " : "")\(next)\(alarms.isEmpty ? "" : " · alarms: \(alarms)")"
                Output.write("\r\u{1B}[K\(text)", to: .standardError)
                statusShown = true
            case .note, .warning:
                break
            }
        }
    }

    /// Prints a line that is not an event and needs no attention, such as the version `--code` published.
    func note(_ text: String) {
        show(text, kind: .note, prefix: "")
    }

    /// Prints a warning before the start, such as an alarm in INSUFFICIENT_DATA.
    func warn(_ text: String) {
        show(text, kind: .warning, prefix: "warning: ")
    }

    private func show(_ text: String, kind: DeploymentEvent.Kind, prefix: String) {
        lock.withLock {
            clearStatus()
            if json {
                try? Output.jsonLine(DeploymentEvent(time: Date(), kind: kind, message: text))
            } else {
                Output.note(prefix + text)
            }
        }
    }

    private func clearStatus() {
        if statusShown {
            Output.write("\r\u{1B}[K", to: .standardError)
            statusShown = false
        }
    }
}

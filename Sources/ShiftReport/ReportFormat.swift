import Foundation
import ShiftCore

/// How numbers, times and spans read in a report.
enum ReportFormat {
    /// Seconds since the deployment started, short: "45s", "2m", "1m30s", "1h5m".
    static func offset(_ seconds: TimeInterval) -> String {
        let whole = Int(seconds.rounded())
        if abs(seconds - Double(whole)) > 0.05 && seconds < 60 { return String(format: "%.1fs", seconds) }
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return "\(whole / 60)m" + (whole % 60 == 0 ? "" : "\(whole % 60)s") }
        return "\(whole / 3600)h" + (whole % 3600 / 60 == 0 ? "" : "\(whole % 3600 / 60)m")
    }

    /// A measured value with up to four significant digits, no exponent for everyday magnitudes: "12.35", "0.001234".
    static func number(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        if value == value.rounded(), abs(value) < 1e9 { return Int64(value).description }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e9 {
            let decimals = max(0, 3 - Int(log10(magnitude).rounded(.down)))
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
        return String(format: "%.3g", value)
    }

    /// A p-value: three significant digits, "< 0.0001" below that.
    static func probability(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return value < 0.0001 ? "< 0.0001" : String(format: "%.3g", value)
    }

    /// A ratio of means as a multiplier: "3.02×".
    static func ratio(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "–" }
        return String(format: "%.2f×", value)
    }

    /// A duration for people: "850 ms", "12.3 s", "4m 10s".
    static func duration(_ seconds: TimeInterval) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        return offset(seconds.rounded()).replacingOccurrences(of: "m", with: "m ").replacingOccurrences(of: "h", with: "h ").trimmingCharacters(in: .whitespaces)
    }

    /// SVG coordinates: two decimals at most, no trailing zeros.
    static func coordinate(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

import ShiftCore

/// The one place where error categories become process exit codes (DESIGN.md section 4).
enum ExitStatus {
    static let success: Int32 = 0
    static let failed: Int32 = 1
    static let badInput: Int32 = 2
    static let waiting: Int32 = 3
    static let rollbackFailed: Int32 = 4
    static let conflict: Int32 = 5
    static let interrupted: Int32 = 130

    static func code(for category: ErrorCategory) -> Int32 {
        switch category {
        case .badInput: return badInput
        case .failed: return failed
        case .waiting: return waiting
        case .rollbackFailed: return rollbackFailed
        case .conflict: return conflict
        case .interrupted: return interrupted
        }
    }
}

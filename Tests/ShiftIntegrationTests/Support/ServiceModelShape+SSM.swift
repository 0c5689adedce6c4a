import Foundation
import ShiftTestSupport

extension ServiceModelShape {
    /// The committed copy of SSM's shapes (see the file's `source`).
    static let ssmModel = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ssm-2014-11-06-shapes.json")

    /// The SSM response shape `name`, e.g. `GetParameterResult`.
    static func ssm(_ name: String) throws -> ServiceModelShape {
        try ServiceModelShape(name, inModelAt: ssmModel)
    }
}

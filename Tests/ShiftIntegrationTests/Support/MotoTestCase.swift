import Foundation
import ShiftTestSupport
import XCTest

/// An integration test on the shared moto server: skipped when moto is missing; each test gets a fresh
/// function name, so tests never see each other's functions and aliases.
class MotoTestCase: ShiftIntegrationTestCase {
    var moto: MotoServer!
    /// An IAM role moto accepts for CreateFunction.
    var role: String!
    var function: String!

    /// The prefix of `function`'s names.
    class var functionPrefix: String { "moto" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        do {
            (moto, role) = try MotoServer.shared()
        } catch let unavailable as MotoServer.Unavailable {
            throw XCTSkip(unavailable.description)
        }
        function = "\(Self.functionPrefix)-\(Int.random(in: 100_000...999_999))"
    }
}

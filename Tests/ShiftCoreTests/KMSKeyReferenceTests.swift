import ShiftCore
import XCTest

/// The KMS key forms shared state may be encrypted with (KMS API Reference, `KeyId`), and the error for others.
final class KMSKeyReferenceTests: XCTestCase {
    func testEveryFormKMSTakes_isAccepted() throws {
        for key in ["1234abcd-12ab-34cd-56ef-1234567890ab", "mrk-1234abcd12ab34cd56ef1234567890ab",
                    "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    "arn:aws-cn:kms:cn-north-1:111122223333:key/mrk-1234abcd12ab34cd56ef1234567890ab",
                    "alias/shift-state", "alias/team/shift_state", "arn:aws:kms:eu-west-1:111122223333:alias/shift-state"] {
            XCTAssertNoThrow(try KMSKeyReference.validate(key, field: "--state-kms-key"), key)
        }
    }

    func testAnythingElse_isAnInvalidValueNamingTheFieldAndTheForms() {
        for key in ["", "my key", "shift-state", "alias/", "alias/has space", "1234abcd-12ab-34cd-56ef-1234567890", "mrk-12",
                    "arn:aws:s3:::bucket", "arn:aws:kms:eu-west-1:1111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                    "arn:aws:kms:eu-west-1:111122223333:grant/x"] {
            XCTAssertThrowsError(try KMSKeyReference.validate(key, field: "--state-kms-key"), key) { error in
                XCTAssertEqual((error as? ShiftCoreError)?.category, .badInput)
                XCTAssertTrue(error.localizedDescription.hasPrefix("--state-kms-key is '\(key)'; expected a KMS key id"), error.localizedDescription)
            }
        }
    }
}

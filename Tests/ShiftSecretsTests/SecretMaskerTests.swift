import ShiftCore
import XCTest

final class SecretMaskerTests: XCTestCase {
    func testEverySecretOccurrence_becomesFourStars() {
        let masker = SecretMasker(secrets: ["hunter2", "tok-123"])
        XCTAssertEqual(masker.mask("login hunter2 with tok-123, again hunter2"), "login **** with ****, again ****")
        XCTAssertEqual(masker.mask("nothing secret"), "nothing secret")
    }

    func testLongerSecretContainingAShorterOne_isMaskedWhole() {
        let masker = SecretMasker(secrets: ["abc", "abcdef"])
        XCTAssertEqual(masker.mask("x abcdef y abc"), "x **** y ****")
    }

    func testEachLineOfAMultiLineSecret_isMasked() {
        let masker = SecretMasker(secrets: ["-----BEGIN KEY-----\nMIIEsecretbody\n-----END KEY-----"])
        XCTAssertEqual(masker.mask("got MIIEsecretbody here"), "got **** here")
    }

    func testEmptySecret_isIgnored_andAddingExtends() {
        let masker = SecretMasker(secrets: [""]).adding(["p4ss"])
        XCTAssertEqual(masker.secrets, ["p4ss"])
        XCTAssertEqual(masker.mask("a p4ss b"), "a **** b")
        XCTAssertEqual(SecretMasker().mask("text"), "text")
    }
}

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

    // MARK: Cuts

    private let secret = "S3cr3t-Value-42"

    /// Every part of the secret, of two bytes or more: what must never appear in a masked cut.
    private func fragments(of secret: String) -> [String] {
        let bytes = Array(secret.utf8)
        return (0..<bytes.count - 1).flatMap { start in
            (start + 2...bytes.count).map { end in String(decoding: bytes[start..<end], as: UTF8.self) }
        }
    }

    func testMaskHead_whenASecretStraddlesTheCutAtAnyOffset_masksItWhole_andNoFragmentGoesOut() {
        let masker = SecretMasker(secrets: [secret])
        let limit = 64
        XCTAssertEqual(masker.cutMargin, secret.utf8.count - 1)
        for offset in 0...secret.utf8.count {
            // The secret starts `offset` bytes before the cut; the text holds `cutMargin` bytes beyond it, as a caller keeps.
            let before = String(repeating: "a", count: limit - offset)
            let full = before + secret + String(repeating: "b", count: 40)
            let kept = Data(full.utf8.prefix(limit + masker.cutMargin))
            let head = String(decoding: masker.maskHead(of: kept, limit: limit), as: UTF8.self)
            for fragment in fragments(of: secret) {
                XCTAssertFalse(head.contains(fragment), "offset \(offset): '\(fragment)' went out in \(head)")
            }
            if offset > 0 {
                XCTAssertEqual(head, before + "****", "offset \(offset): a straddling secret is masked whole")
            } else {
                XCTAssertEqual(head, before, "offset 0: the secret begins at the cut and is cut off entirely")
            }
        }
    }

    func testMaskTail_whenASecretStraddlesTheCutAtAnyOffset_masksItWhole_andNoFragmentGoesOut() {
        let masker = SecretMasker(secrets: [secret])
        let limit = 64
        for offset in 0...secret.utf8.count {
            // The secret ends `offset` bytes after the cut (the start of the last `limit` bytes).
            let after = String(repeating: "z", count: limit - offset)
            let full = String(repeating: "y", count: 40) + secret + after
            let kept = Data(full.utf8.suffix(limit + masker.cutMargin))
            let tail = String(decoding: masker.maskTail(of: kept, limit: limit), as: UTF8.self)
            for fragment in fragments(of: secret) {
                XCTAssertFalse(tail.contains(fragment), "offset \(offset): '\(fragment)' went out in \(tail)")
            }
            XCTAssertEqual(tail, (offset > 0 ? "****" : "") + after, "offset \(offset)")
        }
    }

    func testMaskHeadAndTail_withOverlappingSecretsAtTheCut_maskBothWhole() {
        let masker = SecretMasker(secrets: ["wxyz12", "z12345"])
        // The cut falls inside "z12345", which begins inside "wxyz12": both must go, not only the one at the cut.
        let head = String(decoding: masker.maskHead(of: Data("....wxyz12345....".utf8), limit: 11), as: UTF8.self)
        XCTAssertEqual(head, "....****")
        let tail = String(decoding: masker.maskTail(of: Data("....wxyz12345....".utf8), limit: 10), as: UTF8.self)
        XCTAssertEqual(tail, "****....")
    }

    func testMaskHeadAndTail_withNothingToMask_cutBytesUnchanged() {
        let bytes = Data([0xff, 0x00, 0x41, 0x42, 0x43])
        XCTAssertEqual(SecretMasker().maskHead(of: bytes, limit: 3), Data([0xff, 0x00, 0x41]))
        XCTAssertEqual(SecretMasker().maskTail(of: bytes, limit: 2), Data([0x42, 0x43]))
        XCTAssertEqual(SecretMasker().cutMargin, 0)
        XCTAssertEqual(SecretMasker(secrets: ["abc"]).maskHead(of: Data("x abc".utf8), limit: 10), Data("x ****".utf8))
    }
}

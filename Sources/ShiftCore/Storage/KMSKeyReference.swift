import Foundation

/// How a KMS key may be named where shared state is encrypted with it (`--state-kms-key`, a pipeline account's
/// `stateKmsKey`): the forms KMS's `KeyId` parameter takes, as S3's `x-amz-server-side-encryption-aws-kms-key-id`
/// passes it on (AWS KMS API Reference, "KeyId").
///
/// - a key id: `1234abcd-12ab-34cd-56ef-1234567890ab`, or a multi-Region key's `mrk-` and 32 hex digits
/// - a key ARN: `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`
/// - an alias: `alias/NAME`, or its ARN `arn:aws:kms:REGION:ACCOUNT:alias/NAME`
public enum KMSKeyReference {
    /// Checks `text` is one of the forms above.
    /// - Throws: `ShiftCoreError.invalidValue` naming `field`, with an example of each form.
    public static func validate(_ text: String, field: String) throws {
        guard isValid(text) else {
            throw ShiftCoreError.invalidValue(
                field: field, value: text,
                expected: "a KMS key id (1234abcd-12ab-34cd-56ef-1234567890ab), key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID) or alias (alias/NAME, or its ARN)")
        }
    }

    static func isValid(_ text: String) -> Bool {
        if text.hasPrefix("alias/") { return isAliasName(text.dropFirst("alias/".count)) }
        guard text.hasPrefix("arn:") else { return isKeyID(Substring(text)) }
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[1].hasPrefix("aws"), parts[2] == "kms", !parts[3].isEmpty,
              parts[4].count == 12, parts[4].allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        let resource = parts[5]
        if resource.hasPrefix("key/") { return isKeyID(resource.dropFirst("key/".count)) }
        if resource.hasPrefix("alias/") { return isAliasName(resource.dropFirst("alias/".count)) }
        return false
    }

    /// A UUID (8-4-4-4-12 hex digits) or `mrk-` and 32 hex digits.
    private static func isKeyID(_ id: Substring) -> Bool {
        func isHex(_ text: Substring) -> Bool { text.allSatisfy(\.isHexDigit) && text.allSatisfy(\.isASCII) }
        if id.hasPrefix("mrk-") { return id.count == 36 && isHex(id.dropFirst(4)) }
        let groups = id.split(separator: "-", omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy(isHex)
    }

    /// 1 to 250 letters, digits, `/`, `_` and `-` (KMS's alias name rule, after `alias/`).
    private static func isAliasName(_ name: Substring) -> Bool {
        (1...250).contains(name.count) && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/_-".contains($0)) }
    }
}

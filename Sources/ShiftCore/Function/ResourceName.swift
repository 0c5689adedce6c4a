/// Lambda's naming rules for functions and aliases, checked before anything is written.
public enum ResourceName {
    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "-" || character == "_")
    }

    /// A function name: 1 to 64 letters, digits, hyphens or underscores (Lambda's rule for a bare name).
    /// - Throws: `ShiftCoreError.invalidValue` naming the rule.
    public static func validateFunction(_ name: String, field: String = "function name") throws {
        guard !name.isEmpty, name.count <= 64, name.allSatisfy(isNameCharacter) else {
            throw ShiftCoreError.invalidValue(field: field, value: name, expected: "1 to 64 letters, digits, '-' or '_'")
        }
    }

    /// An alias name: 1 to 128 letters, digits, hyphens or underscores, not all digits (that would read as a version).
    /// - Throws: `ShiftCoreError.invalidValue` naming the rule.
    public static func validateAlias(_ name: String, field: String = "alias name") throws {
        guard !name.isEmpty, name.count <= 128, name.allSatisfy(isNameCharacter), !name.allSatisfy(\.isNumber) else {
            throw ShiftCoreError.invalidValue(field: field, value: name, expected: "1 to 128 letters, digits, '-' or '_', not all digits")
        }
    }

    /// An alarm name: 1 to 255 printable characters without '/' (it names a file on the local platform).
    /// - Throws: `ShiftCoreError.invalidValue` naming the rule.
    public static func validateAlarm(_ name: String, field: String = "alarm name") throws {
        guard !name.isEmpty, name.count <= 255, !name.hasPrefix("."),
              name.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != "/" && $0 != "\\" && !$0.isNewline }) else {
            throw ShiftCoreError.invalidValue(field: field, value: name, expected: "1 to 255 printable characters without spaces or '/', not starting with '.'")
        }
    }
}

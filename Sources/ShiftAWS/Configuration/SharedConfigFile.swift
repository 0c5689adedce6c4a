import Foundation

/// One parsed AWS shared file: `~/.aws/credentials` or `~/.aws/config`, in the INI dialect the AWS CLI reads.
///
/// In the credentials file a section is the bare profile name (`[prod]`); in the config file it is
/// `[profile prod]`, except `[default]`. Both forms are accepted in both files, as botocore does, and the
/// sections are stored under the profile name. Lines starting with `#` or `;` are comments; indented lines
/// continue a nested value (`s3 =` blocks) and are skipped. Values are kept, but nothing here ever prints one.
public struct SharedConfigFile: Sendable, Equatable {
    /// The file's keys for one profile, and the line of its section header (for messages).
    public struct Profile: Sendable, Equatable {
        /// `key = value` pairs, keys lowercased; a later duplicate wins.
        public var values: [String: String]
        /// The 1-based line of the `[...]` header.
        public var line: Int
    }

    /// The path the text came from, as messages show it.
    public let path: String
    /// Profiles by name (`default`, `prod`).
    public let profiles: [String: Profile]

    /// Parses the text of a shared file.
    /// - Throws: `AWSPlatformError.malformedConfigFile` naming the line that is neither a section, a pair, a
    ///   comment nor a continuation. The message never quotes the line, which could hold a secret.
    public init(parsing text: String, path: String) throws {
        self.path = path
        var profiles: [String: Profile] = [:]
        var current: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if let first = rawLine.first, first == " " || first == "\t" {
                guard current != nil else {
                    throw AWSPlatformError.malformedConfigFile(file: path, line: lineNumber, detail: "indented line outside any section")
                }
                continue // a nested value such as `s3 =`'s sub-keys: not used by shift
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else {
                    throw AWSPlatformError.malformedConfigFile(file: path, line: lineNumber, detail: "section header has no closing ']'")
                }
                let name = Self.profileName(section: String(line.dropFirst().dropLast()))
                guard !name.isEmpty else {
                    throw AWSPlatformError.malformedConfigFile(file: path, line: lineNumber, detail: "empty section name")
                }
                current = name
                if profiles[name] == nil { profiles[name] = Profile(values: [:], line: lineNumber) }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw AWSPlatformError.malformedConfigFile(file: path, line: lineNumber, detail: "line has no '='")
            }
            guard let section = current else {
                throw AWSPlatformError.malformedConfigFile(file: path, line: lineNumber, detail: "key outside any [section]")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                throw AWSPlatformError.malformedConfigFile(file: path, line: lineNumber, detail: "line has no key before '='")
            }
            profiles[section]?.values[key] = value
        }
        self.profiles = profiles
    }

    /// Reads and parses the file at `path`, or returns nil when there is no file there (an absent file is normal).
    /// - Throws: `AWSPlatformError.unreadableConfigFile` when the file exists but cannot be read,
    ///   `AWSPlatformError.malformedConfigFile` when it does not parse.
    public static func load(path: String) throws -> SharedConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        // FileHandle rather than Data(contentsOf:), so that a device such as /dev/null (a common way to say
        // "no config file", which the AWS CLI accepts) reads as empty.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw AWSPlatformError.unreadableConfigFile(file: path, detail: "permission denied")
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw AWSPlatformError.unreadableConfigFile(file: path, detail: "cannot read it (is it a directory?)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AWSPlatformError.unreadableConfigFile(file: path, detail: "not UTF-8 text")
        }
        return try SharedConfigFile(parsing: text, path: path)
    }

    /// `profile prod` -> `prod`; `default` -> `default`; `prod` -> `prod`.
    static func profileName(section: String) -> String {
        let trimmed = section.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("profile ") || trimmed.hasPrefix("profile\t") {
            return trimmed.dropFirst("profile".count).trimmingCharacters(in: .whitespaces)
        }
        return trimmed
    }
}

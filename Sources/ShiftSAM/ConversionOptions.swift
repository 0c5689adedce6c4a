import Foundation

/// How `shift sam convert` shapes the pipeline it writes.
public struct ConversionOptions: Sendable {
    /// Where the pipeline deploys: a local account (the state directory's) or an AWS account.
    public enum Platform: String, Sendable, CaseIterable {
        case local, aws
    }

    /// Values for the template's parameters (and pseudo parameters such as `AWS::Region`), over their defaults.
    public var parameterOverrides: [String: String]
    /// The pipeline's account name.
    public var account: String
    public var platform: Platform
    /// Local accounts: invocations per second through each alias while it shifts, so that alarms see data.
    public var traffic: Double?
    /// The directory the pipeline file will be in: its `source.directory` is relative to it.
    public var outputDirectory: URL

    public init(parameterOverrides: [String: String] = [:], account: String = "default", platform: Platform = .local, traffic: Double? = nil,
                outputDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)) {
        self.parameterOverrides = parameterOverrides
        self.account = account
        self.platform = platform
        self.traffic = traffic
        self.outputDirectory = outputDirectory
    }

    /// `KEY=VALUE` items as given to `--parameter-overrides`.
    /// - Throws: `SAMError.invalidOption` for an item without `=` or a key given twice.
    public static func parseOverrides(_ items: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in items {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw SAMError.invalidOption(option: "--parameter-overrides", value: item, expected: "KEY=VALUE, e.g. Stage=prod")
            }
            let key = String(item[..<equals])
            guard result[key] == nil else {
                throw SAMError.invalidOption(option: "--parameter-overrides", value: item, expected: "each parameter once (\(key) is given twice)")
            }
            result[key] = String(item[item.index(after: equals)...])
        }
        return result
    }
}

import Foundation
import Yams

/// A template function as the pipeline will ship it, with the positions its parts came from.
struct ConvertedFunction {
    /// The alias of a function without AutoPublishAlias: a pipeline deploys through an alias.
    static let defaultAlias = "live"

    var name: String
    var logicalID: String
    var position: SourcePosition
    var artifactPath = "."
    var codeDirectory: URL?
    var codePosition = SourcePosition(line: 1, column: 1)
    var runtime: String?
    var samHandler: String?
    var runtimePosition = SourcePosition(line: 1, column: 1)
    var handler = ""
    var timeout: (Int, SourcePosition)?
    var environment: [(String, String, SourcePosition)] = []
    var description: String?
    var alias = defaultAlias
    var aliasPosition: SourcePosition?
    /// The preference's name, where it was given and what it came from.
    var preference: (String, SourcePosition, String)?
    var alarms: [ConvertedAlarm] = []
    var preTraffic: HookReference?
    var postTraffic: HookReference?
    /// Another function's hook: it ships in the `hooks` stage, before the functions that call it.
    var isHook = false
    var policies: Node?
    /// The logical id of the AWS::CodeDeploy::DeploymentConfig its preference came from.
    var deploymentConfig: String?

    init(name: String, logicalID: String, position: SourcePosition) {
        self.name = name
        self.logicalID = logicalID
        self.position = position
    }
}

/// A DeploymentPreference's hook: the function it names, and where.
struct HookReference {
    var function: String
    var position: SourcePosition
    var property: String
}

/// An alarm of a DeploymentPreference: a name, or an inline definition's fields (already YAML).
struct ConvertedAlarm {
    var name: String
    var position: SourcePosition
    var comment: String
    var logicalID: String?
    var definition: [(String, String)]?

    init(name: String, position: SourcePosition, comment: String, logicalID: String? = nil, definition: [(String, String)]? = nil) {
        self.name = name
        self.position = position
        self.comment = comment
        self.logicalID = logicalID
        self.definition = definition
    }
}

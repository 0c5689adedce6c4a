/// `shift invoke`'s arguments read without swift-argument-parser, when they are plain.
///
/// `invoke` is the command a script or a test calls in a loop, so its cost is shift's start-up plus the handler's.
/// swift-argument-parser reflects over a command's property wrappers and instantiates their generic types on every
/// parse; in a binary of this size each first dynamic cast or generic instantiation scans all 10,600 protocol
/// conformances, and parsing took a third of the CPU time of `shift invoke` (BENCHMARKS.md, "`shift invoke`
/// against running the handler directly").
///
/// The grammar below is invoke's, and only its plain form: each option once, values in the next word or after `=`,
/// one target. Anything else (`--help`, an unknown or repeated option, a missing value, both payload options, an
/// unknown output format) is left to swift-argument-parser, which explains it; so is every other command. The
/// reading builds an `Invocation`, a plain value, never `InvokeCommand` itself, whose property wrappers' generic
/// types are what costs. `InvokeArgumentsTests` checks that both readings agree, and that every option
/// `InvokeCommand` declares is one this reading knows.
extension Invocation {
    /// Every option this reading knows: `--log` takes no value, the others one.
    static let options = ["--payload", "--payload-file", "--log", "--state-dir", "--account", "--output"]

    /// The invocation `arguments` (what follows `invoke`, global options included) describe, or nil when they are
    /// not plain and swift-argument-parser must read them.
    static func read(_ arguments: [String]) -> Invocation? {
        var invocation = Invocation(target: "")
        var target: String?
        // An array, not a `Set`: instantiating `Set<String>` is one more scan of the conformances.
        var given: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("-") else {
                guard target == nil else { return nil }
                target = argument
                continue
            }
            var name = argument
            var value: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                value = String(argument[argument.index(after: equals)...])
            }
            guard options.contains(name), !given.contains(name) else { return nil }
            given.append(name)
            if name == "--log" {
                guard value == nil else { return nil }
                invocation.log = true
                continue
            }
            if value == nil {
                guard index < arguments.endIndex, !arguments[index].hasPrefix("-") else { return nil }
                value = arguments[index]
                index += 1
            }
            guard let value else { return nil }
            switch name {
            case "--payload": invocation.payload = value
            case "--payload-file": invocation.payloadFile = value
            case "--state-dir": invocation.stateDirectory = value
            case "--account": invocation.account = value
            default:
                guard let format = OutputFormat(rawValue: value) else { return nil }
                invocation.output = format
            }
        }
        guard let target, !(given.contains("--payload") && given.contains("--payload-file")) else { return nil }
        invocation.target = target
        return invocation
    }
}

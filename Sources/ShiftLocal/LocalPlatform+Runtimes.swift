import Foundation
import ShiftCore

/// How the local platform runs a function with a Lambda runtime, and the variables Lambda sets for every handler.
extension LocalPlatform {
    /// Checks, before anything is written, that a configuration's runtime runs here: a runtime the local platform
    /// knows, with its interpreter on shift's `PATH` (the configuration checked the handler name's shape). A command
    /// handler passes.
    /// - Throws: `LocalPlatformError.unsupportedRuntime`, `.interpreterNotFound`.
    public func checkRuntime(of configuration: FunctionConfiguration) throws {
        guard let identifier = configuration.runtime else { return }
        _ = try LambdaRuntime(identifier).interpreterPath(searchPath: inheritedEnvironment["PATH"])
    }

    /// Where the runtimes' bootstraps (and Python's bytecode cache) live: beside the accounts, shared by them.
    var runtimesDirectory: URL { state.root.appendingPathComponent("runtimes") }

    /// The command that runs `handler` through `runtime`'s bootstrap, found on the handler's `PATH`; sets what the
    /// interpreter needs in `environment`.
    /// - Throws: `LocalPlatformError.interpreterNotFound`; `StorageError` when the bootstrap cannot be written.
    func runtimeCommand(_ runtime: LambdaRuntime, handler: String, environment: inout [String: String]) throws -> String {
        let interpreter = try runtime.interpreterPath(searchPath: environment["PATH"])
        let bootstrap = try RuntimeBootstraps(directory: runtimesDirectory).file(for: runtime)
        environment["AWS_EXECUTION_ENV"] = "AWS_Lambda_\(runtime.identifier)"
        if case .python = runtime {
            // Bytecode goes to the cache, never into the version's code directory, whose content is its hash.
            environment["PYTHONPYCACHEPREFIX"] = runtimesDirectory.appendingPathComponent("pycache").path
        }
        return runtime.command(interpreter: interpreter, bootstrap: bootstrap, handler: handler)
    }

    /// The variables Lambda sets in every function's environment (its reserved ones), with local values, and the
    /// invocation's request id and ARN for the runtime's context object.
    func lambdaVariables(_ function: String, target: Target, requestId: String) -> [String: String] {
        let day = Self.logStreamDay(clock.now)
        return [
            "AWS_LAMBDA_FUNCTION_NAME": function,
            "AWS_LAMBDA_FUNCTION_VERSION": target.executedVersion,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": String(Self.memorySize),
            "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/\(function)",
            "AWS_LAMBDA_LOG_STREAM_NAME": "\(day)/[\(target.executedVersion)]\(requestId.filter { $0 != "-" })",
            "AWS_REGION": LocalARN.region,
            "AWS_DEFAULT_REGION": LocalARN.region,
            "LAMBDA_TASK_ROOT": target.workingDirectory.path,
            "_HANDLER": target.configuration.handler,
            "SHIFT_REQUEST_ID": requestId,
            "SHIFT_INVOKED_FUNCTION_ARN": LocalARN.function(function, qualifier: target.alias ?? (target.executedVersion == "$LATEST" ? nil : target.executedVersion)),
        ]
    }

    /// `yyyy/MM/dd` in UTC, the start of a Lambda log stream's name.
    static func logStreamDay(_ date: Date) -> String {
        String(Timestamp.format(date).prefix(10).map { $0 == "-" ? "/" : $0 })
    }
}

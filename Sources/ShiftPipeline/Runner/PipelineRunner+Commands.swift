import Foundation
import ShiftCore
import ShiftStorage

extension PipelineRunner {
    /// A build or test stage: a fresh workspace holding the source, the commands in order with the stage's
    /// timeout, then the declared artifacts collected into the run and hashed.
    func runCommands(_ stage: CommandStage, stage index: Int, recorder: RunRecorder, interruption: Interruption) async -> StageOutcome {
        let run = await recorder.run
        let record = run.stages[index]
        var masker = SecretMasker()
        do {
            // Parameters resolve from the stage's account; only their references are ever written down.
            var commands = stage.commands
            var environment = stage.environment
            var parameterVariables: [String: String] = [:]
            if (commands + environment.values).contains(where: { $0.contains(ParameterReference.opening) }) {
                guard let account = run.pipeline.account(stage.account) else { return .failed(.failed, "account \(stage.account) is not declared") }
                let resolver = try accounts.resolver(for: account, stage: record.name)
                var values: [String] = []
                // In a command, a reference becomes an expansion of a variable that holds the value: the value
                // is never in the command line (which `ps` shows to every user) nor parsed by the shell.
                var variableOf: [String: String] = [:]
                for name in try commands.flatMap(ParameterReference.names(in:)) where variableOf[name] == nil {
                    let variable = "SHIFT_PARAM_\(variableOf.count + 1)"
                    variableOf[name] = variable
                    let value = try await resolver.resolve(name)
                    parameterVariables[variable] = value
                    values.append(value)
                }
                for (offset, command) in commands.enumerated() {
                    commands[offset] = try ParameterReference.substitute(in: command, values: variableOf.mapValues { "${\($0)}" })
                }
                for (key, value) in environment {
                    let resolved = try await ParameterReference.resolve(in: value, using: resolver)
                    environment[key] = resolved.text
                    values += resolved.values
                }
                masker = masker.adding(values)
            }

            let workspace = store.workspace(run.id, stage: record.name, attempt: record.attempts)
            try? FileManager.default.removeItem(at: workspace)
            try files.copy(from: store.sourceDirectory(run.id), to: workspace)
            var variables = environment.merging(parameterVariables) { _, parameter in parameter }
            variables["SHIFT_PIPELINE"] = run.pipeline.name
            variables["SHIFT_RUN_ID"] = run.id
            variables["SHIFT_STAGE"] = record.name
            variables["SHIFT_WORKSPACE"] = workspace.path
            variables["SHIFT_ARTIFACTS"] = store.artifactsDirectory(run.id).path
            variables["SHIFT_SOURCE_REVISION"] = run.source.revision

            let deadline = clock.now.addingTimeInterval(stage.timeout)
            await recorder.log(stage: index, "workspace \(workspace.path) (source \(run.source.kind) \(run.source.revision))")
            for (offset, command) in commands.enumerated() {
                if Task.isCancelled { return .interrupted(interruption.signal ?? "cancellation") }
                let remaining = deadline.timeIntervalSince(clock.now)
                guard remaining > 0 else { return .failed(.failed, "timed out after \(stage.timeout.compact)s before command \(offset + 1)") }
                // The command as written (references, not values) goes to the log.
                await recorder.log(stage: index, "$ \(stage.commands[offset].trimmingCharacters(in: .whitespacesAndNewlines))")
                // Masked by the process before its output is cut, so no part of a secret straddling the cut goes out.
                let outcome = try await self.commands.run("exec 2>&1\n\(command)", in: workspace, environment: variables, timeout: remaining, masker: masker)
                let output = String(decoding: outcome.stdout, as: UTF8.self)
                if !output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    for line in output.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false) {
                        await recorder.log(stage: index, "  \(line)")
                    }
                }
                if Task.isCancelled { return .interrupted(interruption.signal ?? "cancellation") }
                switch outcome.termination {
                case .exited(0):
                    continue
                case let .exited(status):
                    let last = output.split(separator: "\n").last.map { "; last output: \($0.prefix(200))" } ?? ""
                    return .failed(.failed, "command \(offset + 1) exited with status \(status): \(Self.summary(of: stage.commands[offset]))\(last)")
                case let .signalled(signal):
                    return .failed(.failed, "command \(offset + 1) was killed by signal \(signal)")
                case .timedOut:
                    return .failed(.failed, "timed out after \(stage.timeout.compact)s in command \(offset + 1): \(Self.summary(of: stage.commands[offset]))")
                }
            }
            if Task.isCancelled { return .interrupted(interruption.signal ?? "cancellation") }
            let artifacts = try collect(stage.artifacts, from: workspace, run: run.id)
            if let sharedArtifacts {
                // Shared before the stage succeeds: a run resumed on another machine deploys these exact bytes.
                for artifact in artifacts {
                    try await sharedArtifacts.upload(artifact, from: store.runDirectory(run.id).appendingPathComponent(artifact.path))
                }
            }
            for artifact in artifacts { await recorder.log(stage: index, "artifact \(artifact.name): \(artifact.bytes) bytes, sha256 \(artifact.sha256)") }
            try await recorder.update(stage: index) { $0.artifacts = artifacts }
            try? FileManager.default.removeItem(at: workspace)
            return .completed
        } catch {
            return .failed(.failed, masker.mask(Self.describe(error)))
        }
    }

    /// Copies each declared artifact out of the workspace into the run (staged, then renamed) and hashes it.
    private func collect(_ declarations: [ArtifactDeclaration], from workspace: URL, run: String) throws -> [ArtifactRecord] {
        let directory = store.artifactsDirectory(run)
        try AtomicFile.createDirectory(directory)
        return try declarations.map { declaration in
            let source = workspace.appendingPathComponent(declaration.path)
            guard FileManager.default.fileExists(atPath: source.path) else {
                throw PipelineError.missingArtifact(name: declaration.name, path: declaration.path)
            }
            let destination = directory.appendingPathComponent(declaration.name)
            let staging = directory.appendingPathComponent(".\(declaration.name).\(UUID().uuidString).tmp")
            try files.copy(from: source, to: staging)
            try? FileManager.default.removeItem(at: destination)
            guard rename(staging.path, destination.path) == 0 else {
                throw StorageError.io(path: destination.path, operation: "move artifact into", detail: String(cString: strerror(errno)))
            }
            AtomicFile.syncDirectory(directory)
            return ArtifactRecord(name: declaration.name, path: "artifacts/\(declaration.name)", sha256: try files.hash(of: destination), bytes: Self.size(of: destination))
        }
    }

    private static func size(of url: URL) -> Int {
        guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey]) else { return 0 }
        var total = 0
        while let item = walker.nextObject() as? URL {
            total += (try? item.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        }
        return total
    }

    /// The first line of a command, shortened, for one-line reasons.
    static func summary(of command: String) -> String {
        let lines = command.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n")
        let first = String(lines.first?.prefix(100) ?? "")
        return lines.count > 1 || first.count == 100 ? first + " ..." : first
    }

    static func describe(_ error: Error) -> String {
        (error as? LocalizedError)?.errorDescription ?? "\(error)"
    }
}

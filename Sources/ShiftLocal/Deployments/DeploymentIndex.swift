import Foundation
import ShiftCore
import ShiftStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `deployments/index.jsonl`: what `deployment list` reads instead of every record. Append-only JSON lines:
///
/// ```
/// {"writing":"d-…"}                      before a record is replaced (fsynced)
/// {"deploymentId":"d-…","status":…}      after it: the record's summary (a later line for an id replaces earlier ones)
/// {"damaged":"d-…","detail":"…"}         a reader found the record unreadable
/// {"absent":"d-…"}                       a record announced by "writing" was never written
/// ```
///
/// A record and its two lines are written under the index lock, so a reader holding that lock sees them agree.
/// A `kill -9` between the record and its summary leaves a "writing" line without a summary after it: readers
/// take the lock and read that one record again. A record the index has no line for at all (written by a
/// shift before the index, or restored from a backup) is read too, found by its file name; one whose file is
/// gone is left out. A torn last line (a crash mid-append) is ignored by readers and cut off by the next writer;
/// any other line that does not parse means the index is damaged: it is rebuilt from the records. When the
/// file holds many more lines than deployments, a reader rewrites it with one line each.
public struct DeploymentIndex: Sendable {
    public let state: StateDirectory

    public init(state: StateDirectory) {
        self.state = state
    }

    var file: URL { state.deploymentIndexFile }

    // MARK: Writing

    /// Replaces a deployment's record by running `write` between its "writing" line and its summary line, all
    /// under the index lock.
    /// - Throws: `StorageError.io`; what `write` throws (then the record is re-read by the next listing).
    public func record(_ deployment: Deployment, write: () throws -> Void) throws {
        try FileLock.withLock(at: state.deploymentIndexLock) {
            try AtomicFile.createDirectory(state.deploymentsDirectory)
            let descriptor = try openForAppending()
            defer { close(descriptor) }
            try append([.writing(deployment.id)], to: descriptor, durably: true)
            try write()
            try append([.summary(DeploymentSummary(deployment))], to: descriptor, durably: false)
        }
    }

    /// Notes that a reader found a deployment's record damaged, so that listing warns about it until it is
    /// readable again or removed. Best effort: the record itself stays the truth.
    public func noteDamaged(_ id: String, detail: String) {
        try? FileLock.withLock(at: state.deploymentIndexLock) {
            let descriptor = try openForAppending()
            defer { close(descriptor) }
            try append([.damaged(id: id, detail: detail)], to: descriptor, durably: false)
        }
    }

    // MARK: Reading

    /// Every deployment the index knows whose record is on disk: summaries of the readable ones, and the damaged
    /// ones as `StorageError.corruptState` sent to `unreadable`. Repairs the index first when it lags the records
    /// (see the type's comment); rebuilds it when it is damaged or missing.
    /// - Throws: `StorageError.io` when the index cannot be read or repaired.
    public func summaries(unreadable: (StorageError) -> Void) throws -> [DeploymentSummary] {
        let onDisk = Set(state.entries(in: state.deploymentsDirectory, suffix: ".json"))
        var contents: Contents
        if let read = try? read(), !read.isDamaged {
            contents = read
            let unsettled = onDisk.subtracting(contents.entries.keys).union(contents.pending).union(contents.damagedIDs)
            if !unsettled.isEmpty || contents.lineCount > 2 * contents.entries.count + 1_000 {
                contents = try repair(unsettled, known: onDisk)
            }
        } else {
            contents = try rebuild(from: onDisk)
        }
        var summaries: [DeploymentSummary] = []
        summaries.reserveCapacity(contents.entries.count)
        for (id, entry) in contents.entries where onDisk.contains(id) {
            switch entry {
            case let .summary(summary): summaries.append(summary)
            case let .damaged(detail): unreadable(.corruptState(file: state.deploymentFile(id).path, detail: detail))
            }
        }
        return summaries
    }

    /// Rebuilds the index from the records: what a damaged or missing index becomes.
    /// - Throws: `StorageError.io`.
    @discardableResult
    public func rebuild() throws -> [DeploymentSummary] {
        let contents = try rebuild(from: Set(state.entries(in: state.deploymentsDirectory, suffix: ".json")))
        return contents.entries.values.compactMap { if case let .summary(summary) = $0 { summary } else { nil } }
    }

    private func rebuild(from ids: Set<String>) throws -> Contents {
        try FileLock.withLock(at: state.deploymentIndexLock) {
            var contents = Contents()
            for id in ids { contents.apply(settling(id)) }
            try rewrite(contents)
            return contents
        }
    }

    /// Under the lock (no writer in flight): reads the index again, settles `ids` and every unsettled "writing"
    /// line from their records, and appends what it learnt, or rewrites the index compactly when it has grown.
    private func repair(_ ids: Set<String>, known onDisk: Set<String>) throws -> Contents {
        try FileLock.withLock(at: state.deploymentIndexLock) {
            guard var contents = try? read(), !contents.isDamaged else {
                var contents = Contents()
                for id in onDisk { contents.apply(settling(id)) }
                try rewrite(contents)
                return contents
            }
            var lines: [IndexLine] = []
            for id in ids.union(contents.pending).sorted() {
                let line = settling(id)
                // A record still damaged the same way needs no second line.
                if case let .damaged(_, detail) = line, case .damaged(detail)? = contents.entries[id] { continue }
                lines.append(line)
                contents.apply(line)
            }
            if contents.lineCount > 2 * contents.entries.count + 1_000 {
                try rewrite(contents)
            } else if !lines.isEmpty {
                let descriptor = try openForAppending()
                defer { close(descriptor) }
                try append(lines, to: descriptor, durably: false)
            }
            return contents
        }
    }

    /// The line that says what the record of `id` holds now.
    private func settling(_ id: String) -> IndexLine {
        do {
            guard let deployment = try JSONFile.readIfPresent(Deployment.self, from: state.deploymentFile(id)) else { return .absent(id) }
            return .summary(DeploymentSummary(deployment))
        } catch let StorageError.corruptState(_, detail) {
            return .damaged(id: id, detail: detail)
        } catch {
            return .damaged(id: id, detail: (error as? LocalizedError)?.errorDescription ?? "\(error)")
        }
    }

    /// The index as its lines say, or nil when there is none.
    func read() throws -> Contents? {
        guard let data = try StateFile.contentsIfPresent(file) else { return nil }
        return Contents(parsing: data)
    }

    // MARK: File operations

    private func openForAppending() throws -> Int32 {
        let descriptor = open(file.path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw StorageError.opening(file.path, operation: "open") }
        do {
            try cutTornLine(descriptor)
        } catch {
            close(descriptor)
            throw error
        }
        return descriptor
    }

    /// A crash mid-append leaves a last line without its newline: cut it off, so that the next line starts clean
    /// (it was a "writing" line whose record was never replaced, or a summary whose "writing" line stays unsettled).
    private func cutTornLine(_ descriptor: Int32) throws {
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_size > 0 else { return }
        var end = Int(info.st_size)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while end > 0 {
            let start = max(0, end - chunk.count)
            let count = pread(descriptor, &chunk, end - start, off_t(start))
            guard count == end - start else { throw StorageError.io(path: file.path, operation: "read", detail: StorageError.errnoDescription()) }
            if let newline = chunk[0..<count].lastIndex(of: 0x0A) {
                let keep = start + newline + 1
                if keep == Int(info.st_size) { return }
                return try truncate(descriptor, to: keep)
            }
            end = start
        }
        try truncate(descriptor, to: 0)
    }

    private func truncate(_ descriptor: Int32, to size: Int) throws {
        guard ftruncate(descriptor, off_t(size)) == 0 else {
            throw StorageError.io(path: file.path, operation: "truncate", detail: StorageError.errnoDescription())
        }
    }

    private func append(_ lines: [IndexLine], to descriptor: Int32, durably: Bool) throws {
        let data = try IndexLine.encode(lines)
        let written = data.withUnsafeBytes { SystemCall.write(descriptor, $0.baseAddress!, $0.count) }
        guard written == data.count else {
            throw StorageError.io(path: file.path, operation: "append to", detail: StorageError.errnoDescription())
        }
        if durably, fsync(descriptor) != 0 {
            throw StorageError.io(path: file.path, operation: "fsync", detail: StorageError.errnoDescription())
        }
    }

    /// Replaces the index with one line per deployment.
    private func rewrite(_ contents: Contents) throws {
        let lines = contents.entries.sorted { $0.key < $1.key }.map { id, entry -> IndexLine in
            switch entry {
            case let .summary(summary): return .summary(summary)
            case let .damaged(detail): return .damaged(id: id, detail: detail)
            }
        }
        try AtomicFile.write(try IndexLine.encode(lines), to: file)
    }
}

extension DeploymentIndex {
    /// What the index's lines add up to.
    struct Contents {
        enum Entry: Equatable {
            case summary(DeploymentSummary)
            case damaged(detail: String)
        }

        var entries: [String: Entry] = [:]
        /// Ids whose last line is "writing": a record write in flight, or cut short by a crash.
        var pending: Set<String> = []
        var lineCount = 0
        /// A whole line (not the last, torn one) that does not parse.
        var isDamaged = false

        var damagedIDs: Set<String> {
            Set(entries.compactMap { id, entry in if case .damaged = entry { id } else { nil } })
        }

        init() {}

        init(parsing data: Data) {
            // Only lines ending in a newline count: the last one without may be torn, or being written.
            guard let end = data.lastIndex(of: 0x0A) else { return }
            let whole = data[data.startIndex...end]
            let lines = whole.split(separator: 0x0A)
            lineCount = lines.count
            // One decoder call for all lines (a JSON array of them) is much faster than one call a line.
            var array = Data()
            array.reserveCapacity(whole.count + 2)
            array.append(UInt8(ascii: "["))
            for (number, line) in lines.enumerated() {
                if number > 0 { array.append(UInt8(ascii: ",")) }
                array.append(contentsOf: line)
            }
            array.append(UInt8(ascii: "]"))
            let decoder = JSONFile.decoder()
            if let decoded = try? decoder.decode([IndexLine].self, from: array) {
                decoded.forEach { apply($0) }
                return
            }
            for line in lines {
                guard let decoded = try? decoder.decode(IndexLine.self, from: Data(line)) else {
                    isDamaged = true
                    return
                }
                apply(decoded)
            }
        }

        mutating func apply(_ line: IndexLine) {
            switch line {
            case let .writing(id):
                pending.insert(id)
            case let .summary(summary):
                entries[summary.deploymentId] = .summary(summary)
                pending.remove(summary.deploymentId)
            case let .damaged(id, detail):
                entries[id] = .damaged(detail: detail)
                pending.remove(id)
            case let .absent(id):
                entries[id] = nil
                pending.remove(id)
            }
        }
    }
}

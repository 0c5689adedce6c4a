import Algorithms
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
            try append([.summary(try IndexedSummary(DeploymentSummary(deployment)))], to: descriptor, durably: false)
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

    /// The newest `limit` (nil: every) deployments the index knows whose record is on disk and that pass the filters
    /// (nil: any), newest first, with how many more passed them. Damaged records go to `unreadable` as
    /// `StorageError.corruptState`. Repairs the index first when it lags the records (see the type's comment);
    /// rebuilds it when it is damaged or missing. Only the summaries shown are decoded: every other line is read
    /// for its id, function, status and creation time alone.
    /// - Throws: `StorageError.io` when the index cannot be read or repaired.
    public func listing(function: String? = nil, status: DeploymentStatus? = nil, limit: Int? = nil,
                        unreadable: (StorageError) -> Void = { _ in }) throws -> DeploymentListing {
        try listing(function: function, status: status, limit: limit, unreadable: unreadable, rebuildingWhenDamaged: true)
    }

    private func listing(function: String?, status: DeploymentStatus?, limit: Int?, unreadable: (StorageError) -> Void,
                         rebuildingWhenDamaged: Bool) throws -> DeploymentListing {
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
        var matching: [IndexedSummary] = []
        for (id, entry) in contents.entries where onDisk.contains(id) {
            switch entry {
            case let .summary(summary): if summary.matches(function: function, status: status) { matching.append(summary) }
            case let .damaged(detail): unreadable(.corruptState(file: state.deploymentFile(id).path, detail: detail))
            }
        }
        // The newest `limit` by a partial sort: 10,000 summaries are not all ordered to show 50.
        let count = max(0, limit ?? matching.count)
        let shown = count < matching.count ? matching.min(count: count, sortedBy: IndexedSummary.newestFirst) : matching.sorted(by: IndexedSummary.newestFirst)
        let decoder = JSONFile.decoder()
        do {
            return DeploymentListing(summaries: try shown.map { try $0.decoded(with: decoder) }, omitted: matching.count - shown.count)
        } catch {
            // A line the scan accepted but that holds less than a summary: the index is damaged, so rebuilt (its
            // new lines are encoded from the records, so they decode).
            guard rebuildingWhenDamaged else { throw StorageError.corruptState(file: file.path, detail: "\(error)") }
            try rebuild()
            return try listing(function: function, status: status, limit: limit, unreadable: unreadable, rebuildingWhenDamaged: false)
        }
    }

    /// Rebuilds the index from the records: what a damaged or missing index becomes.
    /// - Throws: `StorageError.io`.
    public func rebuild() throws {
        try rebuild(from: Set(state.entries(in: state.deploymentsDirectory, suffix: ".json")))
    }

    @discardableResult
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
            return .summary(try IndexedSummary(DeploymentSummary(deployment)))
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
            case summary(IndexedSummary)
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
            let lines = Self.lineEnds(in: data)
            lineCount = lines.count
            data.withUnsafeBytes { file in
                var start = 0
                for end in lines {
                    defer { start = end + 1 }
                    if end == start { continue }
                    guard let line = IndexLine(UnsafeRawBufferPointer(rebasing: file[start..<end]), at: start..<end, of: data) else {
                        isDamaged = true
                        return
                    }
                    apply(line)
                }
            }
        }

        /// The offsets of the newlines: each ends a whole line (a last line without one may be torn, or being written).
        static func lineEnds(in data: Data) -> [Int] {
            data.withUnsafeBytes { bytes in
                guard let base = bytes.baseAddress else { return [] }
                var ends: [Int] = []
                var offset = 0
                while offset < bytes.count, let found = memchr(base + offset, 0x0A, bytes.count - offset) {
                    let end = base.distance(to: UnsafeRawPointer(found))
                    ends.append(end)
                    offset = end + 1
                }
                return ends
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

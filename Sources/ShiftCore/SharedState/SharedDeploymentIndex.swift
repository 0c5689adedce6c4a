import Foundation

/// The listing index of a shared store: summaries kept in lists of a head object with the newest and older pages,
/// so the newest deployments of a function, or of every function, are a fixed number of reads whatever the number
/// of deployments (and functions) in the bucket.
///
/// Each summary is in two lists:
/// - its function's: `index/FUNCTION/head.json`, `index/FUNCTION/page-000001.json` ...: one function's newest 50
///   are one read.
/// - one of ``shards`` lists of every function's deployments, chosen by deployment id: `index-all/NN/head.json`,
///   `index-all/NN/page-000001.json` ... (`NN` from `00`). Every function's newest 50 are one read per shard; the
///   shards spread the writes of a fleet deploying many functions at once over several objects.
///
/// A list's ``Head`` holds up to ``headCapacity`` summaries, newest first, and how many pages exist; its
/// ``Page``s hold ``pageSize`` older summaries each, page 1 oldest. Every change is a read-modify-write
/// conditional on the head's ETag, retried on conflict, so two machines deploying at once both land their
/// summaries. When the head overflows, its oldest ``pageSize`` summaries go to page `pages + 1` first (an
/// unconditional write: until the head says the page exists, nothing reads it, and a retry rewrites it), then the
/// head records the page.
public struct SharedDeploymentIndex: Sendable {
    public let store: any ObjectStore
    /// Summaries a head holds before spilling.
    public var headCapacity = 100
    /// Summaries per page.
    public var pageSize = 50
    /// Conflicting read-modify-writes retried before giving up. Each conflict is another writer's progress, so
    /// this bounds how many index updates other machines may land during one of ours.
    public var attempts = 200
    /// How many lists every function's deployments are spread over. Part of the key layout: a bucket's writers
    /// and readers must agree on it, so it is not a setting.
    public static let shards = 8

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The head object of a list: a function's (`function` set) or a shard of every function's (`shard` set).
    public struct Head: Codable, Equatable, Sendable {
        public var function: String?
        public var shard: Int?
        public var pages: Int
        public var summaries: [DeploymentSummary]
    }

    /// An older page of a list.
    public struct Page: Codable, Equatable, Sendable {
        public var function: String?
        public var shard: Int?
        public var page: Int
        public var summaries: [DeploymentSummary]
    }

    /// One list of summaries: where its objects are and what they say they are.
    struct List: Sendable {
        var function: String?
        var shard: Int?
        var prefix: String { function.map { "index/\($0)" } ?? String(format: "index-all/%02d", shard ?? 0) }
        var headKey: String { "\(prefix)/head.json" }
        func pageKey(_ page: Int) -> String { "\(prefix)/page-\(String(format: "%06d", page)).json" }

        static func function(_ name: String) -> List { List(function: name) }
        static func shard(_ number: Int) -> List { List(shard: number) }
        /// The shard of a deployment: FNV-1a of its id, the same on every machine and in every process (Swift's
        /// `Hasher` is seeded per process).
        static func shard(of deploymentID: String) -> List {
            var hash: UInt32 = 2_166_136_261
            for byte in deploymentID.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
            return shard(Int(hash % UInt32(SharedDeploymentIndex.shards)))
        }
    }

    /// Puts `summary` in its shard and in its function's list, replacing the deployment's earlier summary in each.
    /// The shard first: `recover` finds unfinished deployments through the shards, so a process that dies between
    /// the two writes leaves the summary where `recover` looks.
    /// - Throws: `ObjectStoreError`; `ShiftCoreError.invalidValue` naming a damaged index object.
    public func record(_ summary: DeploymentSummary) async throws {
        try await record(summary, in: .shard(of: summary.deploymentId))
        try await record(summary, in: .function(summary.functionName))
    }

    /// The newest `limit` summaries of `function` (all when nil), newest first, and how many the function has in
    /// all (pages are always full): one read for up to the head's size, one more per page after that.
    /// - Throws: `ObjectStoreError`; `ShiftCoreError.invalidValue` naming a damaged index object.
    public func summaries(of function: String, limit: Int?) async throws -> (summaries: [DeploymentSummary], total: Int) {
        try await summaries(in: .function(function), limit: limit)
    }

    /// The newest `limit` summaries of every function (all when nil), newest first, and how many there are in all:
    /// the shards read at once, one read each for up to a head's size. A damaged shard goes to `unreadable` and is
    /// left out.
    /// - Throws: `ObjectStoreError`.
    public func summariesOfEveryFunction(limit: Int?, unreadable: @escaping @Sendable (any Error) -> Void) async throws -> (summaries: [DeploymentSummary], total: Int) {
        let lists = try await withThrowingTaskGroup(of: (summaries: [DeploymentSummary], total: Int)?.self) { group in
            for number in 0..<Self.shards {
                group.addTask {
                    do {
                        return try await summaries(in: .shard(number), limit: limit)
                    } catch let error as ShiftCoreError {
                        unreadable(error)
                        return nil
                    }
                }
            }
            return try await group.reduce(into: []) { lists, list in list.map { lists.append($0) } }
        }
        let merged = lists.flatMap(\.summaries).sorted(by: DeploymentSummary.newestFirst)
        return (limit.map { Array(merged.prefix($0)) } ?? merged, lists.reduce(0) { $0 + $1.total })
    }

    private func record(_ summary: DeploymentSummary, in list: List) async throws {
        for _ in 0..<attempts {
            let read = try await readHead(list)
            var head = read?.head ?? Head(function: list.function, shard: list.shard, pages: 0, summaries: [])
            if let index = head.summaries.firstIndex(where: { $0.deploymentId == summary.deploymentId }) {
                guard head.summaries[index] != summary else { return }
                head.summaries[index] = summary
            } else if let oldest = head.summaries.last, head.pages > 0, DeploymentSummary.newestFirst(oldest, summary) {
                // Older than everything in the head: it was spilled to a page.
                if try await recordInPages(summary, in: list, pages: head.pages) { return }
                head.summaries.append(summary)
            } else {
                head.summaries.append(summary)
            }
            head.summaries.sort(by: DeploymentSummary.newestFirst)
            if head.summaries.count > headCapacity {
                let spilled = Array(head.summaries.suffix(pageSize))
                head.summaries.removeLast(spilled.count)
                head.pages += 1
                let page = Page(function: list.function, shard: list.shard, page: head.pages, summaries: spilled)
                try await store.put(list.pageKey(head.pages), data: try SharedStateJSON.encode(page), condition: .always)
            }
            do {
                try await store.put(list.headKey, data: try SharedStateJSON.encode(head), condition: read.map { .matches(etag: $0.etag) } ?? .absent)
                return
            } catch ObjectStoreError.conditionFailed {
                await Task.yield() // Let the writer that won finish before reading again.
                continue
            }
        }
        throw ObjectStoreError.unavailable(location: store.location, detail: "\(list.headKey) kept changing under \(attempts) attempts to update it")
    }

    private func summaries(in list: List, limit: Int?) async throws -> (summaries: [DeploymentSummary], total: Int) {
        guard let head = try await readHead(list)?.head else { return ([], 0) }
        var result = head.summaries
        var page = head.pages
        while page > 0, limit.map({ result.count < $0 }) ?? true {
            if let read = try await readPage(list, page) { result += read.page.summaries }
            page -= 1
        }
        return (limit.map { Array(result.prefix($0)) } ?? result, head.summaries.count + head.pages * pageSize)
    }

    private func recordInPages(_ summary: DeploymentSummary, in list: List, pages: Int) async throws -> Bool {
        for number in stride(from: pages, through: 1, by: -1) {
            for _ in 0..<attempts {
                guard let read = try await readPage(list, number),
                      let index = read.page.summaries.firstIndex(where: { $0.deploymentId == summary.deploymentId }) else { break }
                var page = read.page
                page.summaries[index] = summary
                do {
                    try await store.put(list.pageKey(number), data: try SharedStateJSON.encode(page), condition: .matches(etag: read.etag))
                    return true
                } catch ObjectStoreError.conditionFailed {
                    continue
                }
            }
        }
        return false
    }

    private func readHead(_ list: List) async throws -> (head: Head, etag: String)? {
        let key = list.headKey
        guard let object = try await store.get(key) else { return nil }
        return (try SharedStateJSON.decode(Head.self, from: object.data, key: key, store: store, expected: "a shift deployment index head"), object.etag)
    }

    private func readPage(_ list: List, _ number: Int) async throws -> (page: Page, etag: String)? {
        let key = list.pageKey(number)
        guard let object = try await store.get(key) else { return nil }
        return (try SharedStateJSON.decode(Page.self, from: object.data, key: key, store: store, expected: "a shift deployment index page"), object.etag)
    }
}

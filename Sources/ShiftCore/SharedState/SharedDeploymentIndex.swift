import Foundation

/// The listing index of a shared store: per function, a head object with the newest summaries and older pages,
/// so the newest deployments of a function are one read, whatever the number of deployments in the bucket.
///
/// - `index/FUNCTION/head.json`: ``Head``: up to ``headCapacity`` summaries, newest first, and how many pages exist.
/// - `index/FUNCTION/page-000001.json` ...: ``Page``s of ``pageSize`` older summaries, page 1 oldest.
///
/// Every change is a read-modify-write conditional on the head's ETag, retried on conflict, so two machines
/// deploying two aliases of one function both land their summaries. When the head overflows, its oldest
/// ``pageSize`` summaries go to page `pages + 1` first (an unconditional write: until the head says the page
/// exists, nothing reads it, and a retry rewrites it), then the head records the page.
public struct SharedDeploymentIndex: Sendable {
    public let store: any ObjectStore
    /// Summaries the head holds before spilling.
    public var headCapacity = 100
    /// Summaries per page.
    public var pageSize = 50
    /// Conflicting read-modify-writes retried before giving up. Each conflict is another writer's progress, so
    /// this bounds how many index updates other machines may land during one of ours.
    public var attempts = 200

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The head object of a function.
    public struct Head: Codable, Equatable, Sendable {
        public var function: String
        public var pages: Int
        public var summaries: [DeploymentSummary]
    }

    /// An older page of a function.
    public struct Page: Codable, Equatable, Sendable {
        public var function: String
        public var page: Int
        public var summaries: [DeploymentSummary]
    }

    static func headKey(_ function: String) -> String { "index/\(function)/head.json" }
    static func pageKey(_ function: String, _ page: Int) -> String { "index/\(function)/page-\(String(format: "%06d", page)).json" }

    /// Puts `summary` in its function's index, replacing the deployment's earlier summary.
    /// - Throws: `ObjectStoreError`; `ShiftCoreError.invalidValue` naming a damaged index object.
    public func record(_ summary: DeploymentSummary) async throws {
        let function = summary.functionName
        for _ in 0..<attempts {
            let read = try await readHead(function)
            var head = read?.head ?? Head(function: function, pages: 0, summaries: [])
            if let index = head.summaries.firstIndex(where: { $0.deploymentId == summary.deploymentId }) {
                guard head.summaries[index] != summary else { return }
                head.summaries[index] = summary
            } else if let oldest = head.summaries.last, head.pages > 0, DeploymentSummary.newestFirst(oldest, summary) {
                // Older than everything in the head: it was spilled to a page.
                if try await recordInPages(summary, pages: head.pages) { return }
                head.summaries.append(summary)
            } else {
                head.summaries.append(summary)
            }
            head.summaries.sort(by: DeploymentSummary.newestFirst)
            if head.summaries.count > headCapacity {
                let spilled = Array(head.summaries.suffix(pageSize))
                head.summaries.removeLast(spilled.count)
                head.pages += 1
                try await store.put(Self.pageKey(function, head.pages), data: try SharedStateJSON.encode(Page(function: function, page: head.pages, summaries: spilled)), condition: .always)
            }
            do {
                try await store.put(Self.headKey(function), data: try SharedStateJSON.encode(head), condition: read.map { .matches(etag: $0.etag) } ?? .absent)
                return
            } catch ObjectStoreError.conditionFailed {
                await Task.yield() // Let the writer that won finish before reading again.
                continue
            }
        }
        throw ObjectStoreError.unavailable(location: store.location, detail: "\(Self.headKey(function)) kept changing under \(attempts) attempts to update it")
    }

    /// The newest `limit` summaries of `function` (all when nil), newest first, and how many the function has in
    /// all (pages are always full): one read for up to the head's size, one more per page after that.
    /// - Throws: `ObjectStoreError`; `ShiftCoreError.invalidValue` naming a damaged index object.
    public func summaries(of function: String, limit: Int?) async throws -> (summaries: [DeploymentSummary], total: Int) {
        guard let head = try await readHead(function)?.head else { return ([], 0) }
        var result = head.summaries
        var page = head.pages
        while page > 0, limit.map({ result.count < $0 }) ?? true {
            if let read = try await readPage(function, page) { result += read.page.summaries }
            page -= 1
        }
        return (limit.map { Array(result.prefix($0)) } ?? result, head.summaries.count + head.pages * pageSize)
    }

    /// Every function with an index, by name: one listing request per 1,000 functions.
    /// - Throws: `ObjectStoreError`.
    public func functions() async throws -> [String] {
        var names: [String] = []
        var after: String?
        repeat {
            let listing = try await store.list(prefix: "index/", after: after, limit: 1000)
            names += listing.keys.filter { $0.hasSuffix("/head.json") }.map { String($0.dropFirst("index/".count).dropLast("/head.json".count)) }
            after = listing.next
        } while after != nil
        return names
    }

    private func recordInPages(_ summary: DeploymentSummary, pages: Int) async throws -> Bool {
        for number in stride(from: pages, through: 1, by: -1) {
            for _ in 0..<attempts {
                guard let read = try await readPage(summary.functionName, number),
                      let index = read.page.summaries.firstIndex(where: { $0.deploymentId == summary.deploymentId }) else { break }
                var page = read.page
                page.summaries[index] = summary
                do {
                    try await store.put(Self.pageKey(summary.functionName, number), data: try SharedStateJSON.encode(page), condition: .matches(etag: read.etag))
                    return true
                } catch ObjectStoreError.conditionFailed {
                    continue
                }
            }
        }
        return false
    }

    private func readHead(_ function: String) async throws -> (head: Head, etag: String)? {
        let key = Self.headKey(function)
        guard let object = try await store.get(key) else { return nil }
        return (try SharedStateJSON.decode(Head.self, from: object.data, key: key, store: store, expected: "a shift deployment index head"), object.etag)
    }

    private func readPage(_ function: String, _ number: Int) async throws -> (page: Page, etag: String)? {
        let key = Self.pageKey(function, number)
        guard let object = try await store.get(key) else { return nil }
        return (try SharedStateJSON.decode(Page.self, from: object.data, key: key, store: store, expected: "a shift deployment index page"), object.etag)
    }
}

import Foundation

/// The object that makes a prefix shift's: `shift-state.json` at the top of an account's shared state, written
/// once (create-only) when the account is given the location.
///
/// Claiming a prefix refuses one that holds other things (another tool's state, someone's files) and one marked
/// by a newer format, so shift never writes among objects it does not own.
public struct SharedStateMarker: Codable, Equatable, Sendable {
    /// Always `shift-state`.
    public var format: String
    /// The key layout's version: 1.
    public var version: Int
    public var createdAt: Date
    /// Who claimed the prefix (host, or an identity).
    public var createdBy: String

    /// The marker's key.
    public static let key = "shift-state.json"
    /// The layout this build reads and writes.
    public static let currentVersion = 1

    /// Makes `store`'s location shift's, or checks that it already is.
    /// - Throws: `ShiftCoreError.invalidValue` naming the object at fault when the prefix holds something that is
    ///   not shift state, or state of a newer layout; `ObjectStoreError` (missing bucket, denied, unreachable).
    public static func claim(_ store: any ObjectStore, by claimant: String, at now: Date) async throws {
        if let existing = try await store.get(key) {
            try check(existing.data, store: store)
            return
        }
        let listing = try await store.list(prefix: "", after: nil, limit: 1)
        if let foreign = listing.keys.first {
            throw ShiftCoreError.invalidValue(
                field: "\(store.location)/\(foreign)", value: "an object shift did not write",
                expected: "an empty prefix or one shift already uses; choose another prefix for shift's state")
        }
        let marker = SharedStateMarker(format: "shift-state", version: currentVersion, createdAt: now, createdBy: claimant)
        do {
            try await store.put(key, data: try SharedStateJSON.encode(marker), condition: .absent)
        } catch ObjectStoreError.conditionFailed {
            // Another machine claimed it at the same moment: fine if that is shift's marker too.
            guard let existing = try await store.get(key) else { throw ObjectStoreError.conditionFailed(location: store.location, key: key) }
            try check(existing.data, store: store)
        }
    }

    private static func check(_ data: Data, store: any ObjectStore) throws {
        let expected = "shift's state marker ({\"format\": \"shift-state\", ...}); choose another prefix for shift's state"
        let marker = try SharedStateJSON.decode(SharedStateMarker.self, from: data, key: key, store: store, expected: expected)
        guard marker.format == "shift-state" else {
            throw ShiftCoreError.invalidValue(
                field: "\(store.location)/\(key)", value: String(decoding: data.prefix(40), as: UTF8.self),
                expected: expected)
        }
        guard marker.version <= currentVersion else {
            throw ShiftCoreError.invalidValue(
                field: "\(store.location)/\(key)", value: "version \(marker.version)",
                expected: "version \(currentVersion) or older; upgrade shift to use this state")
        }
    }
}

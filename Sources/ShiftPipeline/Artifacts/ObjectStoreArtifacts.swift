import Foundation
import ShiftCore
import ShiftStorage

/// A run's artifacts on a shared ``ObjectStore``, content-addressed: `pipelines/artifacts/sha256/<hex>.json`, the
/// hex of the tree hash the run recorded. The build stage uploads what it collected; a deploy stage on a machine
/// without the local copy (a run resumed elsewhere, or a deleted cache) downloads it, unpacks it beside the run and
/// checks its hash against the record before anything is deployed, so the bytes built on one runner are the bytes
/// another deploys.
public struct ObjectStoreArtifacts: Sendable {
    public let store: any ObjectStore

    public init(store: any ObjectStore) {
        self.store = store
    }

    /// The key of an artifact whose tree hash (base64 SHA-256) is `sha256`.
    public static func key(sha256: String) -> String {
        let hex = Data(base64Encoded: sha256).map { $0.map { String(format: "%02x", $0) }.joined() } ?? sha256.replacingOccurrences(of: "/", with: "_")
        return "pipelines/artifacts/sha256/\(hex).json"
    }

    /// Uploads the artifact collected at `directory`. An object already there has the same content (its key is
    /// its hash), so it is kept.
    /// - Throws: `ObjectStoreError`; `StorageError` when the directory cannot be read.
    public func upload(_ artifact: ArtifactRecord, from directory: URL) async throws {
        let data = try JSONFile.encoder().encode(try ArtifactArchive.pack(directory))
        do {
            try await store.put(Self.key(sha256: artifact.sha256), data: data, condition: .absent)
        } catch ObjectStoreError.conditionFailed {
            // Content-addressed: the same hash, the same tree (a damaged object is caught by the hash at download).
        }
    }

    /// Downloads the artifact into `destination` (which must not exist), and checks that its tree hashes as the run
    /// recorded; a tree that does not is removed, and nothing lands at `destination`.
    /// - Throws: `PipelineError.artifactMismatch` (the object is not what was built); `PipelineError.corruptRun`
    ///   when it is missing or not an artifact; `ObjectStoreError` when the store cannot be read.
    public func download(_ artifact: ArtifactRecord, to destination: URL, files: any FileTree) async throws {
        let key = Self.key(sha256: artifact.sha256), location = "\(store.location)/\(key)"
        guard let object = try await store.get(key) else {
            throw PipelineError.corruptRun(file: location, detail: "artifact \(artifact.name) is missing from the shared store")
        }
        let archive: ArtifactArchive
        do {
            archive = try JSONFile.decoder().decode(ArtifactArchive.self, from: object.data)
        } catch {
            throw PipelineError.corruptRun(file: location, detail: "not a shift artifact: \(error)")
        }
        let staging = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).download")
        defer { try? FileManager.default.removeItem(at: staging) }
        do {
            try archive.unpack(into: staging, source: location)
        } catch let StorageError.corruptState(file, detail) {
            throw PipelineError.corruptRun(file: file, detail: detail)
        }
        let hash = try files.hash(of: staging)
        guard hash == artifact.sha256 else {
            throw PipelineError.artifactMismatch(name: artifact.name, location: location, expected: artifact.sha256, actual: hash)
        }
        // Two functions of one stage may fetch the same artifact at once: whoever renames first wins, both checked.
        if rename(staging.path, destination.path) != 0, !FileManager.default.fileExists(atPath: destination.path) {
            throw StorageError.io(path: destination.path, operation: "move downloaded artifact into", detail: StorageError.errnoDescription())
        }
        AtomicFile.syncDirectory(destination.deletingLastPathComponent())
    }
}

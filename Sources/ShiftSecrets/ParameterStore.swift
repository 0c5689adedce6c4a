import Crypto
import Foundation
import ShiftCore
import ShiftStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One account's parameters, kept as SSM Parameter Store keeps them: versions, labels, types.
///
/// ```
/// <state>/accounts/<account>/parameters/        (mode 0700)
///   .keyring.json      the data key, wrapped under the master key (AES-256-GCM), plus KDF parameters
///   .lock              flock held for every read-modify-write
///   %2Forders%2Fprod%2Fdb-password.json          one file per parameter, every version (mode 0600)
/// ```
/// Envelope encryption: each SecureString version is sealed with AES-256-GCM under the account's
/// random data key, with the name and version as associated data; rotating the master key
/// re-wraps only the data key. Readers take no lock: every write is an atomic rename.
public struct ParameterStore: Sendable {
    /// The longest value accepted, in UTF-8 bytes (SSM's advanced tier).
    public static let maximumValueBytes = 8192
    /// The longest description accepted (SSM's limit).
    public static let maximumDescriptionLength = 1024
    /// What a SecureString shows when not decrypted.
    public static let maskedValue = SecretMasker.mask

    public let directory: StateDirectory
    public let masterKey: MasterKey
    let clock: any Clock

    /// A store for `directory`'s account; nothing is read or created until an operation needs it.
    public init(directory: StateDirectory, masterKey: MasterKey, clock: any Clock) {
        self.directory = directory
        self.masterKey = masterKey
        self.clock = clock
    }

    /// `<state>/accounts/<account>/parameters`.
    public var parametersDirectory: URL { directory.accountDirectory.appendingPathComponent("parameters") }
    /// The wrapped data key and its KDF parameters.
    public var keyringFile: URL { parametersDirectory.appendingPathComponent(".keyring.json") }
    var lockFile: URL { parametersDirectory.appendingPathComponent(".lock") }

    /// The file holding every version of `name`.
    ///
    /// The name with `/` (and a leading `.`) percent-encoded, so the file is readable and never hidden;
    /// a name too long for one file name is stored under its SHA-256 instead.
    public func file(for name: ParameterName) -> URL {
        var encoded = name.rawValue.replacingOccurrences(of: "/", with: "%2F")
        if encoded.hasPrefix(".") { encoded = "%2E" + encoded.dropFirst() }
        if encoded.utf8.count > 200 {
            encoded = "~" + SHA256.hash(data: Data(name.rawValue.utf8)).map { String(format: "%02x", $0) }.joined()
        }
        return parametersDirectory.appendingPathComponent(encoded + ".json")
    }

    // MARK: - Operations

    /// Stores `value` as a new version of `name` and returns its version number.
    ///
    /// Versions start at 1 and increase by one; the read-modify-write runs under the store's flock,
    /// so concurrent writers from any process never lose a version.
    /// - Throws: `ShiftCoreError.alreadyExists` when `name` exists and `overwrite` is false;
    ///   `ShiftCoreError.invalidValue` for an empty or oversized value or description;
    ///   `SecretsError` when the keyring cannot be opened; `StorageError` for I/O.
    @discardableResult
    public func put(_ name: ParameterName, value: String, type: ParameterType = .string, description: String? = nil, overwrite: Bool = false) throws -> Int {
        let size = value.utf8.count
        guard size > 0, size <= Self.maximumValueBytes else {
            // The size, never the value: it may be a secret.
            throw ShiftCoreError.invalidValue(field: "value", value: "\(size) bytes", expected: "1 to \(Self.maximumValueBytes) bytes")
        }
        if let description, description.count > Self.maximumDescriptionLength {
            throw ShiftCoreError.invalidValue(field: "description", value: "\(description.count) characters", expected: "at most \(Self.maximumDescriptionLength) characters")
        }
        return try withStoreLock {
            let url = file(for: name)
            var stored = try read(name) ?? StoredParameter(name: name, versions: [])
            if !stored.versions.isEmpty, !overwrite {
                throw ShiftCoreError.alreadyExists(kind: "parameter", name: name.rawValue, hint: "pass --overwrite to store a new version")
            }
            let number = (stored.latest?.version ?? 0) + 1
            var version = StoredVersion(version: number, type: type, value: nil, sealedValue: nil, description: description, labels: [], lastModifiedDate: clock.now)
            if type == .secureString {
                let dataKey = try loadOrCreateDataKey()
                version.sealedValue = try seal(value, name: name, version: number, dataKey: dataKey)
            } else {
                version.value = value
            }
            stored.versions.append(version)
            try JSONFile.write(stored, to: url, mode: 0o600)
            return number
        }
    }

    /// Reads the latest version of `name`, or the version given by number or label.
    /// - Throws: `ShiftCoreError.notFound` for a missing name, version or label; `ShiftCoreError.invalidValue`
    ///   when both a version and a label are given; `SecretsError` when a SecureString cannot be decrypted.
    public func get(_ name: ParameterName, version: Int? = nil, label: ParameterLabel? = nil, decrypt: Bool = false) throws -> Parameter {
        let selector: ParameterSelector?
        switch (version, label) {
        case (nil, nil): selector = nil
        case let (number?, nil): selector = .version(number)
        case let (nil, label?): selector = .label(label)
        case (.some, .some):
            throw ShiftCoreError.invalidValue(field: "selector", value: "a version and a label", expected: "either a version or a label, not both")
        }
        return try get(name, selector: selector, decrypt: decrypt)
    }

    /// Reads the version of `name` that `selector` picks (the latest when nil).
    /// - Throws: as `get(_:version:label:decrypt:)`.
    public func get(_ name: ParameterName, selector: ParameterSelector?, decrypt: Bool = false) throws -> Parameter {
        let stored = try require(name)
        let chosen: StoredVersion
        switch selector {
        case nil:
            chosen = stored.latest!
        case let .version(number)?:
            guard let found = stored.versions.first(where: { $0.version == number }) else {
                throw ShiftCoreError.notFound(kind: "version", name: "\(name):\(number)", hint: "see `shift param history \(name)` for the versions that exist")
            }
            chosen = found
        case let .label(label)?:
            guard let found = stored.versions.first(where: { $0.labels.contains(label) }) else {
                throw ShiftCoreError.notFound(kind: "label", name: "\(name):\(label)", hint: "attach it with `shift param label \(name) --version N \(label)`")
            }
            chosen = found
        }
        return Parameter(
            name: name, type: chosen.type, value: try value(of: chosen, in: stored, decrypt: decrypt),
            version: chosen.version, lastModifiedDate: chosen.lastModifiedDate, selector: selector?.text, arn: name.localARN, labels: chosen.labels
        )
    }

    /// The latest version of each parameter, sorted by name: all of them when `path` is nil, else those under
    /// `path` (one level down, or any depth when `recursive`), as SSM's GetParametersByPath selects them.
    /// - Parameter skippingUnreadable: when given, a file that cannot be read is reported to it and left out, so that
    ///   one damaged parameter does not hide the others; when nil, its error is thrown.
    /// - Throws: `ShiftCoreError.invalidValue` for a path not starting with `/`; a corrupt file's error.
    public func list(path: String? = nil, recursive: Bool = false, skippingUnreadable: ((Error) -> Void)? = nil) throws -> [ParameterMetadata] {
        if let path { try ParameterName.validate(path: path) }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: parametersDirectory.path)) ?? []
        var result: [ParameterMetadata] = []
        for fileName in names where fileName.hasSuffix(".json") && !fileName.hasPrefix(".") {
            let url = parametersDirectory.appendingPathComponent(fileName)
            let read: StoredParameter?
            do {
                read = try JSONFile.readIfPresent(StoredParameter.self, from: url)
            } catch {
                guard let skippingUnreadable else { throw error }
                skippingUnreadable(error)
                continue
            }
            guard let stored = read, let latest = stored.latest else { continue }
            if let path, !stored.name.isUnder(path: path, recursive: recursive) { continue }
            result.append(ParameterMetadata(name: stored.name, type: latest.type, version: latest.version, description: latest.description, lastModifiedDate: latest.lastModifiedDate, arn: stored.name.localARN))
        }
        return result.sorted { $0.name < $1.name }
    }

    /// Every version of `name`, oldest first.
    /// - Throws: `ShiftCoreError.notFound`; `SecretsError` when `decrypt` and a version cannot be decrypted.
    public func history(_ name: ParameterName, decrypt: Bool = false) throws -> [ParameterHistoryEntry] {
        let stored = try require(name)
        return try stored.versions.map { version in
            ParameterHistoryEntry(
                name: name, type: version.type, value: try value(of: version, in: stored, decrypt: decrypt),
                version: version.version, description: version.description, lastModifiedDate: version.lastModifiedDate, labels: version.labels
            )
        }
    }

    /// Deletes `name` and every version of it.
    /// - Throws: `ShiftCoreError.notFound`; `StorageError.io`.
    public func delete(_ name: ParameterName) throws {
        try withStoreLock {
            _ = try require(name)
            let url = file(for: name)
            guard unlink(url.path) == 0 else {
                throw StorageError.io(path: url.path, operation: "delete", detail: String(cString: strerror(errno)))
            }
            AtomicFile.syncDirectory(parametersDirectory)
        }
    }

    /// Attaches `label` to `version` of `name`, moving it from any other version (a label names one version).
    /// - Throws: `ShiftCoreError.notFound` for a missing name or version; `ShiftCoreError.refused` when the
    ///   version already has 10 labels (SSM's limit).
    public func label(_ name: ParameterName, version: Int, label: ParameterLabel) throws {
        try withStoreLock {
            var stored = try require(name)
            guard let index = stored.versions.firstIndex(where: { $0.version == version }) else {
                throw ShiftCoreError.notFound(kind: "version", name: "\(name):\(version)", hint: "see `shift param history \(name)` for the versions that exist")
            }
            if stored.versions[index].labels.contains(label) { return }
            guard stored.versions[index].labels.count < 10 else {
                throw ShiftCoreError.refused(reason: "version \(version) of '\(name)' already has 10 labels (SSM's limit); move one to another version first")
            }
            for other in stored.versions.indices { stored.versions[other].labels.removeAll { $0 == label } }
            stored.versions[index].labels.append(label)
            stored.versions[index].labels.sort()
            try JSONFile.write(stored, to: file(for: name), mode: 0o600)
        }
    }

    /// Re-wraps the data key under `newKey` and returns a store that uses it.
    ///
    /// Values are not touched: they stay sealed under the same data key. Afterwards the old master
    /// key no longer opens the keyring. A passphrase gets a fresh salt. A keyring that `newKey` already
    /// opens (re-wrapped by an interrupted rotation) is left as it is, so running it again is harmless.
    /// - Throws: `SecretsError.wrongMasterKey` when neither key opens the keyring; I/O errors.
    public func rotateMasterKey(to newKey: MasterKey) throws -> ParameterStore {
        let rotated = ParameterStore(directory: directory, masterKey: newKey, clock: clock)
        return try withStoreLock {
            if let keyring = try readKeyring(), (try? rotated.unwrap(keyring)) == nil {
                let dataKey = try unwrap(keyring)
                var rewrapped = try wrap(dataKey, with: newKey, createdDate: keyring.createdDate)
                rewrapped.rotatedDate = clock.now
                try JSONFile.write(rewrapped, to: keyringFile, mode: 0o600)
            }
            return rotated
        }
    }

    // MARK: - Files

    /// Runs `body` holding the store's flock, creating the directory (0700) and lock file (0600) if needed.
    func withStoreLock<T>(_ body: () throws -> T) throws -> T {
        try createParametersDirectory()
        let descriptor = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
        return try FileLock.withLock(at: lockFile, body)
    }

    private func createParametersDirectory() throws {
        let path = parametersDirectory.path
        guard !FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.createDirectory(at: parametersDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StorageError.io(path: path, operation: "create directory", detail: error.localizedDescription)
        }
        chmod(path, 0o700)
    }

    /// The stored parameter, or nil when it has no file.
    /// - Throws: `StorageError.corruptState` naming the file when it does not decode;
    ///   `SecretsError.corruptFile` when it holds another name or no version.
    func read(_ name: ParameterName) throws -> StoredParameter? {
        let url = file(for: name)
        guard let stored = try JSONFile.readIfPresent(StoredParameter.self, from: url) else { return nil }
        guard stored.name == name else {
            throw SecretsError.corruptFile(file: url.path, detail: "holds parameter '\(stored.name)', not '\(name)'")
        }
        let numbers = stored.versions.map(\.version)
        guard !numbers.isEmpty, numbers == numbers.sorted(), Set(numbers).count == numbers.count else {
            throw SecretsError.corruptFile(file: url.path, detail: "versions of '\(name)' are missing or out of order")
        }
        return stored
    }

    private func require(_ name: ParameterName) throws -> StoredParameter {
        guard let stored = try read(name) else {
            throw ShiftCoreError.notFound(kind: "parameter", name: name.rawValue, hint: "create it with `shift param put \(name) VALUE`, or see `shift param list`")
        }
        return stored
    }

    private func value(of version: StoredVersion, in stored: StoredParameter, decrypt: Bool) throws -> String {
        guard version.type == .secureString else {
            guard let value = version.value else {
                throw SecretsError.corruptFile(file: file(for: stored.name).path, detail: "version \(version.version) of '\(stored.name)' has no value")
            }
            return value
        }
        guard decrypt else { return Self.maskedValue }
        return try unseal(version, of: stored.name)
    }
}

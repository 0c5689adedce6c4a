import Crypto
import ShiftStorage
import _CryptoExtras
import Foundation
import ShiftCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The key that wraps each account's data key: 256 random bits, or a passphrase run through PBKDF2-SHA256.
///
/// It comes from `SHIFT_MASTER_KEY` (base64 of 32 bytes), from a key file (base64, mode 0600,
/// refused when group or others can read it, as ssh refuses such keys), or from a passphrase.
/// A passphrase needs the salt stored in the keyring, so it becomes a `SymmetricKey` only there.
public struct MasterKey: Sendable {
    /// The environment variable holding a base64 master key.
    public static let environmentVariable = "SHIFT_MASTER_KEY"

    enum Material: Sendable {
        // Raw bytes rather than SymmetricKey, which is not Sendable.
        case key(Data)
        case passphrase(Data)
    }

    let material: Material
    /// Where the key came from, for messages: `SHIFT_MASTER_KEY`, `key file PATH` or `passphrase`. Never the key.
    public let source: String
    /// What to say when this key does not open a keyring because a rotation is unfinished, e.g. "an unfinished
    /// key rotation left the new key in /k.key.new: run `shift key rotate` to finish it"; nil when none may be.
    public internal(set) var unfinishedRotation: String?
    private let derivedKeys = DerivedKeyCache()

    init(material: Material, source: String) {
        self.material = material
        self.source = source
    }

    /// A new random 256-bit key (held in memory only).
    public static func generate() -> MasterKey {
        MasterKey(material: .key(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }), source: "a generated key")
    }

    /// Decodes a base64 key of exactly 32 bytes.
    /// - Throws: `SecretsError.invalidMasterKey` naming `source` (never the text).
    public init(base64 text: String, source: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = Data(base64Encoded: trimmed) else {
            throw SecretsError.invalidMasterKey(source: source, detail: "not base64; create one with `shift key init` or `head -c 32 /dev/urandom | base64`")
        }
        guard bytes.count == 32 else {
            throw SecretsError.invalidMasterKey(source: source, detail: "decodes to \(bytes.count) bytes; expected 32 (256 bits)")
        }
        self.init(material: .key(bytes), source: source)
    }

    /// The key in `SHIFT_MASTER_KEY`, or nil when the variable is unset or empty.
    /// - Throws: `SecretsError.invalidMasterKey` when it is set but not base64 of 32 bytes.
    public static func fromEnvironment(_ environment: [String: String]) throws -> MasterKey? {
        guard let text = environment[environmentVariable], !text.isEmpty else { return nil }
        return try MasterKey(base64: text, source: environmentVariable)
    }

    /// A key derived from `passphrase` with PBKDF2-SHA256 and the salt stored in the keyring.
    /// - Throws: `SecretsError.invalidMasterKey` for an empty passphrase.
    public static func passphrase(_ passphrase: String) throws -> MasterKey {
        guard !passphrase.isEmpty else {
            throw SecretsError.invalidMasterKey(source: "passphrase", detail: "the passphrase is empty; give a long one")
        }
        return MasterKey(material: .passphrase(Data(passphrase.utf8)), source: "passphrase")
    }

    /// Whether this key is a passphrase (and so needs stored KDF parameters).
    public var isPassphrase: Bool {
        if case .passphrase = material { return true }
        return false
    }

    /// Creates a key file with a new random key: mode 0600, in a directory created 0700 if missing.
    ///
    /// The key is written to a temporary file, fsynced, then linked into place (which, unlike a rename,
    /// never replaces an existing file) and the directory fsynced: the file at `url` is complete and
    /// durable as soon as it exists, so a crash never leaves a half key that something was sealed under.
    /// - Throws: `SecretsError.keyFileExists` when `url` exists (never overwritten); `StorageError.io`.
    public static func createKeyFile(at url: URL) throws -> MasterKey {
        let directory = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: directory.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            chmod(directory.path, 0o700)
        }
        if FileManager.default.fileExists(atPath: url.path) { throw SecretsError.keyFileExists(path: url.path) }
        let key = SymmetricKey(size: .bits256)
        let text = key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        let temporary = temporaryURL(for: url)
        unlink(temporary.path)  // left by a killed process that had this process id
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw StorageError.io(path: temporary.path, operation: "create key file", detail: String(cString: strerror(errno)))
        }
        defer { unlink(temporary.path) }
        // The umask may only remove bits; set 0600 explicitly anyway so the mode never depends on it.
        fchmod(descriptor, 0o600)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress!, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let detail = String(cString: strerror(errno))
            close(descriptor)
            throw StorageError.io(path: temporary.path, operation: "write key file", detail: detail)
        }
        close(descriptor)
        guard link(temporary.path, url.path) == 0 else {
            if errno == EEXIST { throw SecretsError.keyFileExists(path: url.path) }
            throw StorageError.io(path: url.path, operation: "create key file", detail: String(cString: strerror(errno)))
        }
        AtomicFile.syncDirectory(directory)
        return MasterKey(material: .key(key.withUnsafeBytes { Data($0) }), source: "key file \(url.path)")
    }

    /// Where `createKeyFile(at: url)` writes before linking: hidden, beside `url`, unique to this process.
    static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
    }

    /// Removes what a killed `createKeyFile(at: url)` left: its temporary files, which were never linked into place.
    static func removeTemporaryFiles(for url: URL) {
        let directory = url.deletingLastPathComponent()
        let prefix = ".\(url.lastPathComponent)."
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        where name.hasPrefix(prefix) && name.hasSuffix(".tmp") && Int(name.dropFirst(prefix.count).dropLast(4)) != nil {
            unlink(directory.appendingPathComponent(name).path)
        }
    }

    /// Loads a key file written by `createKeyFile(at:)`.
    /// - Throws: `SecretsError.insecureKeyFile` when group or others have any access (fix: `chmod 600 PATH`);
    ///   `SecretsError.invalidMasterKey` for content that is not a key; `StorageError.io` when unreadable.
    public static func loadKeyFile(at url: URL) throws -> MasterKey {
        let descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let detail = String(cString: strerror(errno))
            throw StorageError.io(path: url.path, operation: "open key file", detail: "\(detail); create one with `shift key init`")
        }
        defer { close(descriptor) }
        // Check the opened file, not the path, so a swap between check and read cannot slip through.
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw StorageError.io(path: url.path, operation: "stat key file", detail: String(cString: strerror(errno)))
        }
        let mode = status.st_mode & 0o777
        guard mode & 0o077 == 0 else {
            throw SecretsError.insecureKeyFile(path: url.path, mode: String(format: "0%o", mode))
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else {
                throw StorageError.io(path: url.path, operation: "read key file", detail: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
            guard data.count <= 4096 else { break }
        }
        let source = "key file \(url.path)"
        guard let text = String(data: data, encoding: .utf8) else {
            throw SecretsError.invalidMasterKey(source: source, detail: "not text; expected base64 of 32 bytes")
        }
        return try MasterKey(base64: text, source: source)
    }

    /// The 256-bit key that wraps the data key, derived through `parameters` for a passphrase.
    /// - Throws: `SecretsError.masterKeyKindMismatch` when a passphrase meets a keyring without KDF
    ///   parameters or a key meets one with them; `SecretsError.corruptFile` for unacceptable parameters.
    func wrappingKey(for parameters: KeyDerivationParameters?, keyring: String) throws -> SymmetricKey {
        switch (material, parameters) {
        case let (.key(key), nil):
            return SymmetricKey(data: key)
        case (.key, .some):
            throw SecretsError.masterKeyKindMismatch(keyring: keyring, expected: "a passphrase (its KDF parameters are stored there)", unfinishedRotation: unfinishedRotation)
        case (.passphrase, nil):
            throw SecretsError.masterKeyKindMismatch(keyring: keyring, expected: "a master key (SHIFT_MASTER_KEY or a key file), not a passphrase", unfinishedRotation: unfinishedRotation)
        case let (.passphrase(passphrase), .some(parameters)):
            guard parameters.algorithm == KeyDerivationParameters.pbkdf2SHA256 else {
                throw SecretsError.corruptFile(file: keyring, detail: "unknown KDF '\(parameters.algorithm)'")
            }
            guard parameters.iterations >= KeyDerivationParameters.minimumIterations, parameters.salt.count >= 16 else {
                throw SecretsError.corruptFile(file: keyring, detail: "KDF parameters weaker than \(KeyDerivationParameters.minimumIterations) iterations and a 16-byte salt")
            }
            let bytes = try derivedKeys.key(for: parameters) {
                try KDF.Insecure.PBKDF2.deriveKey(
                    from: passphrase, salt: parameters.salt, using: .sha256,
                    outputByteCount: 32, rounds: parameters.iterations
                ).withUnsafeBytes { Data($0) }
            }
            return SymmetricKey(data: bytes)
        }
    }
}

/// Remembers keys derived from one passphrase, so a process that reads many parameters runs PBKDF2 once per salt.
final class DerivedKeyCache: @unchecked Sendable {
    // Guarded by `lock`; @unchecked because NSLock serialises every access.
    private let lock = NSLock()
    private var keys: [KeyDerivationParameters: Data] = [:]

    func key(for parameters: KeyDerivationParameters, derive: () throws -> Data) throws -> Data {
        if let key = lock.withLock({ keys[parameters] }) { return key }
        let key = try derive()
        lock.withLock { keys[parameters] = key }
        return key
    }
}

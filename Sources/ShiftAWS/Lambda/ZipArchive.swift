import Foundation

/// Builds the zip archive Lambda takes as code, from a directory.
///
/// Entries are stored (method 0, no compression), sorted by path, with a fixed timestamp and each file's Unix
/// mode, so that the same directory always makes the same bytes: unchanged code keeps its `CodeSha256`, and
/// publishing it again makes no new version. Limits: a classic (non-Zip64) archive, so at most 65,535 entries
/// and 4 GiB; Lambda's own limit (50 MB zipped for a direct upload) is far below.
public enum ZipArchive {
    /// A zip of every regular file below `directory`, paths relative to it; symbolic links are followed.
    /// - Throws: `AWSPlatformError.unreadableCode` when the directory or a file cannot be read.
    public static func archive(directory: URL) throws -> Data {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey], options: []) else {
            throw AWSPlatformError.unreadableCode(path: directory.path, detail: "not a readable directory")
        }
        var files: [(path: String, url: URL)] = []
        for case let url as URL in enumerator {
            let resolved = url.resolvingSymlinksInPath()
            guard (try? resolved.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = url.standardizedFileURL.path.dropFirst(root.path.count).drop { $0 == "/" }
            files.append((String(relative), resolved))
        }
        files.sort { $0.path < $1.path }
        var entries: [Entry] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file.url.path) else {
                throw AWSPlatformError.unreadableCode(path: file.url.path, detail: "cannot read the file")
            }
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.url.path)
            let mode = (attributes?[.posixPermissions] as? NSNumber)?.uint32Value ?? 0o644
            entries.append(Entry(path: file.path, data: data, mode: mode))
        }
        return archive(entries)
    }

    /// One file in an archive.
    public struct Entry: Sendable {
        public var path: String
        public var data: Data
        public var mode: UInt32

        public init(path: String, data: Data, mode: UInt32 = 0o644) {
            self.path = path
            self.data = data
            self.mode = mode
        }
    }

    /// A stored zip of `entries`, in the order given (APPNOTE 6.3: local headers, central directory, end record).
    public static func archive(_ entries: [Entry]) -> Data {
        var output = Data()
        var central = Data()
        for entry in entries {
            let name = Data(entry.path.utf8)
            let crc = crc32(entry.data)
            let size = UInt32(truncatingIfNeeded: entry.data.count)
            let offset = UInt32(truncatingIfNeeded: output.count)
            // Local file header.
            output.append(le32(0x0403_4b50))
            output.append(le16(20)); output.append(le16(0x0800)); output.append(le16(0))  // version, UTF-8 names, stored
            output.append(le16(0)); output.append(le16(0x21))  // 00:00:00, 1980-01-01
            output.append(le32(crc)); output.append(le32(size)); output.append(le32(size))
            output.append(le16(UInt16(name.count))); output.append(le16(0))
            output.append(name)
            output.append(entry.data)
            // Central directory header: made by Unix (3), so the external attributes carry the mode.
            central.append(le32(0x0201_4b50))
            central.append(le16(0x0314)); central.append(le16(20)); central.append(le16(0x0800)); central.append(le16(0))
            central.append(le16(0)); central.append(le16(0x21))
            central.append(le32(crc)); central.append(le32(size)); central.append(le32(size))
            central.append(le16(UInt16(name.count))); central.append(le16(0)); central.append(le16(0))
            central.append(le16(0)); central.append(le16(0))
            central.append(le32((0o100000 | (entry.mode & 0o7777)) << 16))
            central.append(le32(offset))
            central.append(name)
        }
        let centralOffset = UInt32(truncatingIfNeeded: output.count)
        output.append(central)
        output.append(le32(0x0605_4b50))
        output.append(le16(0)); output.append(le16(0))
        output.append(le16(UInt16(entries.count))); output.append(le16(UInt16(entries.count)))
        output.append(le32(UInt32(central.count))); output.append(le32(centralOffset))
        output.append(le16(0))
        return output
    }

    /// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as zip entries carry it.
    public static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return crc ^ 0xFFFF_FFFF
    }

    private static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    private static func le16(_ value: UInt16) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
    private static func le32(_ value: UInt32) -> Data { withUnsafeBytes(of: value.littleEndian) { Data($0) } }
}

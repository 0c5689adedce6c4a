import Foundation

/// Replaces known secret values with `****` in any text shift prints or stores: logs, errors, JSON.
///
/// Longer secrets are masked first, so a secret that contains another is hidden whole; each line of
/// a multi-line secret is masked on its own too, since output is often split into lines.
public struct SecretMasker: Equatable, Sendable {
    /// What a secret becomes.
    public static let mask = "****"

    /// The values masked, longest first.
    public let secrets: [String]

    /// A masker for `secrets`; empty strings are ignored.
    public init<S: Sequence>(secrets: S) where S.Element == String {
        var pieces = Set<String>()
        for secret in secrets where !secret.isEmpty {
            pieces.insert(secret)
            if secret.contains(where: \.isNewline) {
                for line in secret.split(whereSeparator: \.isNewline) where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    pieces.insert(String(line))
                }
            }
        }
        self.secrets = pieces.sorted { $0.count != $1.count ? $0.count > $1.count : $0 < $1 }
    }

    /// A masker with nothing to mask.
    public init() { self.init(secrets: []) }

    /// This masker plus `more` secrets.
    public func adding<S: Sequence>(_ more: S) -> SecretMasker where S.Element == String {
        SecretMasker(secrets: secrets + Array(more))
    }

    /// `text` with every occurrence of every secret replaced by `****`.
    public func mask(_ text: String) -> String {
        secrets.reduce(text) { masked, secret in masked.replacingOccurrences(of: secret, with: Self.mask) }
    }

    // MARK: - Cuts

    /// How many bytes a cut must keep beyond its edge so that `maskHead` and `maskTail` can see a secret that
    /// straddles it: the longest secret's UTF-8 length less one (0 with nothing to mask).
    public var cutMargin: Int { max((secrets.map(\.utf8.count).max() ?? 0) - 1, 0) }

    /// The first `limit` bytes of `data`, masked: a secret that starts before the cut is masked whole rather than
    /// cut, which masking the kept bytes alone would miss (its head would go out). `data` should hold `cutMargin`
    /// bytes beyond `limit` when it has them. Bytes pass through unchanged when there is nothing to mask.
    public func maskHead(of data: Data, limit: Int) -> Data {
        guard !secrets.isEmpty else { return Data(data.prefix(limit)) }
        guard data.count > limit else { return Data(mask(String(decoding: data, as: UTF8.self)).utf8) }
        let bytes = [UInt8](data)
        var cut = limit
        // Moving the cut to the start of one secret may put it inside another (overlapping secrets): repeat.
        while let start = straddling(cut, in: bytes).map(\.lowerBound).min() { cut = start }
        let masked = mask(String(decoding: bytes[..<cut], as: UTF8.self)) + (cut < limit ? Self.mask : "")
        return Data(masked.utf8)
    }

    /// The last `limit` bytes of `data`, masked: a secret that ends after the cut is masked whole rather than cut,
    /// which masking the kept bytes alone would miss (its tail would go out). `data` should hold `cutMargin` bytes
    /// before the last `limit` when it has them. Bytes pass through unchanged when there is nothing to mask.
    public func maskTail(of data: Data, limit: Int) -> Data {
        guard !secrets.isEmpty else { return Data(data.suffix(limit)) }
        guard data.count > limit else { return Data(mask(String(decoding: data, as: UTF8.self)).utf8) }
        let bytes = [UInt8](data)
        let first = bytes.count - limit
        var cut = first
        while let end = straddling(cut, in: bytes).map(\.upperBound).max() { cut = end }
        let masked = (cut > first ? Self.mask : "") + mask(String(decoding: bytes[cut...], as: UTF8.self))
        return Data(masked.utf8)
    }

    /// The byte ranges of every occurrence of a secret in `bytes` that begins before `cut` and ends after it.
    private func straddling(_ cut: Int, in bytes: [UInt8]) -> [Range<Int>] {
        var found: [Range<Int>] = []
        for secret in secrets {
            let pattern = Array(secret.utf8)
            guard pattern.count > 1 else { continue }
            for start in max(0, cut - pattern.count + 1)..<cut where start + pattern.count <= bytes.count {
                if bytes[start..<start + pattern.count].elementsEqual(pattern) { found.append(start..<start + pattern.count) }
            }
        }
        return found
    }
}

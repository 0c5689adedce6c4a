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
}

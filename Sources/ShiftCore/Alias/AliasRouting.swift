/// Where an alias sends traffic: a primary version, optionally plus one additional version with a weight.
///
/// Lambda's rules: at most one additional version, different from the primary, weight in [0, 1].
public struct AliasRouting: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The second version and the share of traffic it receives.
    public struct AdditionalVersion: Codable, Equatable, Sendable {
        public var version: Int
        public var weight: Weight

        public init(version: Int, weight: Weight) {
            self.version = version
            self.weight = weight
        }
    }

    /// The version that receives what the additional version leaves.
    public let primaryVersion: Int
    public let additionalVersion: AdditionalVersion?

    /// - Throws: `ShiftCoreError.invalidValue` when a version is not positive or both versions are the same.
    public init(primaryVersion: Int, additionalVersion: AdditionalVersion? = nil) throws {
        guard primaryVersion >= 1 else {
            throw ShiftCoreError.invalidValue(field: "--version", value: String(primaryVersion), expected: "a published version number (1 or more)")
        }
        if let additional = additionalVersion {
            guard additional.version >= 1 else {
                throw ShiftCoreError.invalidValue(field: "--additional-version", value: String(additional.version), expected: "a published version number (1 or more)")
            }
            guard additional.version != primaryVersion else {
                throw ShiftCoreError.invalidValue(field: "--additional-version", value: String(additional.version), expected: "a version other than the primary version \(primaryVersion)")
            }
        }
        self.primaryVersion = primaryVersion
        self.additionalVersion = additionalVersion
    }

    /// All traffic to one version.
    public static func single(_ version: Int) -> AliasRouting {
        // A positive version with no additional version cannot fail validation.
        try! AliasRouting(primaryVersion: max(version, 1))
    }

    /// Every version this routing may send traffic to.
    public var versions: [Int] { [primaryVersion] + (additionalVersion.map { [$0.version] } ?? []) }

    /// Whether some traffic goes to a second version.
    public var hasAdditionalVersion: Bool { additionalVersion != nil }

    /// The share of traffic `version` receives.
    public func weight(of version: Int) -> Weight {
        if let additional = additionalVersion {
            if version == additional.version { return additional.weight }
            if version == primaryVersion { return additional.weight.complement }
        }
        return version == primaryVersion ? .full : .zero
    }

    /// Picks the version for one invocation: the additional version with probability `weight`.
    public func route(using generator: inout some RandomNumberGenerator) -> Int {
        guard let additional = additionalVersion, additional.weight.value > 0 else { return primaryVersion }
        // Lambda has no weight field for the primary; it gets what AdditionalVersionWeights leaves.
        return Double.random(in: 0..<1, using: &generator) < additional.weight.value ? additional.version : primaryVersion
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            primaryVersion: try container.decode(Int.self, forKey: .primaryVersion),
            additionalVersion: try container.decodeIfPresent(AdditionalVersion.self, forKey: .additionalVersion)
        )
    }

    /// "2" or "2 (90%) + 3 (10%)".
    public var description: String {
        guard let additional = additionalVersion else { return "\(primaryVersion)" }
        return "\(primaryVersion) (\(additional.weight.complement)) + \(additional.version) (\(additional.weight))"
    }
}

/// The two-sided Mann-Whitney U test (Wilcoxon rank-sum), as SciPy's
/// `mannwhitneyu(x, y, alternative='two-sided', method='auto')` computes it:
/// - U is x's statistic: the rank sum of x minus n(n+1)/2, with ties given their average rank.
/// - The exact distribution of U when there are no ties and a side has at most 8 samples;
///   otherwise the normal approximation with the tie correction and the continuity correction.
/// - p = 2 * P(U' >= max(U, n*m - U)), at most 1.
/// Ranking sorts the pooled samples once: O((n+m) log(n+m)).
public struct MannWhitneyTest: Equatable, Sendable {
    public enum Method: String, Equatable, Sendable {
        case exact, asymptotic
    }

    /// x's U statistic (its rank sum minus n(n+1)/2): n*m/2 when neither side tends to be larger.
    public var u: Double
    /// The two-sided p-value.
    public var p: Double
    public var method: Method
    /// Whether any value occurs more than once in the pooled samples.
    public var hasTies: Bool

    /// Tests `x` against `y`; nil when either is empty (SciPy returns NaN). Values must be finite.
    public init?(_ x: [Double], _ y: [Double]) {
        let n = x.count, m = y.count
        guard n > 0, m > 0 else { return nil }
        let ranking = PooledRanking(x, y)
        u = ranking.xRankSum - Double(n * (n + 1)) / 2
        hasTies = ranking.tieTerm > 0
        let larger = max(u, Double(n * m) - u)
        if !hasTies, min(n, m) <= 8 {
            method = .exact
            p = 2 * MannWhitneyExactDistribution(n: n, m: m).survival(larger)
        } else {
            method = .asymptotic
            let total = Double(n + m), nm = Double(n) * Double(m)
            let sigma = (nm / 12 * ((total + 1) - ranking.tieTerm / (total * (total - 1)))).squareRoot()
            // Subtracting 0.5 from the larger U is the continuity correction for the upper tail.
            let z = (larger - nm / 2 - 0.5) / sigma
            // All values equal: sigma is 0 and z is -infinity (or NaN when the numerator is 0 too): no evidence.
            p = z.isNaN ? 1 : 2 * NormalDistribution.cdf(-z)
        }
        p = min(max(p, 0), 1)
    }
}

/// The pooled samples' ranks, as the test needs them: x's rank sum and the tie term sum(t^3 - t).
struct PooledRanking {
    var xRankSum: Double = 0
    var tieTerm: Double = 0

    init(_ x: [Double], _ y: [Double]) {
        // (value, is from x), sorted by value: one O(N log N) sort.
        var pooled = x.map { ($0, true) } + y.map { ($0, false) }
        pooled.sort { $0.0 < $1.0 }
        var start = 0
        while start < pooled.count {
            var end = start + 1
            var fromX = pooled[start].1 ? 1 : 0
            while end < pooled.count, pooled[end].0 == pooled[start].0 {
                fromX += pooled[end].1 ? 1 : 0
                end += 1
            }
            // Ranks start + 1 ... end share their average.
            let averageRank = Double(start + 1 + end) / 2
            xRankSum += averageRank * Double(fromX)
            let t = Double(end - start)
            tieTerm += t * t * t - t
            start = end
        }
    }
}

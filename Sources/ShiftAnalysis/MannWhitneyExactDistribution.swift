/// The exact null distribution of the Mann-Whitney U statistic for samples of sizes n and m without ties.
///
/// The number of arrangements giving U = u is the coefficient of q^u in the Gaussian binomial coefficient
/// [n+m choose n]_q = prod_{i=1...s} (1 - q^(l+i)) / (1 - q^i), with s the smaller size and l the larger; it is
/// built one factor at a time (a multiplication and a division by a binomial, each one pass over the
/// coefficients): O(s * n * m) time, O(n * m) memory. SciPy uses it only when a side has at most 8 samples,
/// so it stays small.
struct MannWhitneyExactDistribution {
    let n: Int
    let m: Int
    /// P(U = u), u = 0...n*m.
    private let probabilities: [Double]

    init(n: Int, m: Int) {
        self.n = n
        self.m = m
        let small = min(n, m), large = max(n, m), size = n * m
        // Room for the product's top term before each division brings the degree back to i * large.
        var counts = [Double](repeating: 0, count: size + small + 1)
        counts[0] = 1
        for i in stride(from: 1, through: small, by: 1) {
            // Multiply by (1 - q^(large+i)), high coefficients first so each reads the previous polynomial.
            let power = large + i, top = (i - 1) * large + power
            for u in stride(from: top, through: power, by: -1) { counts[u] -= counts[u - power] }
            // Divide by (1 - q^i): the quotient's coefficients are running sums with stride i (exact: the
            // quotient is the next Gaussian binomial coefficient, of degree i * large).
            for u in stride(from: i, through: top, by: 1) { counts[u] += counts[u - i] }
        }
        counts.removeLast(counts.count - (size + 1))
        let total = counts.reduce(0, +)
        probabilities = counts.map { max($0, 0) / total }
    }

    /// P(U >= u).
    func survival(_ u: Double) -> Double {
        let start = max(0, Int(u.rounded(.up)))
        guard start <= n * m else { return 0 }
        // Sum the shorter tail, for accuracy.
        if start > n * m / 2 { return probabilities[start...].reduce(0, +) }
        return 1 - probabilities[..<start].reduce(0, +)
    }

    /// The smallest q with P(U <= q) >= p (R's `qwilcox`).
    func quantile(_ p: Double) -> Int {
        var cumulative = 0.0
        for (u, probability) in probabilities.enumerated() {
            cumulative += probability
            if cumulative >= p * (1 - 1e-12) { return u }
        }
        return n * m
    }
}

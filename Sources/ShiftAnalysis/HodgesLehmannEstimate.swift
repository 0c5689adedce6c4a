/// The Hodges-Lehmann estimate of the shift between two samples (the median of all n*m differences x_i - y_j)
/// with Moses' distribution-free confidence interval, the order statistics D(k) and D(n*m + 1 - k) of those
/// differences (Hollander & Wolfe, Nonparametric Statistical Methods, 4.3): k is R's `qwilcox(alpha/2, n, m)`
/// (at least 1) when the Mann-Whitney test is exact, else floor(n*m/2 - z(1-alpha/2) * sqrt(n*m*(n+m+1)/12)).
///
/// No difference is materialised: 100,000 x 100,000 would be 10^10 of them. The differences form a matrix
/// sorted along both axes once x and y are sorted, so how many are <= t is counted in one O(n+m) walk of its
/// staircase; the k-th smallest is the least double t whose count reaches k, found by bisecting the ordered
/// bit patterns of doubles between the smallest and the largest difference (at most 64 walks). Exact (the
/// result is one of the computed differences, bit for bit), deterministic (no sampling) and
/// O((n+m) log(n+m) + 64 (n+m)) in all.
public struct HodgesLehmannEstimate: Equatable, Sendable {
    /// The median of the differences x_i - y_j.
    public var shift: Double
    public var lower: Double
    public var upper: Double
    /// The order statistic the interval uses (1-based).
    public var k: Int

    /// - Parameters:
    ///   - confidence: of the interval, in (0, 1).
    ///   - exact: whether k comes from the exact distribution of U (as the Mann-Whitney test decided).
    /// nil when either side is empty. Values must be finite.
    public init?(_ x: [Double], _ y: [Double], confidence: Double, exact: Bool) {
        let n = x.count, m = y.count
        guard n > 0, m > 0 else { return nil }
        let differences = PairwiseDifferences(x.sorted(), y.sorted())
        let total = n * m
        if total % 2 == 1 {
            shift = differences.smallest(total / 2 + 1)
        } else {
            shift = (differences.smallest(total / 2) + differences.smallest(total / 2 + 1)) / 2
        }
        let alpha = 1 - confidence
        var k: Int
        if exact {
            k = MannWhitneyExactDistribution(n: n, m: m).quantile(alpha / 2)
        } else {
            let nm = Double(n) * Double(m)
            let spread = NormalDistribution.quantile(1 - alpha / 2) * (nm * Double(n + m + 1) / 12).squareRoot()
            k = Int((nm / 2 - spread).rounded(.down))
        }
        k = min(max(k, 1), total)
        self.k = k
        lower = differences.smallest(k)
        upper = differences.smallest(total + 1 - k)
    }
}

/// The n*m differences x_i - y_j of two sorted samples, never materialised.
struct PairwiseDifferences {
    let x: [Double]
    let y: [Double]

    init(_ sortedX: [Double], _ sortedY: [Double]) {
        x = sortedX
        y = sortedY
    }

    /// How many differences are <= t. x_i - y_j grows with i and shrinks with j (floating-point subtraction is
    /// monotonic too), so the i's that qualify for y_j are a prefix of x that only grows as j does.
    func count(atMost t: Double) -> Int {
        var count = 0, i = 0
        for yj in y {
            while i < x.count, x[i] - yj <= t { i += 1 }
            count += i
        }
        return count
    }

    /// The k-th smallest difference (1-based).
    func smallest(_ k: Int) -> Double {
        var low = Self.key(x[0] - y[y.count - 1]), high = Self.key(x[x.count - 1] - y[0])
        // Invariant: count(atMost: value(high)) >= k; the answer lies in low...high.
        while low < high {
            let middle = low + (high - low) / 2
            if count(atMost: Self.value(middle)) >= k { high = middle } else { low = middle + 1 }
        }
        return Self.value(low)
    }

    /// Doubles mapped to UInt64 in their numeric order (-0 just below +0), and back.
    static func key(_ value: Double) -> UInt64 {
        let bits = value.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    static func value(_ key: UInt64) -> Double {
        Double(bitPattern: key & (1 << 63) != 0 ? key & ~(1 << 63) : ~key)
    }
}

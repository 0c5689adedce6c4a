#!/usr/bin/env python3
"""Writes mannwhitney-reference.json: reference values for ShiftAnalysis's statistics.

Run once by hand (the tests only read the JSON it wrote):
    pip install scipy numpy
    python3 Tests/ShiftAnalysisTests/Fixtures/make-mannwhitney-reference.py > Tests/ShiftAnalysisTests/Fixtures/mannwhitney-reference.json

Produced with SciPy 1.17.1 and NumPy (versions recorded in the output).

- U and p: scipy.stats.mannwhitneyu(x, y, alternative='two-sided', method='auto'), U is x's statistic (U1).
  SciPy's 'auto': exact when either side has at most 8 samples and there are no ties, else the normal
  approximation with tie and continuity corrections.
- Hodges-Lehmann shift: the median of all n*m differences x_i - y_j, computed by brute force (numpy.median).
- Its confidence interval: the order statistics D(k) and D(n*m + 1 - k) of those sorted differences
  (Moses' distribution-free interval), with k = qwilcox(alpha/2) for the exact case (the smallest q with
  P(U <= q) >= alpha/2, from the exact distribution counted below; 1 when it is 0), else
  k = floor(n*m/2 - z * sqrt(n*m*(n+m+1)/12)) with z = scipy.stats.norm.ppf(1 - alpha/2), at least 1.
- Large cases are generated, not listed: x_i = ((i * a + b) % 10007) / 100 + shift for i in 0..<n.
"""
import json, math, sys
import numpy as np
import scipy
from scipy.stats import mannwhitneyu, norm

CONFIDENCE = 0.98


def generated(n, a, b, shift):
    return [((i * a + b) % 10007) / 100 + shift for i in range(n)]


def exact_counts(n, m):
    # counts[u]: how many arrangements of n x's and m y's give U = u.
    table = {}
    def f(n, m):
        if (n, m) in table:
            return table[(n, m)]
        if n == 0 or m == 0:
            r = [1]
        else:
            a = f(n - 1, m)  # the largest value is an x: it beats all m y's
            b = f(n, m - 1)  # the largest value is a y
            r = [0] * (n * m + 1)
            for u, c in enumerate(a):
                r[u + m] += c
            for u, c in enumerate(b):
                r[u] += c
        table[(n, m)] = r
        return r
    return f(n, m)


def order_k(n, m, exact, alpha):
    if exact:
        counts = exact_counts(n, m)
        total = sum(counts)
        cumulative = 0
        for q, c in enumerate(counts):
            cumulative += c
            if cumulative / total >= alpha / 2:
                return max(q, 1)
    z = norm.ppf(1 - alpha / 2)
    return max(int(math.floor(n * m / 2 - z * math.sqrt(n * m * (n + m + 1) / 12))), 1)


def case(name, x, y, generator=None):
    out = {"name": name}
    if generator:
        out["generated"] = generator
    else:
        out["x"], out["y"] = x, y
    if not x or not y:
        r = mannwhitneyu(x or [0.0], y or [0.0])  # SciPy returns NaN for an empty side; recorded as null
        out.update({"u": None, "p": None, "method": "none"})
        return out
    ties = len(set(x + y)) < len(x) + len(y)
    exact = not ties and (len(x) <= 8 or len(y) <= 8)
    r = mannwhitneyu(x, y, alternative="two-sided", method="auto")
    d = np.sort(np.subtract.outer(np.array(x), np.array(y)).ravel())
    n, m = len(x), len(y)
    k = min(order_k(n, m, exact, 1 - CONFIDENCE), n * m)
    out.update({
        "method": "exact" if exact else "asymptotic",
        "u": float(r.statistic), "p": float(r.pvalue),
        "shift": float(np.median(d)), "k": k,
        "shiftLower": float(d[k - 1]), "shiftUpper": float(d[n * m - k]),
    })
    return out


cases = [
    case("small, no ties (exact)", [19.0, 22.0, 16.0, 29.0, 24.0], [20.0, 11.0, 17.0, 12.0]),
    case("8 x 8 interleaved, no ties (exact)", [1.5, 3.5, 5.5, 7.5, 9.5, 11.5, 13.5, 15.5], [2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0]),
    case("fully separated, no ties (exact)", [10.0, 11.0, 12.0, 13.0, 14.0, 15.0], [1.0, 2.0, 3.0, 4.0, 5.0]),
    case("one sample against two (exact)", [1.0], [2.0, 3.0]),
    case("12 against 3, no ties (exact: one side <= 8)", [float(v) for v in range(10, 22)], [9.5, 15.5, 30.0]),
    case("9 against 9, no ties (asymptotic: both > 8)", [float(v) for v in range(1, 10)], [v + 4.25 for v in range(1, 10)]),
    case("small with ties (asymptotic)", [1.0, 2.0, 2.0, 3.0, 3.0, 3.0], [2.0, 3.0, 4.0, 4.0, 5.0]),
    case("identical constant samples", [5.0] * 6, [5.0] * 6),
    case("identical samples", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
    case("one empty side", [1.0, 2.0, 3.0], []),
    case("error rates 0/1: 30 of 200 against 2 of 200", [1.0] * 30 + [0.0] * 170, [1.0] * 2 + [0.0] * 198),
    case("large, shifted by 3 (generated)", generated(1000, 7919, 0, 3.0), generated(1200, 104729, 17, 0.0),
         {"x": {"n": 1000, "a": 7919, "b": 0, "shift": 3.0}, "y": {"n": 1200, "a": 104729, "b": 17, "shift": 0.0}}),
    case("large, same distribution (generated)", generated(3000, 7919, 5, 0.0), generated(2500, 104729, 11, 0.0),
         {"x": {"n": 3000, "a": 7919, "b": 5, "shift": 0.0}, "y": {"n": 2500, "a": 104729, "b": 11, "shift": 0.0}}),
]

json.dump({
    "producedWith": f"scipy {scipy.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}",
    "confidence": CONFIDENCE,
    "normalQuantiles": [{"p": p, "z": float(norm.ppf(p))} for p in (0.5, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 0.01, 1e-6)],
    "cases": cases,
}, sys.stdout, indent=1)
print()

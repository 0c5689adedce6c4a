import Foundation

/// What an analysis file (`--analysis FILE`, `analysis:` on a pipeline deploy entry) asks: which metrics of the
/// target version to compare with the original version's, and how to score the comparison (Kayenta's judge).
///
/// Carried in the `DeploymentRequest`, so a recovered deployment analyses as the first process would have.
public struct CanaryAnalysis: Codable, Equatable, Sendable {
    public var metrics: [CanaryMetric]
    /// Seconds of samples each analysis compares, ending at the analysis point; nil: since traffic first shifted.
    public var interval: TimeInterval?
    /// A score (0-100) at or above this continues.
    public var pass: Double
    /// A score below this rolls back; between `marginal` and `pass` the deployment pauses for a human.
    public var marginal: Double
    /// Confidence of the Mann-Whitney test, 0.98 by default.
    public var confidence: Double

    public init(metrics: [CanaryMetric], interval: TimeInterval? = nil, pass: Double = 95, marginal: Double = 75, confidence: Double = 0.98) {
        self.metrics = metrics
        self.interval = interval
        self.pass = pass
        self.marginal = marginal
        self.confidence = confidence
    }
}

/// One metric an analysis compares.
public struct CanaryMetric: Codable, Equatable, Sendable {
    /// Which way of changing is bad.
    public enum Direction: String, Codable, Sendable {
        case increase, decrease, either
    }

    /// The name a verdict uses for it.
    public var name: String
    /// Local: `Errors` (a rate), `Duration`, `Throttles`. AWS: any CloudWatch metric name.
    public var metric: String
    /// AWS: the CloudWatch namespace (`AWS/Lambda` by default).
    public var namespace: String?
    /// `Average`, `Sum`, `p50`, `p99`, ... (per platform, the sample each invocation or period contributes).
    public var statistic: String?
    public var direction: Direction
    /// A critical metric that fails scores the whole analysis 0.
    public var critical: Bool
    /// Tolerated increase of the target's mean over the original's, as a ratio (0.1: 10 %).
    public var allowedIncrease: Double?
    /// Tolerated decrease, as a ratio.
    public var allowedDecrease: Double?
    /// No data for this metric fails it rather than leaving it out.
    public var mustHaveData: Bool
    /// Its share of the score (1 by default).
    public var weight: Double
    /// A group to score together (the metric's name by default).
    public var group: String?

    public init(name: String, metric: String, namespace: String? = nil, statistic: String? = nil, direction: Direction = .increase, critical: Bool = false,
                allowedIncrease: Double? = nil, allowedDecrease: Double? = nil, mustHaveData: Bool = false, weight: Double = 1, group: String? = nil) {
        self.name = name
        self.metric = metric
        self.namespace = namespace
        self.statistic = statistic
        self.direction = direction
        self.critical = critical
        self.allowedIncrease = allowedIncrease
        self.allowedDecrease = allowedDecrease
        self.mustHaveData = mustHaveData
        self.weight = weight
        self.group = group
    }
}

/// How one metric of the target version compared with the original version's.
public struct CanaryMetricResult: Codable, Equatable, Sendable {
    public enum Classification: String, Codable, Sendable {
        case pass = "Pass", high = "High", low = "Low", noData = "NoData"
    }

    public var name: String
    public var classification: Classification
    public var critical: Bool
    /// Samples on each side.
    public var baselineCount: Int
    public var canaryCount: Int
    public var baselineMedian: Double?
    public var canaryMedian: Double?
    /// Mann-Whitney U and its two-sided p-value.
    public var u: Double?
    public var p: Double?
    /// Hodges-Lehmann estimate of the shift (canary minus baseline) and its confidence interval.
    public var shift: Double?
    public var shiftLower: Double?
    public var shiftUpper: Double?
    /// Ratio of the canary's mean to the baseline's.
    public var effectSize: Double?
    /// Why it is classified so, in one sentence.
    public var reason: String

    public init(name: String, classification: Classification, critical: Bool, baselineCount: Int, canaryCount: Int, baselineMedian: Double? = nil, canaryMedian: Double? = nil,
                u: Double? = nil, p: Double? = nil, shift: Double? = nil, shiftLower: Double? = nil, shiftUpper: Double? = nil, effectSize: Double? = nil, reason: String) {
        self.name = name
        self.classification = classification
        self.critical = critical
        self.baselineCount = baselineCount
        self.canaryCount = canaryCount
        self.baselineMedian = baselineMedian
        self.canaryMedian = canaryMedian
        self.u = u
        self.p = p
        self.shift = shift
        self.shiftLower = shiftLower
        self.shiftUpper = shiftUpper
        self.effectSize = effectSize
        self.reason = reason
    }
}

/// The outcome of one analysis: the score and what it means for the deployment.
public struct CanaryVerdict: Codable, Equatable, Sendable {
    public enum Decision: String, Codable, Sendable {
        /// Score at or above `pass`: continue.
        case pass = "Pass"
        /// Between `marginal` and `pass`: pause for a human to promote or stop.
        case marginal = "Marginal"
        /// Below `marginal`: roll back.
        case fail = "Fail"
    }

    /// 0-100.
    public var score: Double
    public var decision: Decision
    public var results: [CanaryMetricResult]
    /// One line for people: the score and, when not passing, the metric that weighed most against it with its
    /// two medians, U, p and effect size.
    public var summary: String

    public init(score: Double, decision: Decision, results: [CanaryMetricResult], summary: String) {
        self.score = score
        self.decision = decision
        self.results = results
        self.summary = summary
    }
}

/// Judges the target version against the original one, over a window, as an analysis describes.
///
/// The engine calls it at each analysis point; the platform's implementation reads the samples (the local
/// metrics log, CloudWatch `GetMetricData` with the `ExecutedVersion` dimension) and scores them.
public protocol CanaryJudge: Sendable {
    /// - Throws: when the samples cannot be read (the engine treats it as it treats unreadable alarms).
    func judge(_ analysis: CanaryAnalysis, function: String, alias: String, baselineVersion: Int, canaryVersion: Int, window: DateInterval) async throws -> CanaryVerdict
}

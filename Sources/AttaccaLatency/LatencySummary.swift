import Histogram

/// Order statistics of one latency distribution, in milliseconds.
public struct LatencySummary: Codable, Equatable, Sendable {
    public var minimum: Double
    public var p1: Double
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var maximum: Double
    public var mean: Double
    /// p99 − p1: the spread that matters to a player, without the rare outliers.
    public var jitter: Double { p99 - p1 }

    public init(minimum: Double, p1: Double, p50: Double, p90: Double, p99: Double, maximum: Double, mean: Double) {
        self.minimum = minimum
        self.p1 = p1
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.maximum = maximum
        self.mean = mean
    }

    /// From a histogram of nanoseconds; nil when it is empty.
    public init?(nanoseconds histogram: Histogram<UInt64>) {
        guard histogram.totalCount > 0 else { return nil }
        func ms(_ value: UInt64) -> Double { Double(value) / 1e6 }
        self.init(minimum: ms(histogram.min), p1: ms(histogram.valueAtPercentile(1)), p50: ms(histogram.valueAtPercentile(50)),
                  p90: ms(histogram.valueAtPercentile(90)), p99: ms(histogram.valueAtPercentile(99)),
                  maximum: ms(histogram.max), mean: histogram.mean / 1e6)
    }

    enum CodingKeys: String, CodingKey { case minimum, p1, p50, p90, p99, maximum, mean, jitter }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(minimum: try c.decode(Double.self, forKey: .minimum), p1: try c.decode(Double.self, forKey: .p1),
                  p50: try c.decode(Double.self, forKey: .p50), p90: try c.decode(Double.self, forKey: .p90),
                  p99: try c.decode(Double.self, forKey: .p99), maximum: try c.decode(Double.self, forKey: .maximum),
                  mean: try c.decode(Double.self, forKey: .mean))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(minimum, forKey: .minimum); try c.encode(p1, forKey: .p1); try c.encode(p50, forKey: .p50)
        try c.encode(p90, forKey: .p90); try c.encode(p99, forKey: .p99); try c.encode(maximum, forKey: .maximum)
        try c.encode(mean, forKey: .mean); try c.encode(jitter, forKey: .jitter)
    }
}

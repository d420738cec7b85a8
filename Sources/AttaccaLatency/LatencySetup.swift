/// What the measured player runs with: the figures the latency floor follows from.
public struct LatencySetup: Codable, Equatable, Sendable {
    /// Who is measured: `attacca` (its own instrumentation) or the loopback's target.
    public var source: String
    public var device: String
    public var rate: Int
    public var periodSize: Int
    public var periodCount: Int
    /// `lowest` or `constant` (`LatencyMode`); empty when not Attacca's.
    public var mode: String

    public init(source: String = "attacca", device: String, rate: Int, periodSize: Int, periodCount: Int, mode: String) {
        self.source = source
        self.device = device
        self.rate = rate
        self.periodSize = periodSize
        self.periodCount = periodCount
        self.mode = mode
    }

    /// One period, in milliseconds.
    public var periodMilliseconds: Double { Double(periodSize) * 1000 / Double(max(rate, 1)) }
    /// The floor a 2-period setup implies: one period queued plus one being played
    /// (the whole buffer), in milliseconds.
    public var floorMilliseconds: Double { Double(periodSize * periodCount) * 1000 / Double(max(rate, 1)) }
}

/// One stage's part of the total latency.
public struct LatencyStageSummary: Codable, Equatable, Sendable {
    public var stage: LatencyStage
    public var summary: LatencySummary
    /// The stage's mean over the total's mean, 0...1: its share of the latency.
    public var share: Double

    public init(stage: LatencyStage, summary: LatencySummary, share: Double) {
        self.stage = stage
        self.summary = summary
        self.share = share
    }
}

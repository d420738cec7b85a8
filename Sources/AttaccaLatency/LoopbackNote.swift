/// One note of a loopback measurement, for the per-note list of the JSON report.
public struct LoopbackNote: Codable, Equatable, Sendable {
    public var key: Int
    /// By the measurement's onset (the threshold crossing walked back to where the sound left
    /// silence), in ms; nil when the note was not heard.
    public var latency: Double?
    /// By the first sample above the level threshold (`LoopbackSettings.levelThreshold`), its
    /// time from the capture status read just after it: the plain method, which also counts how
    /// long the sample takes to rise to that level. nil when the note did not reach it.
    public var levelLatency: Double?

    public init(key: Int, latency: Double?, levelLatency: Double?) {
        self.key = key
        self.latency = latency
        self.levelLatency = levelLatency
    }
}

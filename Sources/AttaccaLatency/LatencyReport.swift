/// Everything `attacca latency` shows, as the player (or the loopback measurement) reports it;
/// also the `--json` output.
public struct LatencyReport: Codable, Equatable, Sendable {
    public var setup: LatencySetup
    /// Note-ons measured.
    public var notes: Int
    /// Note-ons played but not measured (the record ring was full, or no onset was found).
    public var unmeasured: Int
    /// The player's xruns; for a loopback measurement, the capture's overruns.
    public var xruns: Int
    /// The total latency; nil before the first note.
    public var total: LatencySummary?
    /// Each stage (only the total when the measurement cannot split it, as with a loopback).
    public var stages: [LatencyStageSummary]
    public var histogram: [LatencyBin]
    /// The floor the period settings imply (`LatencySetup.floorMilliseconds`), repeated for readers of the JSON.
    public var floorMilliseconds: Double
    /// How long before the device needed it the player rendered its last period (its render
    /// lead, `attacca play --render-lead`); nil without one (off, constant mode, a loopback).
    public var renderLeadMilliseconds: Double?
    /// A loopback measurement's notes with no onset within the timeout; nil for the player's report.
    public var unheard: Int?
    /// A loopback measurement's notes by the plain onset: the first sample above
    /// `levelOnsetThreshold` (linear), timed by the capture status read after it.
    public var levelOnset: LatencySummary?
    public var levelOnsetThreshold: Double?
    /// A loopback measurement's notes one by one, and how they were sent (`LoopbackInput`).
    public var loopbackNotes: [LoopbackNote]?
    public var input: String?
    /// The player's latest notes (at most `LatencyCollector.recentCapacity`), oldest first; nil
    /// for a loopback measurement.
    public var recentNotes: [RecentNote]?

    public init(setup: LatencySetup, notes: Int, unmeasured: Int, xruns: Int, total: LatencySummary?,
                stages: [LatencyStageSummary], histogram: [LatencyBin]) {
        self.setup = setup
        self.notes = notes
        self.unmeasured = unmeasured
        self.xruns = xruns
        self.total = total
        self.stages = stages
        self.histogram = histogram
        self.floorMilliseconds = setup.floorMilliseconds
    }
}

/// One of the player's latest measured notes, for the per-note list of the JSON report: where it
/// was placed (the frame of its period or JACK cycle it started at) and its total latency. The
/// frames show the placement itself: notes sent a frame apart within their cycles land a frame
/// apart, where a player that starts every event at its period's start puts them all at 0.
public struct RecentNote: Codable, Equatable, Sendable {
    public var channel: Int
    public var key: Int
    public var velocity: Int
    /// The frame of its period (JACK: its cycle) it started at.
    public var frame: Int
    public var periodFrames: Int
    /// Total latency, in ms.
    public var latency: Double

    public init(channel: Int, key: Int, velocity: Int, frame: Int, periodFrames: Int, latency: Double) {
        self.channel = channel
        self.key = key
        self.velocity = velocity
        self.frame = frame
        self.periodFrames = periodFrames
        self.latency = latency
    }
}

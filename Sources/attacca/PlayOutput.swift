/// The audio output `PlayJob.feed` drives while it moves MIDI into the ring: the ALSA
/// `AudioSession` or the `JACKSession`, each reconnecting by itself when its output goes away.
protocol PlayOutput: ~Copyable {
    /// Looks at the output (call every few milliseconds); `now` is CLOCK_MONOTONIC ns.
    mutating func pollOutput(now: Int64) -> PlayOutputEvent?
    /// Events reach the engine (false while the output is away: they are dropped).
    var isPlaying: Bool { get }
    /// Stopped for good.
    var hasStopped: Bool { get }
    /// For the status line while away.
    var awayNote: String { get }
    /// Events thrown away while the output was away.
    var discardedEvents: Int { get }
    mutating func stop()
}

/// What `snd_pcm_status` reported after a period was written: the hook for latency
/// measurement (a note's sound time is the write time plus `delay` frames, checked against
/// `timestampNanoseconds`). Plain values, so the audio thread can fill it without allocating.
@frozen
public struct PCMStatus: Equatable, Sendable {
    /// Frames queued ahead of the one being heard now.
    public var delay: Int = 0
    /// Frames that can be written now.
    public var available: Int = 0
    /// When the status was taken (`htstamp`, CLOCK_MONOTONIC with timestamps on), in nanoseconds.
    public var timestampNanoseconds: Int64 = 0
    /// `snd_pcm_state_t` raw value.
    public var state: Int32 = 0

    public init() {}
}

/// The seam between the audio loop and a playback device: the calls the loop makes each
/// period. `PCM` implements it over alsa-lib; tests implement it in memory, so scheduling,
/// event placement, xrun recovery and shutdown run without a kernel.
///
/// Error results are alsa-lib's negative errno values rather than thrown errors, so the audio
/// thread can handle them without existentials or allocation.
public protocol PCMDevice: ~Copyable {
    /// The negotiated configuration.
    var configuration: PCMConfiguration { get }
    /// Blocks until at least one period can be written or `timeoutMilliseconds` pass;
    /// returns the frames that can be written (0 on timeout) or a negative errno.
    mutating func waitAvailable(timeoutMilliseconds: Int32) -> Int
    /// Writes `frameCount` interleaved frames; returns the frames written or a negative errno
    /// (`-EPIPE` underrun, `-ESTRPIPE` suspended).
    mutating func write(_ buffer: UnsafeRawPointer, frameCount: Int) -> Int
    /// Reads the device status into `status`; returns 0 or a negative errno.
    mutating func readStatus(into status: inout PCMStatus) -> Int32
    /// Recovers from an underrun or suspend so writing can start again; 0 or a negative errno.
    mutating func recover(from error: Int32) -> Int32
    /// Now on the clock the device's timestamps use (CLOCK_MONOTONIC), in nanoseconds; the
    /// audio loop places events against it.
    func now() -> Int64
    /// Sleeps until `now()` reaches `nanoseconds` (the audio loop's wait for its render lead,
    /// `RenderLead`); returns at once when that has passed.
    mutating func sleep(untilNanoseconds nanoseconds: Int64)
    /// Plays what is queued, then stops.
    mutating func drain()
}

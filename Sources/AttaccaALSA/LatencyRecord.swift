/// One note-on's way from input to sound, as the audio thread saw it: plain integers copied
/// on the audio thread, turned into times by the reader.
///
/// When is the note heard (t_sound)? `snd_pcm_status`, read right after the period holding the
/// note was written, gives `htstamp` (CLOCK_MONOTONIC, the moment the hardware pointer was
/// read) and `delay` (frames between the hardware pointer and the application pointer at that
/// moment: a frame written now is heard `delay` frames later). The period just written is the
/// last `periodFrames` frames before the application pointer, so its frame 0 is heard at
/// htstamp + (delay − periodFrames) / rate, and the note, placed at `frame` in it, at
///     t_sound = htstamp + (delay − periodFrames + frame) / rate.
/// On a device whose pointer moves in steps (a period at a time, as snd-aloop's), htstamp is
/// when it last moved, which can be before the period was even rendered (with a render lead);
/// the pointer and the stamp agree, so t_sound holds (the VM's loopback agrees within 5 µs).
///
/// Stages, which add up to the total t_sound − t_start:
/// input wait (kernel delivery stamp → read by Attacca), queue wait (read → drained by the
/// audio thread), render (drained → the status after the write read: render, convert, write)
/// and device buffer (that read → heard: the frames queued ahead plus the frame offset). The
/// split between the last two is `writtenNanoseconds` (htstamp when it is 0), not htstamp,
/// which a stepping pointer leaves behind.
@frozen
public struct LatencyRecord: Equatable, Sendable {
    public var channel: UInt8
    public var key: UInt8
    public var velocity: UInt8
    /// Frame offset inside the period the note was rendered in.
    public var frame: Int32
    public var periodFrames: Int32
    public var rate: Int32
    /// t_in: when the input thread read the event (CLOCK_MONOTONIC ns).
    public var arrivalNanoseconds: Int64
    /// The sequencer's delivery stamp on CLOCK_MONOTONIC, or 0 when unknown.
    public var sourceNanoseconds: Int64
    /// t_render: when the audio thread drained the event.
    public var renderNanoseconds: Int64
    /// `htstamp` of the status read after the period was written.
    public var statusNanoseconds: Int64
    /// `delay` of that status, in frames.
    public var delayFrames: Int64
    /// When that status was read (CLOCK_MONOTONIC ns); 0: unknown, htstamp stands for it.
    public var writtenNanoseconds: Int64

    @inlinable @_noLocks
    public init(channel: UInt8 = 0, key: UInt8 = 0, velocity: UInt8 = 0, frame: Int32 = 0, periodFrames: Int32 = 0,
                rate: Int32 = 48000, arrivalNanoseconds: Int64 = 0, sourceNanoseconds: Int64 = 0,
                renderNanoseconds: Int64 = 0, statusNanoseconds: Int64 = 0, delayFrames: Int64 = 0,
                writtenNanoseconds: Int64 = 0) {
        self.channel = channel
        self.key = key
        self.velocity = velocity
        self.frame = frame
        self.periodFrames = periodFrames
        self.rate = rate
        self.arrivalNanoseconds = arrivalNanoseconds
        self.sourceNanoseconds = sourceNanoseconds
        self.renderNanoseconds = renderNanoseconds
        self.statusNanoseconds = statusNanoseconds
        self.delayFrames = delayFrames
        self.writtenNanoseconds = writtenNanoseconds
    }

    /// Where the measured latency starts: the sequencer's stamp when it is known and plausible,
    /// else the read (`RingEvent.time(arrival:source:)`, as constant placement has it).
    public var startNanoseconds: Int64 {
        RingEvent.time(arrival: arrivalNanoseconds, source: sourceNanoseconds)
    }

    /// t_sound: when the note's first frame is heard (see the type's comment).
    public var soundNanoseconds: Int64 {
        statusNanoseconds + (delayFrames - Int64(periodFrames) + Int64(frame)) * 1_000_000_000 / Int64(max(rate, 1))
    }

    /// t_sound − t_start.
    public var totalNanoseconds: Int64 { soundNanoseconds - startNanoseconds }

    public var inputWaitNanoseconds: Int64 { arrivalNanoseconds - startNanoseconds }
    public var queueWaitNanoseconds: Int64 { renderNanoseconds - arrivalNanoseconds }
    public var renderStageNanoseconds: Int64 { writtenOrStatusNanoseconds - renderNanoseconds }
    public var deviceBufferNanoseconds: Int64 { soundNanoseconds - writtenOrStatusNanoseconds }

    /// Where the render stage ends and the device buffer's begins.
    var writtenOrStatusNanoseconds: Int64 { writtenNanoseconds > 0 ? writtenNanoseconds : statusNanoseconds }
}

import AttaccaCore

/// One MIDI message in flight to the audio thread, with when it arrived (CLOCK_MONOTONIC
/// nanoseconds): the audio loop turns that into a frame offset, and latency measurement
/// starts from it.
@frozen
public struct RingEvent: Equatable, Sendable {
    public var message: MidiMessage
    /// When the input thread read it (CLOCK_MONOTONIC ns).
    public var arrivalNanoseconds: Int64
    /// When the sequencer delivered it to Attacca's port, by the kernel's own stamp mapped to
    /// CLOCK_MONOTONIC; 0 when unknown. Only latency records use it (the input-wait stage).
    public var sourceNanoseconds: Int64

    @inlinable @_noLocks
    public init(message: MidiMessage, arrivalNanoseconds: Int64, sourceNanoseconds: Int64 = 0) {
        self.message = message
        self.arrivalNanoseconds = arrivalNanoseconds
        self.sourceNanoseconds = sourceNanoseconds
    }

    /// The event's own time: the sequencer's stamp when it is plausible, else the read
    /// (`Self.time(arrival:source:)`). Constant placement and latency records start from it.
    @inlinable
    public var timeNanoseconds: Int64 {
        @_noLocks get { Self.time(arrival: arrivalNanoseconds, source: sourceNanoseconds) }
    }

    /// Where this event goes in a window of frames starting at `windowStart` (ns) at `rate`: at
    /// its read (`constantDelay` false, the lowest latency) or its own time (true, a constant
    /// delay), never before `previous` (events stay in order), never past `lastFrame`. The ALSA
    /// loop and the JACK callback place the ring's events alike through this.
    @inlinable @_noLocks
    public func frame(windowStart: Int64, rate: Int64, constantDelay: Bool, previous: Int64, lastFrame: Int64) -> Int64 {
        let time = constantDelay ? timeNanoseconds : arrivalNanoseconds
        let frame = (time - windowStart) * rate / 1_000_000_000
        return min(max(frame, previous), lastFrame)
    }

    /// A source stamp further than this before the read is not trusted (a stale queue mapping).
    @inlinable
    public static var sourceStampLimitNanoseconds: Int64 { @_noLocks get { 1_000_000_000 } }

    /// `source` when it is known and plausible (not after the read, at most a second before
    /// it), else `arrival`: the kernel stamps an event when it is delivered, so its stamp is
    /// free of how late the input thread woke up to read it.
    @inlinable @_noLocks
    public static func time(arrival: Int64, source: Int64) -> Int64 {
        if source > 0 && source <= arrival && arrival - source <= sourceStampLimitNanoseconds { return source }
        return arrival
    }

    /// A note-off, or a note-on with velocity 0: the messages that must never be dropped.
    @inlinable
    public var isNoteOff: Bool {
        @_noLocks get { message.kind == .noteOff || (message.kind == .noteOn && message.data2 == 0) }
    }

    /// A note-on that starts a note (velocity above 0): what latency records are kept for.
    @inlinable
    public var isNoteOn: Bool {
        @_noLocks get { message.kind == .noteOn && message.data2 > 0 }
    }
}

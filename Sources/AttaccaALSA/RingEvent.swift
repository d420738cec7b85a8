import AttaccaCore

/// One MIDI message in flight to the audio thread, with when it arrived (CLOCK_MONOTONIC
/// nanoseconds): the audio loop turns that into a frame offset, and latency measurement
/// starts from it.
@frozen
public struct RingEvent: Equatable, Sendable {
    public var message: MidiMessage
    public var arrivalNanoseconds: Int64

    @inlinable @_noLocks
    public init(message: MidiMessage, arrivalNanoseconds: Int64) {
        self.message = message
        self.arrivalNanoseconds = arrivalNanoseconds
    }

    /// A note-off, or a note-on with velocity 0: the messages that must never be dropped.
    @inlinable
    public var isNoteOff: Bool {
        @_noLocks get { message.kind == .noteOff || (message.kind == .noteOn && message.data2 == 0) }
    }
}

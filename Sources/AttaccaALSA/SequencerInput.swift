import AttaccaCore

/// One message read from the sequencer, stamped on arrival.
public struct SequencerInput: Sendable {
    public var message: MidiMessage
    /// CLOCK_MONOTONIC when `snd_seq_event_input` returned it, in nanoseconds.
    public var arrivalNanoseconds: Int64
    /// The event's real-time stamp on Attacca's queue (set by the kernel on delivery), in
    /// nanoseconds since the queue started; nil when the event carried none.
    public var queueNanoseconds: Int64?
    /// Who sent it.
    public var source: SequencerAddress
}

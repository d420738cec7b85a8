/// How the loopback measurement sends its notes: the three ways MIDI reaches a synthesizer's
/// sequencer port on Linux, each stamped differently by the kernel on the way.
public enum LoopbackInput: String, CaseIterable, Sendable {
    /// Direct, unscheduled events from a second sequencer client (no queue, no time stamp): a
    /// program such as a DAW's live output or a virtual keyboard.
    case sequencer
    /// Events scheduled on the sender's own queue a little ahead and delivered by the kernel at
    /// their time, as `aplaymidi` and sequencer players send; latency counts from that time.
    case queue
    /// Bytes written to a raw MIDI port whose sequencer client the target listens to
    /// (snd-virmidi's `hw:VirMIDI,0`): what a USB keyboard's driver does.
    case rawmidi
}

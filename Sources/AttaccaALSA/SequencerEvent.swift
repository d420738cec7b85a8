import AttaccaCore
import CALSA

/// Turns `snd_seq_event_t` into the engine's `MidiMessage`s. Reads the union fields through
/// the imported struct; only the event types a synthesizer acts on become messages.
public enum SequencerEvent {
    /// The message `event` carries, or nil for events without one (clock, announcements...).
    public static func message(of event: snd_seq_event_t) -> MidiMessage? {
        let type = UInt32(event.type)
        switch type {
        case SND_SEQ_EVENT_NOTEON.rawValue:
            let note = event.data.note
            return note.velocity == 0
                ? .noteOff(channel: Int(note.channel), key: Int(note.note))
                : .noteOn(channel: Int(note.channel), key: Int(note.note), velocity: Int(note.velocity))
        case SND_SEQ_EVENT_NOTEOFF.rawValue:
            let note = event.data.note
            return .noteOff(channel: Int(note.channel), key: Int(note.note), velocity: Int(note.off_velocity))
        case SND_SEQ_EVENT_KEYPRESS.rawValue:
            let note = event.data.note
            return .polyphonicPressure(channel: Int(note.channel), key: Int(note.note), value: Int(note.velocity))
        case SND_SEQ_EVENT_CONTROLLER.rawValue:
            let control = event.data.control
            guard control.param < 128 else { return nil }
            return .controlChange(channel: Int(control.channel), controller: Int(control.param), value: Int(clamp(control.value, 0, 127)))
        case SND_SEQ_EVENT_PGMCHANGE.rawValue:
            let control = event.data.control
            return .programChange(channel: Int(control.channel), program: Int(clamp(control.value, 0, 127)))
        case SND_SEQ_EVENT_CHANPRESS.rawValue:
            let control = event.data.control
            return .channelPressure(channel: Int(control.channel), value: Int(clamp(control.value, 0, 127)))
        case SND_SEQ_EVENT_PITCHBEND.rawValue:
            // The sequencer's bend is -8192...8191 around 0.
            let control = event.data.control
            return .pitchBend(channel: Int(control.channel), value: Int(clamp(control.value + 8192, 0, 16383)))
        case SND_SEQ_EVENT_RESET.rawValue:
            return .systemReset
        case SND_SEQ_EVENT_SYSEX.rawValue:
            let ext = event.data.ext
            guard let pointer = ext.ptr, ext.len > 0 else { return nil }
            let bytes = UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: Int(ext.len))
            return isReset(sysex: bytes) ? .systemReset : nil
        default:
            return nil
        }
    }

    /// The messages `event` carries: `message(of:)`, or for a sysex event its `MidiMessage.sysex`
    /// pieces (after `systemReset` when it is a reset, for the listeners of that message).
    /// Allocates; runs on the sequencer input thread.
    public static func messages(of event: snd_seq_event_t) -> [MidiMessage] {
        guard UInt32(event.type) == SND_SEQ_EVENT_SYSEX.rawValue else {
            return message(of: event).map { [$0] } ?? []
        }
        let ext = event.data.ext
        guard let pointer = ext.ptr, ext.len > 0 else { return [] }
        let bytes = UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: Int(ext.len))
        return (isReset(sysex: bytes) ? [.systemReset] : []) + MidiMessage.sysex(bytes)
    }

    /// The source a System Announce event says went away: a subscription into `port`
    /// removed, a port or a client exiting; nil for every other event.
    public static func departure(of event: snd_seq_event_t, into port: SequencerAddress) -> SequencerDeparture? {
        switch UInt32(event.type) {
        case SND_SEQ_EVENT_PORT_UNSUBSCRIBED.rawValue:
            let connection = event.data.connect
            guard Int(connection.dest.client) == port.client, Int(connection.dest.port) == port.port else { return nil }
            return .unsubscribed(SequencerAddress(client: Int(connection.sender.client), port: Int(connection.sender.port)))
        case SND_SEQ_EVENT_PORT_EXIT.rawValue:
            return .portExit(SequencerAddress(client: Int(event.data.addr.client), port: Int(event.data.addr.port)))
        case SND_SEQ_EVENT_CLIENT_EXIT.rawValue:
            return .clientExit(Int(event.data.addr.client))
        default:
            return nil
        }
    }

    private static func clamp(_ value: Int32, _ low: Int32, _ high: Int32) -> Int32 { min(max(value, low), high) }

    /// GM System On / GM2 System On, GS Reset, XG System On; `bytes` from F0 to F7.
    public static func isReset<C: Collection>(sysex bytes: C) -> Bool where C.Element == UInt8 {
        let data = Array(bytes)
        guard data.count >= 2, data.first == 0xF0, data.last == 0xF7 else { return false }
        let body = Array(data[1..<(data.count - 1)])
        func matches(_ pattern: [UInt8?]) -> Bool {
            body.count == pattern.count && zip(body, pattern).allSatisfy { $1 == nil || $0 == $1 }
        }
        if matches([0x7E, nil, 0x09, 0x01]) || matches([0x7E, nil, 0x09, 0x03]) { return true }
        if matches([0x41, nil, 0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41]) { return true }
        if matches([0x43, nil, 0x4C, 0x00, 0x00, 0x7E, 0x00]) && body[1] & 0xF0 == 0x10 { return true }
        return false
    }
}

import AttaccaALSA
import AttaccaCore
import CALSA
import Testing

@Suite struct SequencerEventTests {
    func event(_ type: snd_seq_event_type, _ fill: (inout snd_seq_event_t) -> Void) -> snd_seq_event_t {
        var event = snd_seq_event_t()
        event.type = UInt8(type.rawValue)
        fill(&event)
        return event
    }

    @Test func notes() {
        let on = event(SND_SEQ_EVENT_NOTEON) { $0.data.note.channel = 3; $0.data.note.note = 60; $0.data.note.velocity = 100 }
        #expect(SequencerEvent.message(of: on) == .noteOn(channel: 3, key: 60, velocity: 100))
        let silent = event(SND_SEQ_EVENT_NOTEON) { $0.data.note.channel = 3; $0.data.note.note = 60; $0.data.note.velocity = 0 }
        #expect(SequencerEvent.message(of: silent) == .noteOff(channel: 3, key: 60))
        let off = event(SND_SEQ_EVENT_NOTEOFF) { $0.data.note.channel = 15; $0.data.note.note = 1; $0.data.note.off_velocity = 64 }
        #expect(SequencerEvent.message(of: off) == .noteOff(channel: 15, key: 1, velocity: 64))
    }

    @Test func controllersProgramsBendAndPressure() {
        #expect(SequencerEvent.message(of: event(SND_SEQ_EVENT_CONTROLLER) { $0.data.control.channel = 1; $0.data.control.param = 64; $0.data.control.value = 127 })
                == .controlChange(channel: 1, controller: 64, value: 127))
        #expect(SequencerEvent.message(of: event(SND_SEQ_EVENT_PGMCHANGE) { $0.data.control.channel = 2; $0.data.control.value = 19 })
                == .programChange(channel: 2, program: 19))
        #expect(SequencerEvent.message(of: event(SND_SEQ_EVENT_PITCHBEND) { $0.data.control.value = -8192 }) == .pitchBend(channel: 0, value: 0))
        #expect(SequencerEvent.message(of: event(SND_SEQ_EVENT_PITCHBEND) { $0.data.control.value = 8191 }) == .pitchBend(channel: 0, value: 16383))
        #expect(SequencerEvent.message(of: event(SND_SEQ_EVENT_CHANPRESS) { $0.data.control.channel = 4; $0.data.control.value = 77 })
                == .channelPressure(channel: 4, value: 77))
        #expect(SequencerEvent.message(of: event(SND_SEQ_EVENT_KEYPRESS) { $0.data.note.note = 61; $0.data.note.velocity = 5 })
                == .polyphonicPressure(channel: 0, key: 61, value: 5))
        #expect(SequencerEvent.message(of: event(SND_SEQ_EVENT_CLOCK) { _ in }) == nil)
    }

    @Test func resetSysex() {
        var gm: [UInt8] = [0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7]
        var gs: [UInt8] = [0xF0, 0x41, 0x10, 0x42, 0x12, 0x40, 0x00, 0x7F, 0x00, 0x41, 0xF7]
        var other: [UInt8] = [0xF0, 0x43, 0x10, 0x4C, 0x02, 0x01, 0x00, 0x01, 0xF7]
        for (bytes, expected) in [(gm, true), (gs, true), (other, false)] {
            var copy = bytes
            let message = copy.withUnsafeMutableBytes { raw in
                SequencerEvent.message(of: event(SND_SEQ_EVENT_SYSEX) { $0.data.ext.len = UInt32(raw.count); $0.data.ext.ptr = raw.baseAddress })
            }
            #expect((message == .systemReset) == expected)
        }
        _ = (gm.popLast(), gs.popLast(), other.popLast())
    }

    /// Sysex events become their `MidiMessage.sysex` pieces, a reset preceded by `systemReset`.
    @Test func sysexPieces() {
        for (bytes, reset) in [([0xF0, 0x7F, 0x7F, 0x04, 0x01, 0x00, 0x20, 0xF7] as [UInt8], false),
                               ([0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7], true)] {
            var copy = bytes
            let messages = copy.withUnsafeMutableBytes { raw in
                SequencerEvent.messages(of: event(SND_SEQ_EVENT_SYSEX) { $0.data.ext.len = UInt32(raw.count); $0.data.ext.ptr = raw.baseAddress })
            }
            #expect(messages == (reset ? [.systemReset] : []) + MidiMessage.sysex(bytes))
        }
        let note = event(SND_SEQ_EVENT_NOTEON) { $0.data.note.channel = 3; $0.data.note.note = 60; $0.data.note.velocity = 100 }
        #expect(SequencerEvent.messages(of: note) == [.noteOn(channel: 3, key: 60, velocity: 100)])
    }

    @Test func departures() {
        let attacca = SequencerAddress(client: 128, port: 0)
        let unsubscribed = event(SND_SEQ_EVENT_PORT_UNSUBSCRIBED) {
            $0.data.connect.sender = snd_seq_addr_t(client: 24, port: 0)
            $0.data.connect.dest = snd_seq_addr_t(client: 128, port: 0)
        }
        #expect(SequencerEvent.departure(of: unsubscribed, into: attacca) == .unsubscribed(SequencerAddress(client: 24, port: 0)))
        // Another client's connection going away is not ours.
        let elsewhere = event(SND_SEQ_EVENT_PORT_UNSUBSCRIBED) {
            $0.data.connect.sender = snd_seq_addr_t(client: 24, port: 0)
            $0.data.connect.dest = snd_seq_addr_t(client: 129, port: 0)
        }
        #expect(SequencerEvent.departure(of: elsewhere, into: attacca) == nil)
        let portExit = event(SND_SEQ_EVENT_PORT_EXIT) { $0.data.addr = snd_seq_addr_t(client: 20, port: 1) }
        #expect(SequencerEvent.departure(of: portExit, into: attacca) == .portExit(SequencerAddress(client: 20, port: 1)))
        let clientExit = event(SND_SEQ_EVENT_CLIENT_EXIT) { $0.data.addr = snd_seq_addr_t(client: 20, port: 0) }
        #expect(SequencerEvent.departure(of: clientExit, into: attacca) == .clientExit(20))
        #expect(SequencerEvent.departure(of: event(SND_SEQ_EVENT_PORT_START) { $0.data.addr = snd_seq_addr_t(client: 20, port: 0) },
                                         into: attacca) == nil)
        #expect(SequencerEvent.departure(of: event(SND_SEQ_EVENT_NOTEON) { $0.data.note.note = 60 }, into: attacca) == nil)
    }
}

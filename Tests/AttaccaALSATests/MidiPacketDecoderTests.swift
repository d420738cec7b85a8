import AttaccaCore
import AttaccaALSA
import Testing

/// MIDI packets (JACK MIDI events, PipeWire controls) to Attacca's messages, as the process callbacks read them.
struct MidiPacketDecoderTests {
    func decode(_ bytes: [UInt8], room: Int = 16) -> (messages: [MidiMessage], dropped: Int) {
        let out = UnsafeMutablePointer<MidiMessage>.allocate(capacity: max(room, 1))
        defer { out.deallocate() }
        let (written, dropped) = bytes.withUnsafeBufferPointer { MidiPacketDecoder.decode($0.baseAddress!, size: bytes.count, into: out, room: room) }
        return (Array(UnsafeBufferPointer(start: out, count: written)), dropped)
    }

    @Test func channelMessagesKeepTheirLengths() {
        #expect(decode([0x91, 60, 100]).messages == [.noteOn(channel: 1, key: 60, velocity: 100)])
        #expect(decode([0xC2, 5]).messages == [.programChange(channel: 2, program: 5)])
        #expect(decode([0xE0, 0, 64]).messages == [.pitchBend(channel: 0, value: 8192)])
        #expect(decode([0x90, 60]).messages.isEmpty)  // truncated
        #expect(decode([0xF8]).messages.isEmpty)  // clock: not for the synthesizer
    }

    @Test func sysexBecomesTwoBytePieces() {
        let result = decode([0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7])
        #expect(result.messages == MidiMessage.sysex([0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7]))
        let short = decode([0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7], room: 2)
        #expect(short.messages.count == 2 && short.dropped == 1)
    }
}

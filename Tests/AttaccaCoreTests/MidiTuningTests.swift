import Glibc
import Testing
@testable import AttaccaCore

/// MIDI Tuning Standard sysex and RPN 3/4 (tuning program and bank): the output pitch measured
/// in cents against the tuning the message gives.
@Suite struct MidiTuningTests {
    static let rate = 48000

    /// RPN `number` set to `value` by data entry MSB.
    static func rpn(_ number: Int, _ value: Int, channel: Int = 0) -> [MidiMessage] {
        [.controlChange(channel: channel, controller: 101, value: 0),
         .controlChange(channel: channel, controller: 100, value: number),
         .controlChange(channel: channel, controller: 6, value: value)]
    }

    /// The pitch of `key` after `messages`, in cents above A4 (440 Hz).
    static func cents(key: Int = 69, after messages: [MidiMessage]) throws -> Double {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        Measure.send(&synth, messages)
        synth.send(.noteOn(channel: 0, key: key, velocity: 100))
        let out = Measure.render(&synth, frames: rate / 2).left
        return 1200 * log2(Measure.frequency(out, sampleRate: rate, from: rate / 10) / 440)
    }

    /// MTS frequency data for a pitch in cents: semitone, then 14 bits of 1/16384 semitone.
    static func triple(_ cents: Double) -> [UInt8] {
        let semitone = Int(cents / 100)
        let fraction = Int(((cents - Double(semitone) * 100) * 16384 / 100).rounded())
        return [UInt8(semitone), UInt8(fraction >> 7), UInt8(fraction & 127)]
    }

    @Test func singleNoteRealTime() throws {
        // F0 7F <device> 08 02 <program> <count> [key, semitone, msb, lsb] F7: A4 +50 cents in program 0.
        let sysex: [UInt8] = [0xF0, 0x7F, 0x7F, 0x08, 0x02, 0x00, 0x01, 69] + Self.triple(6950) + [0xF7]
        let tuned = try Self.cents(after: MidiMessage.sysex(sysex) + Self.rpn(3, 0))
        #expect(abs(tuned - 50) < 0.2, "\(tuned) cents")
        // The tuning waits for RPN 3 to select it; other keys keep equal temperament.
        #expect(abs(try Self.cents(after: MidiMessage.sysex(sysex))) < 0.2)
        let other = try Self.cents(key: 81, after: MidiMessage.sysex(sysex) + Self.rpn(3, 0))
        #expect(abs(other - 1200) < 0.2, "\(other) cents")
    }

    @Test func singleNoteWithBankAndRPN4() throws {
        // F0 7E <device> 08 07 <bank> <program> <count> ...: bank 3, program 2, A4 -> B flat 4 - 17 cents.
        let sysex: [UInt8] = [0xF0, 0x7E, 0x10, 0x08, 0x07, 0x03, 0x02, 0x01, 69] + Self.triple(7000 - 17) + [0xF7]
        let tuned = try Self.cents(after: MidiMessage.sysex(sysex) + Self.rpn(4, 3) + Self.rpn(3, 2))
        #expect(abs(tuned - 83) < 0.2, "\(tuned) cents")
        // Bank 0 program 2 is another (equal-tempered) tuning.
        #expect(abs(try Self.cents(after: MidiMessage.sysex(sysex) + Self.rpn(3, 2))) < 0.2)
    }

    @Test func bulkDump() throws {
        // F0 7E <device> 08 01 <program> <16-byte name> 128 × [semitone msb lsb] <checksum> F7:
        // every key a quarter tone (50 cents) sharp plus 3 cents per octave above key 0.
        var sysex: [UInt8] = [0xF0, 0x7E, 0x7F, 0x08, 0x01, 0x05] + Array("quarter tone    ".utf8)
        for key in 0..<128 { sysex += Self.triple(Double(key * 100) + 50 + 3 * Double(key / 12)) }
        sysex += [0x00, 0xF7]
        let tuned = try Self.cents(after: MidiMessage.sysex(sysex) + Self.rpn(3, 5))
        #expect(abs(tuned - (50 + 3 * 5)) < 0.2, "\(tuned) cents")
    }

    @Test func octaveTuningOneAndTwoBytes() throws {
        // F0 7E <device> 08 08 ff gg hh <12 × (cents + 64)> F7, channel 0 (bit 0 of hh).
        var oneByte: [UInt8] = [0xF0, 0x7E, 0x7F, 0x08, 0x08, 0x00, 0x00, 0x01]
        for note in 0..<12 { oneByte.append(note == 9 ? 64 + 20 : 64) }  // A +20 cents
        oneByte.append(0xF7)
        let one = try Self.cents(after: MidiMessage.sysex(oneByte))
        #expect(abs(one - 20) < 0.2, "\(one) cents")
        // 08 09: 14 bits per note, 8192 = 0, ±100 cents: A -30 cents.
        var twoBytes: [UInt8] = [0xF0, 0x7E, 0x7F, 0x08, 0x09, 0x00, 0x00, 0x01]
        let value = 8192 + Int((-30.0 * 16384 / 200).rounded())
        for note in 0..<12 { twoBytes += note == 9 ? [UInt8(value >> 7), UInt8(value & 127)] : [0x40, 0x00] }
        twoBytes.append(0xF7)
        let two = try Self.cents(after: MidiMessage.sysex(twoBytes))
        #expect(abs(two + 30) < 0.2, "\(two) cents")
        // A channel the mask leaves out keeps equal temperament.
        var other = oneByte
        other[7] = 0x02
        #expect(abs(try Self.cents(after: MidiMessage.sysex(other))) < 0.2)
    }

    /// From a MIDI file: the parser passes the sysex on as pieces and the engine acts on it.
    @Test func tuningSysexFromAFile() throws {
        var octave: [UInt8] = [0x7E, 0x7F, 0x08, 0x08, 0x00, 0x00, 0x01]
        for note in 0..<12 { octave.append(note == 9 ? 64 - 40 : 64) }
        octave.append(0xF7)
        let track: [UInt8] = [0x00, 0xF0, UInt8(octave.count)] + octave + [0x00, 0x90, 69, 100] + MidiTestFile.endOfTrack
        let file = try MidiFile(bytes: MidiTestFile.file(tracks: [track]))
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        Measure.send(&synth, file.events.map(\.message))
        let out = Measure.render(&synth, frames: Self.rate / 2).left
        let cents = 1200 * log2(Measure.frequency(out, sampleRate: Self.rate, from: Self.rate / 10) / 440)
        #expect(abs(cents + 40) < 0.2, "\(cents) cents")
    }

    /// A sysex split in packets (an SMF F0 packet then F7 continuations, or ALSA's chunks of a
    /// long message) is gathered whole.
    @Test func splitSysexIsGathered() throws {
        var octave: [UInt8] = [0xF0, 0x7E, 0x7F, 0x08, 0x08, 0x00, 0x00, 0x01]
        for note in 0..<12 { octave.append(note == 9 ? 64 + 10 : 64) }
        octave.append(0xF7)
        let split = MidiMessage.sysex(octave[0..<5]) + MidiMessage.sysex(octave[5..<12]) + MidiMessage.sysex(octave[12...])
        let cents = try Self.cents(after: split)
        #expect(abs(cents - 10) < 0.2, "\(cents) cents")
        // In a file: F0 <5> 7E 7F 08 08 00, then F7 <rest> (a continuation packet).
        let body = Array(octave.dropFirst())
        let track: [UInt8] = [0x00, 0xF0, 5] + body[0..<5] + [0x00, 0xF7, UInt8(body.count - 5)] + body[5...]
            + [0x00, 0x90, 69, 100] + MidiTestFile.endOfTrack
        let file = try MidiFile(bytes: MidiTestFile.file(tracks: [track]))
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        Measure.send(&synth, file.events.map(\.message))
        let out = Measure.render(&synth, frames: Self.rate / 2).left
        let fromFile = 1200 * log2(Measure.frequency(out, sampleRate: Self.rate, from: Self.rate / 10) / 440)
        #expect(abs(fromFile - 10) < 0.2, "\(fromFile) cents")
    }

    /// A real-time single-note change retunes the sounding note.
    @Test func realTimeChangeRetunesSoundingNote() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        Measure.send(&synth, Self.rpn(3, 0))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let before = Measure.render(&synth, frames: Self.rate / 4).left
        Measure.send(&synth, MidiMessage.sysex([0xF0, 0x7F, 0x7F, 0x08, 0x02, 0x00, 0x01, 69] + Self.triple(6900 - 25) + [0xF7]))
        let after = Measure.render(&synth, frames: Self.rate / 4).left
        let b = 1200 * log2(Measure.frequency(before, sampleRate: Self.rate, from: 4800) / 440)
        let a = 1200 * log2(Measure.frequency(after, sampleRate: Self.rate, from: 960) / 440)
        #expect(abs(b) < 0.2 && abs(a + 25) < 0.2, "before \(b), after \(a) cents")
    }
}

import Glibc
import Testing
@testable import AttaccaCore

/// Bank-select styles, drum parts (XG MSB 127, GS "use for rhythm part"), master volume and
/// NRPNs, told apart by the pitch and level of the output.
@Suite struct BankSelectAndSysexTests {
    static let rate = 48000

    /// Three presets over one 440 Hz sample, told apart by pitch at key 69: bank 0 plays 440 Hz,
    /// bank 1 880 Hz, the drum bank 128 1760 Hz.
    static func font() -> SoundFont {
        let wave = TestSoundFont.cosine(period: 100, cycles: 20)
        let header = SampleHeader(name: "a", start: 0, end: wave.count, loopStart: 0, loopEnd: wave.count,
                                  sampleRate: 44000, originalPitch: 69, pitchCorrection: 0, sampleLink: 0, sampleType: 1)
        var instruments: [Instrument] = [], presets: [Preset] = []
        for (index, (bank, root)) in [(0, 69), (1, 57), (128, 45)].enumerated() {
            var zone = Zone()
            zone.generators[.sampleID] = 0
            zone.generators[.sampleModes] = 1
            zone.generators[.overridingRootKey] = Int16(root)
            instruments.append(Instrument(name: "i\(index)", zones: [zone]))
            var presetZone = Zone()
            presetZone.generators[.instrument] = Int16(index)
            presets.append(Preset(name: "p\(index)", bank: bank, program: 0, zones: [presetZone]))
        }
        return SoundFont(presets: presets, instruments: instruments, samples: [header],
                         sampleData: wave + Array(repeating: 0, count: 46))
    }

    /// The frequency key 69 plays on `channel` after `messages` (a program change 0 follows them).
    static func frequency(channel: Int = 0, style: BankSelectStyle = .gs, after messages: [MidiMessage]) throws -> Double {
        var synth = try Synthesizer(soundFont: font(), settings: SynthesizerSettings(bankSelect: style))
        Measure.send(&synth, messages + [.programChange(channel: channel, program: 0)])
        synth.send(.noteOn(channel: channel, key: 69, velocity: 100))
        let out = Measure.render(&synth, frames: rate / 4).left
        return Measure.frequency(out, sampleRate: rate, from: rate / 20)
    }

    static func near(_ f: Double, _ expected: Double) -> Bool { abs(f - expected) < 1 }

    @Test func bankSelectStyles() throws {
        let msb1: [MidiMessage] = [.controlChange(channel: 0, controller: 0, value: 1)]
        let lsb1: [MidiMessage] = [.controlChange(channel: 0, controller: 32, value: 1)]
        #expect(Self.near(try Self.frequency(style: .gs, after: msb1), 880))
        #expect(Self.near(try Self.frequency(style: .gs, after: lsb1), 440))   // GS ignores the LSB
        #expect(Self.near(try Self.frequency(style: .gm, after: msb1), 440))   // GM ignores bank select
        #expect(Self.near(try Self.frequency(style: .xg, after: lsb1), 880))   // XG: the LSB is the bank
        #expect(Self.near(try Self.frequency(style: .xg, after: msb1), 440))
        #expect(Self.near(try Self.frequency(style: .mma, after: lsb1), 880))  // MMA: MSB × 128 + LSB
        #expect(Self.near(try Self.frequency(style: .mma, after: msb1), 1760)) // 128: the drum bank here
    }

    @Test func xgMsb127IsDrums() throws {
        let xgOn = MidiMessage.sysex([0xF0, 0x43, 0x10, 0x4C, 0x00, 0x00, 0x7E, 0x00, 0xF7])
        let msb127: [MidiMessage] = [.controlChange(channel: 0, controller: 0, value: 127)]
        #expect(Self.near(try Self.frequency(after: xgOn + msb127), 1760))
        #expect(Self.near(try Self.frequency(style: .xg, after: msb127), 1760))
        // In GS style (no XG System On) bank 127 does not exist: the melodic fallback plays.
        #expect(Self.near(try Self.frequency(after: msb127), 440))
    }

    @Test func gsRhythmPart() throws {
        // F0 41 <device> 42 12 40 1x 15 <mode> <checksum> F7; part 2 is channel 1.
        func rhythm(part: Int, mode: UInt8) -> [MidiMessage] {
            var body: [UInt8] = [0x40, UInt8(0x10 | part), 0x15, mode]
            body.append(UInt8((0x80 - Int(body.reduce(0) { $0 + Int($1) }) & 0x7F) & 0x7F))
            return MidiMessage.sysex([0xF0, 0x41, 0x10, 0x42, 0x12] + body + [0xF7])
        }
        #expect(Self.near(try Self.frequency(channel: 1, after: rhythm(part: 2, mode: 1)), 1760))
        #expect(Self.near(try Self.frequency(channel: 1, after: rhythm(part: 2, mode: 0)), 440))
        // Mode 0 on part 0 (channel 10) makes it melodic.
        #expect(Self.near(try Self.frequency(channel: 9, after: rhythm(part: 0, mode: 0)), 440))
        #expect(Self.near(try Self.frequency(channel: 9, after: []), 1760))
        // A wrong checksum is ignored.
        var bad = rhythm(part: 2, mode: 1)
        bad[bad.count - 1].data1 ^= 1
        #expect(Self.near(try Self.frequency(channel: 1, after: bad), 440))
        // A GM System On leaves GS style: the rhythm part message is ignored, as in FluidSynth.
        let gmOn = MidiMessage.sysex([0xF0, 0x7E, 0x7F, 0x09, 0x01, 0xF7])
        #expect(Self.near(try Self.frequency(channel: 1, after: gmOn + rhythm(part: 2, mode: 1)), 440))
    }

    @Test func masterVolume() throws {
        func level(_ messages: [MidiMessage]) throws -> Double {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440())
            Measure.send(&synth, messages)
            synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
            let out = Measure.render(&synth, frames: Self.rate / 4).left
            return Measure.rms(out, 4800..<12000)
        }
        // F0 7F <device> 04 01 <lsb> <msb> F7: 4096 / 16383 of full volume is -12.04 dB.
        let quarter = MidiMessage.sysex([0xF0, 0x7F, 0x7F, 0x04, 0x01, 0x00, 0x20, 0xF7])
        let ratio = 20 * log10(try level(quarter) / level([]))
        #expect(abs(ratio - 20 * log10(4096.0 / 16383)) < 0.1, "\(ratio) dB")
        // A reset restores full volume.
        #expect(abs(try level(quarter + [.systemReset]) - level([])) < 1e-6)
    }

    /// SF2 2.04 9.6 NRPN: MSB 120, LSB the generator, data entry 8192 ± the offset in the
    /// generator's NRPN units (coarse tune: semitones; fine tune: cents).
    @Test func soundFontNRPN() throws {
        func nrpn(generator: Int, offset: Int) -> [MidiMessage] {
            let data = 8192 + offset
            return [.controlChange(channel: 0, controller: 99, value: 120),
                    .controlChange(channel: 0, controller: 98, value: generator),
                    .controlChange(channel: 0, controller: 38, value: data & 127),
                    .controlChange(channel: 0, controller: 6, value: data >> 7)]
        }
        let coarse = try Self.frequency(after: nrpn(generator: 51, offset: 12))
        #expect(Self.near(coarse, 880), "\(coarse) Hz")
        let fine = 1200 * log2(try Self.frequency(after: nrpn(generator: 52, offset: 37)) / 440)
        #expect(abs(fine - 37) < 0.2, "\(fine) cents")
        // Generator numbers of 100 and more: LSB 100 adds 100 (here 0 + 100 + 1 = 101: none, no effect).
        let high = try Self.frequency(after: [.controlChange(channel: 0, controller: 99, value: 120),
                                               .controlChange(channel: 0, controller: 98, value: 100)]
                                      + Array(nrpn(generator: 1, offset: 12).dropFirst()))
        #expect(Self.near(high, 440))
        // An RPN selected afterwards: data entry goes to the RPN again.
        let rpn = try Self.frequency(after: nrpn(generator: 52, offset: 0) + [
            .controlChange(channel: 0, controller: 101, value: 0), .controlChange(channel: 0, controller: 100, value: 2),
            .controlChange(channel: 0, controller: 6, value: 76)])
        #expect(Self.near(rpn, 880), "\(rpn) Hz")
        // Reset all controllers clears NRPN offsets, as FluidSynth's fluid_channel_init_ctrl.
        let reset = try Self.frequency(after: nrpn(generator: 51, offset: 12) + [.controlChange(channel: 0, controller: 121, value: 0)])
        #expect(Self.near(reset, 440), "\(reset) Hz")
    }

    /// GS NRPN: drum key pitch (MSB 0x18, LSB the key) in semitones around 64.
    @Test func gsDrumPitchNRPN() throws {
        let messages: [MidiMessage] = [.controlChange(channel: 9, controller: 99, value: 0x18),
                                       .controlChange(channel: 9, controller: 98, value: 69),
                                       .controlChange(channel: 9, controller: 6, value: 64 - 12)]
        #expect(Self.near(try Self.frequency(channel: 9, after: messages), 880))
    }

    /// GS NRPN drum key level (MSB 0x1A, LSB the key): amplitude × value / 127 (64: -5.95 dB).
    @Test func gsDrumLevelNRPN() throws {
        func level(_ messages: [MidiMessage]) throws -> Double {
            var synth = try Synthesizer(soundFont: Self.font())
            Measure.send(&synth, messages)
            synth.send(.noteOn(channel: 9, key: 69, velocity: 100))
            let out = Measure.render(&synth, frames: Self.rate / 4).left
            return Measure.rms(out, 4800..<12000)
        }
        let quieter = try level([.controlChange(channel: 9, controller: 99, value: 0x1A),
                                 .controlChange(channel: 9, controller: 98, value: 69),
                                 .controlChange(channel: 9, controller: 6, value: 64)])
        let ratio = 20 * log10(try quieter / level([]))
        #expect(abs(ratio - 20 * log10(64.0 / 127)) < 0.1, "\(ratio) dB")
    }

    /// GS NRPN cutoff (MSB 1, LSB 0x20): 0 closes the filter by 4800 cents, dulling a bright tone.
    @Test func gsCutoffNRPN() throws {
        func highShare(_ messages: [MidiMessage]) throws -> Double {
            var synth = try Synthesizer(soundFont: VelocityBrightnessTests.brightFont())
            Measure.send(&synth, messages)
            synth.send(.noteOn(channel: 0, key: 69, velocity: 127))
            let out = Measure.render(&synth, frames: Self.rate / 2).left
            return Measure.amplitude(out, at: 440 * 20, 4800..<24000, sampleRate: Self.rate)
                / Measure.amplitude(out, at: 440, 4800..<24000, sampleRate: Self.rate)
        }
        let open = try highShare([])
        let closed = try highShare([.controlChange(channel: 0, controller: 99, value: 1),
                                    .controlChange(channel: 0, controller: 98, value: 0x20),
                                    .controlChange(channel: 0, controller: 6, value: 0)])
        #expect(20 * log10(closed / open) < -20, "20th harmonic \(20 * log10(closed / open)) dB")
    }
}

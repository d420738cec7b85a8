import Glibc
import Testing
@testable import AttaccaCore

/// Portamento (CC5/CC37 time, CC65 switch, CC84 control key) and mono mode (CC126/CC127),
/// measured on the output's pitch and level.
@Suite struct PortamentoTests {
    static let rate = 48000

    /// Portamento time in ms as FluidSynth reads it: CC5 × 128 + CC37.
    static func portamentoTime(channel: Int = 0, milliseconds: Int) -> [MidiMessage] {
        [.controlChange(channel: channel, controller: 5, value: milliseconds >> 7),
         .controlChange(channel: channel, controller: 37, value: milliseconds & 127)]
    }

    /// Frequency in a window of `seconds` ± 20 ms.
    static func pitch(_ signal: [Float], at seconds: Double) -> Double {
        let centre = Int(seconds * Double(rate))
        return Measure.frequency(signal, sampleRate: rate, in: (centre - 960)..<(centre + 960))
    }

    static func cents(_ frequency: Double, from reference: Double) -> Double { 1200 * log2(frequency / reference) }

    /// Legato (mono mode, the old note still down): the pitch glides from A3 to A4 over 500 ms,
    /// linearly in cents as FluidSynth's pitch offset, then stays at A4.
    @Test func monoLegatoGlides() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        Measure.send(&synth, [.controlChange(channel: 0, controller: 126, value: 1),
                              .controlChange(channel: 0, controller: 65, value: 127)] + Self.portamentoTime(milliseconds: 500))
        synth.send(.noteOn(channel: 0, key: 57, velocity: 100))
        _ = Measure.render(&synth, frames: Self.rate / 5)
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let out = Measure.render(&synth, frames: Self.rate).left
        let start = Self.cents(Self.pitch(out, at: 0.03), from: 220)
        let middle = Self.cents(Self.pitch(out, at: 0.25), from: 220)
        let end = Self.cents(Self.pitch(out, at: 0.8), from: 220)
        #expect(start < 150, "start \(start) cents above A3")
        #expect(abs(middle - 600) < 60, "middle \(middle) cents above A3, expected 600")
        #expect(abs(end - 1200) < 2, "end \(end) cents above A3")
    }

    /// Polyphonic, portamento mode legato-only (FluidSynth's default): a note struck while the
    /// previous one is down glides; struck after it was released, it does not.
    @Test func polyGlidesOnlyWhenLegato() throws {
        for legato in [true, false] {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440())
            Measure.send(&synth, [.controlChange(channel: 0, controller: 65, value: 127)] + Self.portamentoTime(milliseconds: 400))
            synth.send(.noteOn(channel: 0, key: 57, velocity: 100))
            _ = Measure.render(&synth, frames: Self.rate / 5)
            if !legato {
                synth.send(.noteOff(channel: 0, key: 57))
                _ = Measure.render(&synth, frames: Self.rate / 10)
            }
            synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
            synth.send(.noteOff(channel: 0, key: 57))
            let out = Measure.render(&synth, frames: Self.rate).left
            let middle = Self.cents(Self.pitch(out, at: 0.2), from: 220)
            if legato {
                #expect(abs(middle - 600) < 60, "legato: \(middle) cents above A3 at 0.2 s")
            } else {
                #expect(abs(middle - 1200) < 2, "staccato: \(middle) cents above A3 at 0.2 s")
            }
        }
    }

    /// The other portamento modes: each note glides whether the previous one is down or not;
    /// staccato-only glides only after a release.
    @Test func eachNoteAndStaccatoOnlyModes() throws {
        for mode in [PortamentoMode.eachNote, .staccatoOnly] {
            for legato in [true, false] {
                var synth = try Synthesizer(soundFont: TestSoundFont.a440(), settings: SynthesizerSettings(portamentoMode: mode))
                Measure.send(&synth, [.controlChange(channel: 0, controller: 65, value: 127)] + Self.portamentoTime(milliseconds: 400))
                synth.send(.noteOn(channel: 0, key: 57, velocity: 100))
                _ = Measure.render(&synth, frames: Self.rate / 5)
                if !legato { synth.send(.noteOff(channel: 0, key: 57)) }
                synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
                synth.send(.noteOff(channel: 0, key: 57))
                let out = Measure.render(&synth, frames: Self.rate / 2).left
                let middle = Self.cents(Self.pitch(out, at: 0.2), from: 220)
                let glides = mode == .eachNote || !legato
                #expect(abs(middle - (glides ? 600 : 1200)) < (glides ? 60 : 2), "\(mode), legato \(legato): \(middle) cents")
            }
        }
    }

    /// Legato modes: multi-retrigger carries the held note's voice on as the new key; retrigger
    /// releases it and starts a new voice. Both glide.
    @Test func legatoModes() throws {
        for mode in [LegatoMode.multiRetrigger, .retrigger] {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440(), settings: SynthesizerSettings(legatoMode: mode))
            Measure.send(&synth, [.controlChange(channel: 0, controller: 126, value: 1),
                                  .controlChange(channel: 0, controller: 65, value: 127)] + Self.portamentoTime(milliseconds: 400))
            synth.send(.noteOn(channel: 0, key: 57, velocity: 100))
            _ = Measure.render(&synth, frames: Self.rate / 5)
            synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
            let voices = synth.voiceSnapshots
            let out = Measure.render(&synth, frames: Self.rate / 2).left
            #expect(abs(Self.cents(Self.pitch(out, at: 0.2), from: 220) - 600) < 60)
            if mode == .multiRetrigger {
                #expect(voices.count == 1 && voices[0].key == 69 && !voices[0].isReleased)
            } else {
                #expect(voices.count == 2 && voices.contains { $0.key == 57 && $0.isReleased }
                        && voices.contains { $0.key == 69 && !$0.isReleased })
            }
        }
    }

    /// A legato note louder than the held one (multi-retrigger) starts from the held note's
    /// level and rises through the attack to its own: no jump in level at the change.
    @Test func legatoLevelIsContinuous() throws {
        let font = TestSoundFont.a440(instrumentGenerators: [(.attackVolEnv, -1200)])  // 0.5 s attack
        var synth = try Synthesizer(soundFont: font)
        synth.send(.controlChange(channel: 0, controller: 126, value: 1))
        synth.send(.noteOn(channel: 0, key: 57, velocity: 50))
        let before = Measure.render(&synth, frames: Self.rate).left
        synth.send(.noteOn(channel: 0, key: 69, velocity: 127))
        let after = Measure.render(&synth, frames: Self.rate).left
        let held = Measure.rms(before, (Self.rate - 480)..<Self.rate)
        let start = Measure.rms(after, 0..<480)
        let end = Measure.rms(after, (Self.rate - 480)..<Self.rate)
        #expect(abs(20 * log10(start / held)) < 1, "change: \(20 * log10(start / held)) dB")
        #expect(20 * log10(end / held) > 6, "rise: \(20 * log10(end / held)) dB")
    }

    /// CC84 (portamento control) names the key the next note glides from, once, even with the
    /// portamento pedal up.
    @Test func portamentoControlKey() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        Measure.send(&synth, Self.portamentoTime(milliseconds: 300) + [.controlChange(channel: 0, controller: 84, value: 81)])
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let out = Measure.render(&synth, frames: Self.rate / 2).left
        let start = Self.cents(Self.pitch(out, at: 0.03), from: 440)
        let middle = Self.cents(Self.pitch(out, at: 0.15), from: 440)
        #expect(start > 1000, "start \(start) cents above A4 (from A5)")
        #expect(abs(middle - 600) < 60, "middle \(middle) cents")
        synth.send(.noteOff(channel: 0, key: 69))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))  // used once: no glide now
        let again = Measure.render(&synth, frames: Self.rate / 5).left
        #expect(abs(Self.cents(Self.pitch(again, at: 0.05), from: 440)) < 2)
    }

    /// Mono mode: the note held when a new one starts is silenced (its pitch gone by more than
    /// 30 dB) and comes back when the new one is released; poly mode keeps both.
    @Test func monoSilencesTheHeldNote() throws {
        for mono in [true, false] {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440())
            if mono { synth.send(.controlChange(channel: 0, controller: 126, value: 1)) }
            synth.send(.noteOn(channel: 0, key: 57, velocity: 100))
            let before = Measure.render(&synth, frames: Self.rate / 5).left
            let held = Measure.amplitude(before, at: 220, 4800..<9600, sampleRate: Self.rate)
            synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
            let after = Measure.render(&synth, frames: Self.rate / 5).left
            let remaining = Measure.amplitude(after, at: 220, 4800..<9600, sampleRate: Self.rate)
            let drop = 20 * log10(remaining / held)
            if mono {
                #expect(drop < -30, "mono: held note at \(drop) dB")
                #expect(abs(Self.pitch(after, at: 0.15) - 440) < 1)
                synth.send(.noteOff(channel: 0, key: 69))
                let back = Measure.render(&synth, frames: Self.rate / 5).left
                #expect(abs(Self.pitch(back, at: 0.1) - 220) < 0.5, "back to the held A3")
            } else {
                #expect(drop > -3, "poly: held note at \(drop) dB")
            }
        }
    }

    /// CC127 returns the channel to polyphony.
    @Test func polyOnEndsMonoMode() throws {
        var synth = try Synthesizer(soundFont: TestSoundFont.a440())
        synth.send(.controlChange(channel: 0, controller: 126, value: 1))
        synth.send(.controlChange(channel: 0, controller: 127, value: 0))
        synth.send(.noteOn(channel: 0, key: 57, velocity: 100))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let out = Measure.render(&synth, frames: Self.rate / 5).left
        #expect(Measure.amplitude(out, at: 220, 4800..<9600, sampleRate: Self.rate) > 0.05)
        #expect(Measure.amplitude(out, at: 440, 4800..<9600, sampleRate: Self.rate) > 0.05)
    }
}

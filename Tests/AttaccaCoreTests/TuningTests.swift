import Glibc
import Testing
@testable import AttaccaCore

/// Pitch: a rendered note measures the frequency the SF2 pitch rules give.
@Suite struct TuningTests {
    func measure(_ font: SoundFont, key: Int, messages: [MidiMessage] = [], sampleRate: Int = 48000,
                 pitchArithmetic: SynthesizerSettings.PitchArithmetic = .exact) throws -> Double {
        var synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(sampleRate: sampleRate, pitchArithmetic: pitchArithmetic))
        for message in messages { synth.send(message) }
        synth.send(.noteOn(channel: 0, key: key, velocity: 100))
        let out = Measure.render(&synth, frames: sampleRate * 2)
        return Measure.frequency(out.left, sampleRate: sampleRate, from: sampleRate / 10)
    }

    @Test func a4MeasuresA440() throws {
        let f = try measure(TestSoundFont.a440(), key: 69)
        #expect(abs(f - 440) < 0.1, "measured \(f)")
    }

    @Test func a4At44100() throws {
        let f = try measure(TestSoundFont.a440(), key: 69, sampleRate: 44100)
        #expect(abs(f - 440) < 0.1, "measured \(f)")
    }

    @Test func octaveAndFifthFollowEqualTemperament() throws {
        let font = TestSoundFont.a440()
        let up = try measure(font, key: 81)
        #expect(abs(up - 880) < 0.2, "measured \(up)")
        let fifth = try measure(font, key: 76)  // E5 = 440 * 2^(7/12)
        let expected = 440 * pow(2, 7.0 / 12)
        #expect(abs(fifth - expected) < 0.1, "measured \(fifth), expected \(expected)")
    }

    /// A 220 Hz sample at 22 kHz with root key 57 plays A4 at 440 Hz.
    @Test func differentSampleRateAndRootKey() throws {
        let wave = TestSoundFont.cosine(period: 100, cycles: 20)
        let font = TestSoundFont.make(sample: wave, sampleRate: 22000, originalPitch: 57, loop: 0..<wave.count)
        let f = try measure(font, key: 69)
        #expect(abs(f - 440) < 0.1, "measured \(f)")
    }

    /// A sample 10 cents flat (437.47 Hz) with pitch correction +10 plays 440 Hz.
    @Test func pitchCorrection() throws {
        let wave = TestSoundFont.cosine(period: 100, cycles: 20)
        let font = TestSoundFont.make(sample: wave, sampleRate: 43747, originalPitch: 69, pitchCorrection: 10,
                                      loop: 0..<wave.count)
        let f = try measure(font, key: 69)
        let expected = 437.47 * pow(2, 10.0 / 1200)
        #expect(abs(f - expected) < 0.1, "measured \(f), expected \(expected)")
        #expect(abs(f - 440) < 0.1)
    }

    @Test func overridingRootKeyAndTuneGenerators() throws {
        // Root overridden to 57: key 69 plays an octave above the recorded 440 Hz.
        let f1 = try measure(TestSoundFont.a440(instrumentGenerators: [(.overridingRootKey, 57)]), key: 69)
        #expect(abs(f1 - 880) < 0.2, "measured \(f1)")
        // coarse -12, fine +50 cents.
        let f2 = try measure(TestSoundFont.a440(instrumentGenerators: [(.coarseTune, -12), (.fineTune, 50)]), key: 69)
        let expected = 220 * pow(2, 50.0 / 1200)
        #expect(abs(f2 - expected) < 0.1, "measured \(f2), expected \(expected)")
        // scaleTuning 50: one key up is 50 cents.
        let f3 = try measure(TestSoundFont.a440(instrumentGenerators: [(.scaleTuning, 50)]), key: 81)
        #expect(abs(f3 - 440 * pow(2, 600.0 / 1200)) < 0.1, "measured \(f3)")
    }

    @Test func pitchBendUsesRpnRange() throws {
        let font = TestSoundFont.a440()
        // Default range 2 semitones, full up bend (16383 is 8191/8192 of the range).
        let up = try measure(font, key: 69, messages: [.pitchBend(channel: 0, value: 16383)])
        let expectedUp = 440 * pow(2, 200.0 * (8191.0 / 8192.0) / 1200)
        #expect(abs(up - expectedUp) < 0.1, "measured \(up), expected \(expectedUp)")
        // RPN 0 = 12 semitones, bend down fully: one octave down.
        let rpn: [MidiMessage] = [
            .controlChange(channel: 0, controller: 101, value: 0), .controlChange(channel: 0, controller: 100, value: 0),
            .controlChange(channel: 0, controller: 6, value: 12), .controlChange(channel: 0, controller: 38, value: 0),
            .controlChange(channel: 0, controller: 101, value: 127), .controlChange(channel: 0, controller: 100, value: 127),
            .pitchBend(channel: 0, value: 0),
        ]
        let down = try measure(font, key: 69, messages: rpn)
        #expect(abs(down - 220) < 0.1, "measured \(down)")
    }

    /// FluidSynth's pitch arithmetic: sensitivity / 128, then the pitch truncated to whole cents.
    /// 12 semitones, full up bend: 12700 × 12/128 × 8191/8192 = 1190.48 cents, 8090.48 in all,
    /// played as 8090 cents: 874.97 Hz (untruncated 875.21 Hz; exact semitones 879.94 Hz).
    @Test func fluidSynthPitchArithmetic() throws {
        let messages: [MidiMessage] = [
            .controlChange(channel: 0, controller: 101, value: 0), .controlChange(channel: 0, controller: 100, value: 0),
            .controlChange(channel: 0, controller: 6, value: 12), .controlChange(channel: 0, controller: 38, value: 0),
            .pitchBend(channel: 0, value: 16383),
        ]
        let font = TestSoundFont.a440()
        let fluid = try measure(font, key: 69, messages: messages, pitchArithmetic: .fluidSynth)
        #expect(abs(fluid - 440 * pow(2, 1190.0 / 1200)) < 0.1, "measured \(fluid)")
        let exact = try measure(font, key: 69, messages: messages)
        #expect(abs(exact - 440 * pow(2, 1200 * (8191.0 / 8192) / 1200)) < 0.1, "measured \(exact)")
        // Whole-cent pitches are the same either way.
        #expect(abs(try measure(font, key: 76, pitchArithmetic: .fluidSynth) - 440 * pow(2, 7.0 / 12)) < 0.1)
    }

    @Test func rpnCoarseAndFineTuning() throws {
        let font = TestSoundFont.a440()
        let messages: [MidiMessage] = [
            .controlChange(channel: 0, controller: 101, value: 0), .controlChange(channel: 0, controller: 100, value: 2),
            .controlChange(channel: 0, controller: 6, value: 64 + 3),  // +3 semitones
            .controlChange(channel: 0, controller: 100, value: 1),
            .controlChange(channel: 0, controller: 6, value: 96), .controlChange(channel: 0, controller: 38, value: 0),  // +50 cents
        ]
        let f = try measure(font, key: 69, messages: messages)
        let expected = 440 * pow(2, 350.0 / 1200)
        #expect(abs(f - expected) < 0.1, "measured \(f), expected \(expected)")
    }
}

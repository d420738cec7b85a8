import Glibc
import Testing
@testable import AttaccaCore

/// Volume envelope stage times against the SF2 formulas: a stage of `tc` timecents lasts
/// 2^(tc/1200) s; attack is linear in amplitude; decay and release move 96 dB (FluidSynth's
/// full scale) per decay/release time; sustain is (1 - cB/1000) of that scale.
@Suite struct VolumeEnvelopeTests {
    static let rate = 48000

    /// Timecents for `seconds`.
    static func tc(_ seconds: Double) -> Int16 { Int16((1200 * log2(seconds)).rounded()) }

    /// Renders a constant sample through the envelope; returns the left channel.
    func envelope(_ generators: [(GeneratorType, Int16)], key: Int = 60, seconds: Double,
                  noteOffAt: Double? = nil) throws -> (signal: [Float], voicesAtEnd: Int) {
        let font = TestSoundFont.make(sample: TestSoundFont.constant(16384, count: 1000), sampleRate: 48000,
                                      originalPitch: 60, loop: 100..<900, instrumentGenerators: generators)
        var synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(sampleRate: Self.rate))
        synth.send(.noteOn(channel: 0, key: key, velocity: 127))
        let total = Int(seconds * Double(Self.rate))
        var signal: [Float] = []
        if let noteOffAt {
            let first = Int(noteOffAt * Double(Self.rate))
            signal = Measure.render(&synth, frames: first).left
            synth.send(.noteOff(channel: 0, key: key))
            signal += Measure.render(&synth, frames: total - first).left
        } else {
            signal = Measure.render(&synth, frames: total).left
        }
        return (signal, synth.activeVoiceCount)
    }

    func seconds(_ t: Double) -> Int { Int(t * Double(Self.rate)) }

    func decibels(_ value: Float, _ reference: Float) -> Double { 20 * log10(Double(abs(value) / reference)) }

    @Test func attackIsLinearAndHoldKeepsPeak() throws {
        let (s, _) = try envelope([(.attackVolEnv, Self.tc(0.1)), (.holdVolEnv, Self.tc(0.2)),
                                   (.decayVolEnv, Self.tc(1)), (.sustainVolEnv, 600)], seconds: 0.35)
        let peak = Measure.peak(s, seconds(0.1)..<seconds(0.3))
        #expect(peak > 0.1)
        // Halfway through the attack the amplitude is half the peak (attack linear in amplitude).
        let half = abs(s[seconds(0.05)]) / peak
        #expect(abs(half - 0.5) < 0.015, "at 50 ms: \(half)")
        // The peak is reached 100 ms in (within one 64-frame sub-block).
        let reached = s.firstIndex { abs($0) >= 0.999 * peak }!
        #expect(abs(reached - seconds(0.1)) <= 64, "peak at frame \(reached)")
        // Hold: still at peak until 300 ms.
        #expect(abs(s[seconds(0.295)]) >= 0.999 * peak)
    }

    @Test func decayFallsToSustain() throws {
        // Decay 1 s (96 dB per second), sustain 600 cB: 0.6 s of decay down to -57.6 dB.
        let (s, voices) = try envelope([(.decayVolEnv, 0), (.sustainVolEnv, 600)], seconds: 1.2)
        let peak = Measure.peak(s, 0..<seconds(0.002))
        let at100ms = decibels(s[seconds(0.1)], peak)
        #expect(abs(at100ms - -9.6) < 0.2, "at 100 ms: \(at100ms) dB")
        let at300ms = decibels(s[seconds(0.3)], peak)
        #expect(abs(at300ms - -28.8) < 0.2, "at 300 ms: \(at300ms) dB")
        let sustain = decibels(s[seconds(1.0)], peak)
        #expect(abs(sustain - -57.6) < 0.1, "sustain: \(sustain) dB")
        let later = decibels(s[seconds(1.19)], peak)
        #expect(abs(later - sustain) < 0.01)
        #expect(voices == 1)
    }

    @Test func keynumToVolEnvDecayScalesDecayTime() throws {
        // 100 tc per key: key 72 is 12 keys above 60, so the decay takes 2^-1 as long.
        let (s, _) = try envelope([(.decayVolEnv, 0), (.sustainVolEnv, 1000), (.keynumToVolEnvDecay, 100)],
                                  key: 72, seconds: 0.2)
        let peak = Measure.peak(s, 0..<seconds(0.002))
        let at100ms = decibels(s[seconds(0.1)], peak)
        #expect(abs(at100ms - -19.2) < 0.3, "at 100 ms: \(at100ms) dB")
    }

    @Test func releaseFallsFromCurrentLevelAndEndsTheVoice() throws {
        // Release 1 s: 96 dB per second from wherever the envelope is.
        let (s, voices) = try envelope([(.releaseVolEnv, 0)], seconds: 1.1, noteOffAt: 0.1)
        let peak = Measure.peak(s, seconds(0.05)..<seconds(0.1))
        let after250 = decibels(s[seconds(0.35)], peak)
        #expect(abs(after250 - -24) < 0.3, "250 ms into release: \(after250) dB")
        #expect(voices == 0)
        let (_, stillOn) = try envelope([(.releaseVolEnv, 0)], seconds: 0.8, noteOffAt: 0.1)
        #expect(stillOn == 1)
    }

    @Test func releaseDuringAttackContinuesFromSameAmplitude() throws {
        let (s, _) = try envelope([(.attackVolEnv, Self.tc(0.2)), (.releaseVolEnv, 0)], seconds: 0.2, noteOffAt: 0.1)
        let before = abs(s[seconds(0.1) - 1]), after = abs(s[seconds(0.1) + 64])
        #expect(before > 0)
        let jump = 20 * log10(Double(after / before))
        // One sub-block of release is 64/48000 s × 96 dB/s = 0.128 dB; no jump beyond that.
        #expect(abs(jump) < 0.3, "level change across note-off: \(jump) dB")
    }

    @Test func delayKeepsSilence() throws {
        let (s, _) = try envelope([(.delayVolEnv, Self.tc(0.05))], seconds: 0.1)
        #expect(Measure.peak(s, 0..<seconds(0.05) - 64) == 0)
        #expect(Measure.peak(s, seconds(0.06)..<seconds(0.1)) > 0.1)
    }
}

import Glibc
import Testing
@testable import AttaccaCore

/// Modulation envelope and vibrato LFO acting on pitch.
@Suite struct PitchModulationTests {
    /// Zero-crossing periods converted to frequencies.
    func instantaneousFrequencies(_ signal: [Float], from: Int) -> [Double] {
        var crossings: [Double] = []
        for i in max(from, 1)..<signal.count where signal[i - 1] < 0 && signal[i] >= 0 {
            let a = Double(signal[i - 1]), b = Double(signal[i])
            crossings.append(Double(i - 1) - a / (b - a))
        }
        return zip(crossings, crossings.dropFirst()).map { 48000 / ($1 - $0) }
    }

    @Test func modulationEnvelopeRaisesPitch() throws {
        // Mod env at full level (instant attack, long hold) × 1200 cents: one octave up.
        let font = TestSoundFont.a440(instrumentGenerators: [(.modEnvToPitch, 1200), (.holdModEnv, 2400)])
        var synth = try Synthesizer(soundFont: font)
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let out = Measure.render(&synth, frames: 48000).left
        let f = Measure.frequency(out, sampleRate: 48000, from: 4800)
        #expect(abs(f - 880) < 0.2, "measured \(f)")
    }

    @Test func vibratoSwingsByItsDepth() throws {
        // 1 Hz triangle, ±100 cents.
        let frequencyCents = Int16((1200 * log2(1 / 8.175798915643707)).rounded())
        let font = TestSoundFont.a440(instrumentGenerators: [(.vibLfoToPitch, 100), (.freqVibLFO, frequencyCents)])
        var synth = try Synthesizer(soundFont: font)
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let out = Measure.render(&synth, frames: 96000).left
        let f = instantaneousFrequencies(out, from: 0)
        let high = f.max()!, low = f.min()!
        #expect(abs(high - 440 * pow(2, 100.0 / 1200)) < 1.5, "max \(high)")
        #expect(abs(low - 440 * pow(2, -100.0 / 1200)) < 1.5, "min \(low)")
        // Over whole LFO periods the average pitch stays near 440 Hz.
        let mean = Measure.frequency(out, sampleRate: 48000, from: 0)
        #expect(abs(mean - 440) < 2, "mean \(mean)")
    }

    @Test func modWheelAddsVibratoThroughDefaultModulator() throws {
        // CC1 = 127 adds 50 × 127/128 cents of vibrato depth (default modulator).
        let frequencyCents = Int16((1200 * log2(2 / 8.175798915643707)).rounded())
        let font = TestSoundFont.a440(instrumentGenerators: [(.freqVibLFO, frequencyCents)])
        var synth = try Synthesizer(soundFont: font)
        synth.send(.controlChange(channel: 0, controller: 1, value: 127))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let f = instantaneousFrequencies(Measure.render(&synth, frames: 48000).left, from: 0)
        let depth = 50.0 * 127 / 128
        #expect(abs(f.max()! - 440 * pow(2, depth / 1200)) < 1.5, "max \(f.max()!)")
        var plain = try Synthesizer(soundFont: font)
        plain.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let g = instantaneousFrequencies(Measure.render(&plain, frames: 48000).left, from: 0)
        #expect(g.max()! - g.min()! < 0.5)
    }

    /// The mean of the instantaneous frequencies whose periods start within `window` (seconds).
    func frequency(_ signal: [Float], around time: Double, window: Double = 0.01) -> Double {
        let from = Int((time - window / 2) * 48000)
        let f = instantaneousFrequencies(Array(signal[from..<(from + Int(window * 48000))]), from: 0)
        return f.reduce(0, +) / Double(f.count)
    }

    /// SF2 2.04 §8.1.2 #26: the modulation envelope's attack is convex, "nominally such that when
    /// applied to a decibel or semitone parameter, the result is linear in amplitude or Hz". Halfway
    /// through a 2 s attack on 1200 cents of pitch the curve is at 1 + (5/12)·log10(0.5) = 0.8746
    /// (FluidSynth's convex table), 1049.5 cents: 812 Hz where a linear attack gives 622 Hz.
    @Test func modulationEnvelopeAttackIsConvex() throws {
        let font = TestSoundFont.a440(instrumentGenerators: [(.modEnvToPitch, 1200), (.attackModEnv, 1200), (.holdModEnv, 2400)])
        var synth = try Synthesizer(soundFont: font)
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let out = Measure.render(&synth, frames: 60000).left
        let expected = 440 * pow(2, 1200 * (1 + 5.0 / 12 * log10(0.5)) / 1200)
        let measured = frequency(out, around: 1.0)
        #expect(abs(measured - expected) < 3, "measured \(measured), expected \(expected)")
    }

    /// A note released during the modulation envelope's attack goes on from the pitch the convex
    /// curve had reached, not from the linear value under it (which would drop 450 cents here).
    @Test func releaseDuringModulationAttackKeepsThePitch() throws {
        let font = TestSoundFont.a440(instrumentGenerators: [
            (.modEnvToPitch, 1200), (.attackModEnv, 1200), (.releaseModEnv, 2400), (.releaseVolEnv, 2400)])
        var synth = try Synthesizer(soundFont: font)
        synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
        let before = Measure.render(&synth, frames: 48000).left
        synth.send(.noteOff(channel: 0, key: 69))
        let after = Measure.render(&synth, frames: 4800).left
        let last = frequency(before, around: 0.995), first = frequency(after, around: 0.005)
        #expect(abs(first - last) < 10, "before \(last) Hz, after \(first) Hz")
        #expect(last > 780)
    }

    /// -12000 timecents, the SF2 default LFO delay, is 2^-10 s (47 frames at 48 kHz), not no delay:
    /// SF2 2.04 §8.1.3 gives no instant value below it, and FluidSynth holds its LFOs for 46 frames.
    @Test func lfoDelayAtItsMinimumIsAMillisecond() throws {
        for generators in [[(GeneratorType, Int16)](), [(.delayVibLFO, -12000), (.delayModLFO, -12000)],
                           [(.delayVibLFO, -32768), (.delayModLFO, -32768)]] {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440(instrumentGenerators: generators))
            synth.send(.noteOn(channel: 0, key: 69, velocity: 100))
            let voices = synth.pool.voices
            var found = false
            for i in 0..<synth.pool.capacity where voices[i].isActive {
                #expect(voices[i].vibLfo.delayRemaining == 47, "\(generators)")
                #expect(voices[i].modLfo.delayRemaining == 47, "\(generators)")
                found = true
            }
            #expect(found)
        }
        var delayed = try Synthesizer(soundFont: TestSoundFont.a440(instrumentGenerators: [(.delayVibLFO, 0)]))
        delayed.send(.noteOn(channel: 0, key: 69, velocity: 100))
        for i in 0..<delayed.pool.capacity where delayed.pool.voices[i].isActive {
            #expect(delayed.pool.voices[i].vibLfo.delayRemaining == 48000)
        }
    }
}

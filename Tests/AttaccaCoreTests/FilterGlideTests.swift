import Glibc
import Testing
@testable import AttaccaCore

/// A filter whose cutoff moves glides its coefficients across each sub-block. In steps it would
/// modulate what it filters at the step rate: sidebands at multiples of rate / steps around every
/// partial (gliding in four steps a sub-block put them 94 dB below the partial, at multiples of
/// 3 kHz, on FluidR3's "Echo Drops"). FluidSynth glides frame by frame; the native engine does so
/// for voices filtered alone or in pairs and once every four frames in the four-voice groups.
@Suite struct FilterGlideTests {
    /// Level (dB) of `signal` at `frequency` against its level at 440 Hz: Hann-windowed DFT bins.
    static func relativeLevel(_ signal: ArraySlice<Float>, at frequency: Double, rate: Double) -> Double {
        func power(_ f: Double) -> Double {
            var re = 0.0, im = 0.0
            let n = signal.count
            for (k, x) in signal.enumerated() {
                let w = 0.5 - 0.5 * cos(2 * Double.pi * Double(k) / Double(n))
                let phase = 2 * Double.pi * f * Double(k) / rate
                re += Double(x) * w * cos(phase)
                im -= Double(x) * w * sin(phase)
            }
            return re * re + im * im
        }
        return 10 * log10(max(power(frequency), 1e-300) / power(440))
    }

    /// A4 (a 440 Hz cosine) under a cutoff that the modulation envelope sweeps for seconds, on one
    /// voice or four (one per channel, so the four-voice group runs): nothing at 3 kHz ± 440 Hz or
    /// 6 kHz ± 440 Hz, where four steps a sub-block put their sidebands.
    @Test(arguments: [1, 4])
    func aSweepingFilterLeavesNoSidebands(voices: Int) throws {
        let font = TestSoundFont.a440(instrumentGenerators: [
            (.initialFilterFc, 11000), (.modEnvToFilterFc, 2400), (.decayModEnv, 2400), (.sustainModEnv, 1000)])
        var synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(sampleRate: 48000).withoutEffects)
        for channel in 0..<voices { synth.send(.noteOn(channel: channel, key: 69, velocity: 127)) }
        let out = Measure.render(&synth, frames: 24000).left
        let window = out[4800..<(4800 + 16384)]
        for sideband in [2560.0, 3440, 5560, 6440] {
            let level = Self.relativeLevel(window, at: sideband, rate: 48000)
            #expect(level < -125, "\(voices) voices: \(sideband) Hz at \(level) dB")
        }
    }
}

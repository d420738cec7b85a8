import Glibc
import Testing
@testable import AttaccaCore

/// Voices whose low-pass is fully open and cannot move skip their own biquad and mix their
/// samples × the filter's passband gain into the open bus, which runs that biquad once for all of
/// them (LowPassFilter's documentation).
@Suite struct FilterBypassTests {
    /// Whether the first sounding voice bypasses its filter after one block of `font`'s A4.
    func bypassed(_ font: SoundFont, sampleRate: Int = 48000) throws -> Bool {
        var synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(sampleRate: sampleRate))
        synth.send(.noteOn(channel: 0, key: 69, velocity: 127))
        _ = Measure.render(&synth, frames: 256)
        let voices = synth.pool.voices
        for i in 0..<synth.pool.capacity where voices[i].isActive { return voices[i].filter.isBypassed }
        Issue.record("no voice sounds")
        return false
    }

    @Test func onlyOpenStaticFiltersAreBypassed() throws {
        #expect(try bypassed(TestSoundFont.a440()))
        #expect(try bypassed(TestSoundFont.a440(), sampleRate: 44100))
        #expect(try !bypassed(TestSoundFont.a440(), sampleRate: 32000))
        #expect(try bypassed(TestSoundFont.a440(), sampleRate: 96000))  // the open bus filters at 19.9 kHz there
        #expect(try !bypassed(TestSoundFont.a440(instrumentGenerators: [(.initialFilterFc, 13000)])))
        #expect(try !bypassed(TestSoundFont.a440(instrumentGenerators: [(.initialFilterQ, 30)])))
        #expect(try !bypassed(TestSoundFont.a440(instrumentGenerators: [(.modLfoToFilterFc, 1)])))
        #expect(try !bypassed(TestSoundFont.a440(instrumentGenerators: [(.modEnvToFilterFc, -100)])))
    }

    /// The bypassed voice against the same voice with its own biquad running (a 1-cent LFO on the
    /// cutoff keeps it from being bypassed): the open bus runs the same biquad, so the two agree to
    /// float rounding, phase delay included (FluidSynth runs it on every voice). Skipping the
    /// biquad altogether left the phase delay (about 0.2 sample at 440 Hz: 1 % of the peak) and
    /// everything near Nyquist, where the biquad has its zero.
    @Test(arguments: [44100, 48000, 96000])
    func bypassSoundsLikeTheOpenBiquad(sampleRate: Int) throws {
        func render(_ generators: [(GeneratorType, Int16)]) throws -> [Float] {
            var synth = try Synthesizer(soundFont: TestSoundFont.a440(instrumentGenerators: generators),
                                        settings: SynthesizerSettings(sampleRate: sampleRate))
            synth.send(.noteOn(channel: 0, key: 69, velocity: 127))
            return Measure.render(&synth, frames: 9600).left
        }
        let open = try render([]), filtered = try render([(.modLfoToFilterFc, 1)])
        func rms(_ x: [Float]) -> Double { (x[4800...].reduce(0.0) { $0 + Double($1) * Double($1) } / 4800).squareRoot() }
        let peak = Measure.peak(filtered, 4800..<9600)
        let worst = (4800..<9600).map { abs(open[$0] - filtered[$0]) }.max()!
        #expect(peak > 0.1)
        #expect(abs(20 * log10(rms(open) / rms(filtered))) < 0.01, "levels \(rms(open)) vs \(rms(filtered))")
        #expect(worst < peak * 0.0005, "difference \(worst) of \(peak)")
    }

    /// A controller closes the filter of a bypassed voice: its own biquad starts from silence while
    /// the open bus rings out its past, and the two sound like a biquad that ran all along (kept
    /// running by a 1-cent LFO on the cutoff): no jump of their own.
    @Test func resumingTheBiquadDoesNotJump() throws {
        // CC74 lowers the cutoff by up to 2400 cents; at 0 the filter is open.
        let brightness = Modulator(source: 0x80 | 74, destination: GeneratorType.initialFilterFc.rawValue,
                                   amount: -2400, amountSource: 0, transform: 0)
        let wave = TestSoundFont.cosine(period: 100, cycles: 20)
        func render(_ generators: [(GeneratorType, Int16)]) throws -> (out: [Float], bypassed: (Bool, Bool)) {
            let font = TestSoundFont.make(sample: wave, sampleRate: 44000, originalPitch: 69, loop: 0..<wave.count,
                                          instrumentGenerators: generators, instrumentModulators: [brightness])
            var synth = try Synthesizer(soundFont: font)
            synth.send(.noteOn(channel: 0, key: 69, velocity: 127))
            var out = Measure.render(&synth, frames: 4800).left
            let voices = synth.pool.voices
            let slot = (0..<synth.pool.capacity).first { voices[$0].isActive }!
            let before = voices[slot].filter.isBypassed
            synth.send(.controlChange(channel: 0, controller: 74, value: 127))
            out += Measure.render(&synth, frames: 4800).left
            return (out, (before, voices[slot].filter.isBypassed))
        }
        let resumed = try render([]), running = try render([(.modLfoToFilterFc, 1)])
        #expect(resumed.bypassed == (true, false))
        #expect(running.bypassed == (false, false))
        let peak = Measure.peak(running.out, 4800..<9600)
        func worst(_ frames: Range<Int>) -> Float { frames.map { abs(resumed.out[$0] - running.out[$0]) }.max()! }
        #expect(peak > 0.1)
        // For the few frames the biquad's memory lasts, the open bus rings the voice's past with
        // the open coefficients where a biquad that ran all along glides them (here the cutoff
        // falls 2400 cents within a sub-block); then the two are the same filter.
        #expect(worst(4800..<4928) < peak * 0.05, "difference \(worst(4800..<4928)) of \(peak)")
        #expect(worst(4928..<9600) < peak * 0.001, "difference \(worst(4928..<9600)) of \(peak)")
    }
}

import Testing
@testable import AttaccaCore

/// Issue 17, class 1: sample and loop offset generators (0-4, 12, 45, 50) and modulators aimed at
/// them, at any value, are clamped as FluidSynth's fluid_rvoice_check_sample_sanity does: inside
/// the sample, start/end and loop points in order. Before, a loop start past the loop end
/// trapped ("Negative value is not representable") in the first rendered block.
@Suite struct SampleOffsetClampTests {
    static let offsetGenerators: [GeneratorType] = [
        .startAddrsOffset, .endAddrsOffset, .startloopAddrsOffset, .endloopAddrsOffset,
        .startAddrsCoarseOffset, .endAddrsCoarseOffset, .startloopAddrsCoarseOffset, .endloopAddrsCoarseOffset,
    ]
    static let extremes: [Int16] = [.min, -32767, -1000, -51, -1, 1, 51, 1000, .max]

    /// One looped 100-point sample (loop 10..<90) inside 146 points of data, one preset.
    func font(instrument: [(GeneratorType, Int16)], presetModulators: [Modulator] = []) throws -> SoundFont {
        var builder = RawSoundFontBuilder()
        builder.samples.append(SampleHeader(name: "T", start: 110, end: 140, loopStart: 115, loopEnd: 135, sampleRate: 22050,
                                            originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 1))
        let generators = instrument.map { ($0.0.rawValue, $0.1) }
        builder.instruments = [.init(name: "i", zones: [
            .init(generators: [(GeneratorType.sampleModes.rawValue, Int16(1))] + generators + [(GeneratorType.sampleID.rawValue, Int16(1))]),
        ])]
        builder.presets = [.init(name: "p", zones: [
            .init(generators: [(GeneratorType.instrument.rawValue, Int16(0))], modulators: presetModulators),
        ])]
        return try SoundFont(bytes: builder.bytes())
    }

    /// Plays key 60 (and 100, fast through the sample) for 0.2 s; returns the output, which must be finite.
    func render(_ font: SoundFont) throws -> [Float] {
        var synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings())
        synth.send(.noteOn(channel: 0, key: 60, velocity: 127))
        synth.send(.noteOn(channel: 0, key: 100, velocity: 100))
        var left = [Float](repeating: 0, count: 9600), right = left
        left.withUnsafeMutableBufferPointer { l in
            right.withUnsafeMutableBufferPointer { r in
                synth.render(left: l.baseAddress!, right: r.baseAddress!, frameCount: 9600)
            }
        }
        return left + right
    }

    @Test(arguments: SampleOffsetClampTests.offsetGenerators)
    func instrumentOffsetAtAnyValuePlays(generator: GeneratorType) throws {
        for value in Self.extremes {
            let output = try render(try font(instrument: [(generator, value)]))
            #expect(output.allSatisfy { $0.isFinite }, "\(generator) = \(value)")
        }
    }

    /// Every pair of a fine and a coarse offset at opposite extremes (a loop start far past the loop end).
    @Test func opposedOffsetsPlay() throws {
        for a in Self.offsetGenerators {
            for b in Self.offsetGenerators where a != b {
                let output = try render(try font(instrument: [(a, .max), (b, .min)]))
                #expect(output.allSatisfy { $0.isFinite }, "\(a) max, \(b) min")
            }
        }
    }

    /// Preset modulators may aim at the offsets (preset generators may not): velocity × 32767.
    @Test(arguments: SampleOffsetClampTests.offsetGenerators)
    func presetModulatorOnOffsetPlays(generator: GeneratorType) throws {
        for amount in [Int16.max, Int16.min] {
            let modulator = Modulator(source: 2 /* note-on velocity */, destination: generator.rawValue, amount: amount,
                                      amountSource: 0, transform: 0)
            let output = try render(try font(instrument: [], presetModulators: [modulator, modulator]))
            #expect(output.allSatisfy { $0.isFinite }, "modulator on \(generator) by \(amount)")
        }
    }

    /// The clamped points, checked against FluidSynth's rule written out here: start/end inside
    /// the sample (110..<140) and swapped if reversed; loop inside them, swapped if reversed.
    @Test func pointsFollowFluidSynthsRule() throws {
        func expected(_ start: Int, _ end: Int, _ loopStart: Int, _ loopEnd: Int) -> (Int, Int, Int, Int) {
            func inside(_ x: Int, _ low: Int, _ high: Int) -> Int { Swift.min(Swift.max(x, low), high) }
            var s = inside(start, 110, 140), e = inside(end, 110, 140)
            if s > e { (s, e) = (e, s) }
            var ls = inside(loopStart, s, e), le = inside(loopEnd, s, e)
            if ls > le { (ls, le) = (le, ls) }
            return (s, e, ls, le)
        }
        let cases: [[(GeneratorType, Int16)]] = [
            [(.startAddrsOffset, 25), (.endAddrsOffset, -25)],   // start 135 past end 115
            [(.startloopAddrsOffset, 22), (.endloopAddrsOffset, -22)],  // loop 137 / 113
            [(.startAddrsCoarseOffset, 1)], [(.endloopAddrsCoarseOffset, -1)], [(.startloopAddrsOffset, -100)],
        ]
        for generators in cases {
            let soundFont = try font(instrument: generators)
            var synth = try Synthesizer(soundFont: soundFont, settings: SynthesizerSettings())
            synth.send(.noteOn(channel: 0, key: 60, velocity: 127))
            let voice = synth.pool.voices[Int(synth.pool.activeSlots[0])]
            func offset(_ fine: GeneratorType, _ coarse: GeneratorType) -> Int {
                var total = 0
                for (type, value) in generators where type == fine { total += Int(value) }
                for (type, value) in generators where type == coarse { total += 32768 * Int(value) }
                return total
            }
            let want = expected(110 + offset(.startAddrsOffset, .startAddrsCoarseOffset),
                                140 + offset(.endAddrsOffset, .endAddrsCoarseOffset),
                                115 + offset(.startloopAddrsOffset, .startloopAddrsCoarseOffset),
                                135 + offset(.endloopAddrsOffset, .endloopAddrsCoarseOffset))
            #expect((voice.start, voice.end, voice.loopStart, voice.loopEnd) == want, "\(generators)")
        }
    }
}

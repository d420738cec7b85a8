import AttaccaAnalysis
import AttaccaAssets
import AttaccaCore
import AttaccaFluid
import Glibc
import Testing

private let timGM = "/usr/share/sounds/sf2/TimGM6mb.sf2"
private let hasTimGM = access(timGM, R_OK) == 0
private let sampleRate = 48000
private let gain: Float = 0.5  // the CLI's default, same for both engines; effects off
/// Seconds rendered of each file. The native engine is slow unoptimized (dense.mid takes minutes
/// in a debug build), so the tests compare the first seconds of each file; `attacca-bench compare`
/// compares whole files in a release build with the same metrics.
private let excerpt = 3.0

/// Where a SoundFont comes from: a file on disk, or the generated default font (written to a
/// temporary file for FluidSynth, which loads only from paths).
enum FontChoice: String, CustomStringConvertible, CaseIterable {
    case timGM6mb, attaccaDefault
    var description: String { rawValue }
}

/// Render comparison (first `excerpt` seconds of each file) of the native engine with the FluidSynth engine (effects off, same gain)
/// on the example MIDI files: envelope correlation (20 ms RMS, dB) and log-spectral distance at
/// equal loudness, with `AudioComparisonSettings()` defaults. The floors are set from measurement
/// (see `floors`); the goals are correlation ≥ 0.97 and distance ≤ 4 dB.
@Suite(.serialized) struct EngineComparisonTests {
    static let examples = ExampleMidiFiles.all()

    /// (minimum envelope correlation, maximum log-spectral distance in dB) per font and file, the
    /// native engine as it plays: the goals (0.97, 4 dB) where the engine meets them,
    /// otherwise a margin beyond what was measured so regressions are caught. dense.mid misses the
    /// distance goal because the native engine starts each note at its own frame and FluidSynth at
    /// its next 64-frame block: notes an octave apart share partials, which add up differently
    /// when the notes start a few frames apart (docs/COMPARISON.md).
    static let floors: [String: (correlation: Double, distance: Double)] = [
        // Measured with velocityToFilterModulator off (FluidSynth makes that default modulator 0).
        "timGM6mb/scale": (0.975, 2.0),           // 0.9796, 1.26 dB
        "timGM6mb/chords-sustain": (0.975, 2.5),  // 0.9838, 1.84 dB
        "timGM6mb/drums": (0.99, 2.6),            // 0.9999, 1.91 dB
        "timGM6mb/dense": (0.97, 5.3),            // 0.9840, 4.71 dB: above the 4 dB goal, by event timing (see likeForLikeFloors)
        "timGM6mb/a440": (0.995, 1.0),            // 1.0000, 0.23 dB
        "attaccaDefault/scale": (0.99, 2.8),      // 0.9974, 2.12 dB
        "attaccaDefault/chords-sustain": (0.99, 3.0),  // 0.9970, 2.30 dB
        "attaccaDefault/drums": (0.99, 3.2),      // 0.9999, 2.53 dB
        "attaccaDefault/dense": (0.97, 6.5),      // 0.9801, 5.51 dB: above the 4 dB goal (as above)
        "attaccaDefault/a440": (0.995, 2.0),      // 1.0000, 1.37 dB
    ]

    /// The same with the native engine given FluidSynth's event timing and pitch arithmetic
    /// (`renderNativeLikeForLike`): every file within the goals, with a margin beyond what
    /// was measured.
    static let likeForLikeFloors: [String: (correlation: Double, distance: Double)] = [
        "timGM6mb/scale": (0.995, 1.0),           // 0.9999, 0.23 dB
        "timGM6mb/chords-sustain": (0.975, 1.7),  // 0.9823, 1.20 dB
        "timGM6mb/drums": (0.995, 1.6),           // 1.0000, 1.11 dB
        "timGM6mb/dense": (0.985, 1.9),           // 0.9948, 1.30 dB
        "timGM6mb/a440": (0.995, 1.0),            // 1.0000, 0.23 dB
        "attaccaDefault/scale": (0.995, 1.7),     // 0.9999, 1.21 dB
        "attaccaDefault/chords-sustain": (0.995, 1.3),  // 0.9999, 0.81 dB
        "attaccaDefault/drums": (0.995, 2.1),     // 0.9996, 1.53 dB
        "attaccaDefault/dense": (0.995, 1.4),     // 0.9999, 0.86 dB
        "attaccaDefault/a440": (0.995, 2.0),      // 1.0000, 1.37 dB
    ]

    /// "dense.mid" → "dense".
    static func stem(_ name: String) -> String { name.hasSuffix(".mid") ? String(name.dropLast(4)) : name }

    /// Loads the font for both engines; nil when TimGM6mb is not installed.
    private static func withFont<R>(_ choice: FontChoice, _ body: (SoundFont, String) throws -> R) throws -> R? {
        switch choice {
        case .timGM6mb:
            guard hasTimGM else { return nil }
            return try body(try SoundFont(path: timGM), timGM)
        case .attaccaDefault:
            let font = DefaultSoundFont.make()
            let folder = TemporaryFolder()
            defer { folder.remove() }
            let path = folder.path + "/Attacca.sf2"
            let bytes = SoundFontWriter.bytes(for: font)
            let file = try #require(fopen(path, "wb"))
            let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
            try #require(written == bytes.count)
            return try body(font, path)
        }
    }

    private static func renderNative(_ font: SoundFont, _ midi: MidiFile) throws -> [[Float]] {
        var synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(sampleRate: sampleRate, gain: gain, velocityToFilterModulator: false).withoutEffects)
        return WholeRender.render(&synth, midiFile: midi, excerpt: excerpt)
    }

    /// The native engine with FluidSynth's event timing and pitch arithmetic: what is left to
    /// differ is the synthesis itself.
    private static func renderNativeLikeForLike(_ font: SoundFont, _ midi: MidiFile) throws -> [[Float]] {
        let synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(
            sampleRate: sampleRate, gain: gain, velocityToFilterModulator: false, pitchArithmetic: .fluidSynth).withoutEffects)
        var quantized = BlockQuantizedEngine(synth)
        return WholeRender.render(&quantized, midiFile: midi, excerpt: excerpt)
    }

    private static func renderFluid(_ path: String, _ midi: MidiFile) throws -> [[Float]] {
        var fluid = try FluidSynthEngine(soundFontPath: path, sampleRate: sampleRate, gain: gain)
        return WholeRender.render(&fluid, midiFile: midi, excerpt: excerpt)
    }

    @Test(arguments: FontChoice.allCases)
    func nativeMatchesFluidSynth(font: FontChoice) throws {
        try Self.compareExamples(font, floors: Self.floors, renderNative: Self.renderNative)
    }

    /// Like for like, every example meets the goals, dense.mid included.
    @Test(arguments: FontChoice.allCases)
    func nativeLikeForLikeMatchesFluidSynth(font: FontChoice) throws {
        try Self.compareExamples(font, floors: Self.likeForLikeFloors, renderNative: Self.renderNativeLikeForLike)
    }

    /// Renders each example with both engines, prints the metrics and checks them against `floors`.
    private static func compareExamples(_ font: FontChoice, floors: [String: (correlation: Double, distance: Double)],
                                        renderNative: (SoundFont, MidiFile) throws -> [[Float]]) throws {
        let comparison = AudioComparison(sampleRate: sampleRate)
        let ran: Void? = try withFont(font) { soundFont, path in
            for example in examples {
                let name = "\(font)/\(stem(example.name))"
                let midi = try MidiFile(bytes: example.bytes)
                let result = comparison.compare(try renderNative(soundFont, midi), try renderFluid(path, midi))
                print("engine comparison \(name): \(result)")
                let floor = try #require(floors[name])
                #expect(result.envelopeCorrelation >= floor.correlation, "\(name): \(result)")
                #expect(result.logSpectralDistance <= floor.distance, "\(name): \(result)")
                #expect(result.envelopeFrames > 20 && result.spectralFrames > 20)  // the render had sound
            }
        }
        if ran == nil { print("engine comparison \(font): skipped, \(timGM) is not installed") }
    }

    /// The metric against itself: two native renders (and two FluidSynth renders) of the same material
    /// are identical, so correlation is exactly 1 and distance exactly 0.
    @Test func sameEngineTwiceIsIdentical() throws {
        let comparison = AudioComparison(sampleRate: sampleRate)
        _ = try Self.withFont(.attaccaDefault) { font, path in
            let midi = try MidiFile(bytes: ExampleMidiFiles.chordsSustain())
            let first = try Self.renderNative(font, midi), second = try Self.renderNative(font, midi)
            let native = comparison.compare(first, second)
            #expect(native.envelopeCorrelation == 1)
            #expect(native.logSpectralDistance == 0)
            let fluid = comparison.compare(try Self.renderFluid(path, midi), try Self.renderFluid(path, midi))
            #expect(fluid.envelopeCorrelation == 1)
            #expect(fluid.logSpectralDistance == 0)
        }
    }

    /// Deliberately wrong renders must fail the floors: every note an octave up, and every note a
    /// semitone up (close in loudness contour, wrong in spectrum).
    @Test(arguments: FontChoice.allCases)
    func wrongRendersFailTheFloors(font: FontChoice) throws {
        let comparison = AudioComparison(sampleRate: sampleRate)
        _ = try Self.withFont(font) { soundFont, path in
            for name in ["scale", "chords-sustain"] {
                let bytes = try #require(Self.examples.first { Self.stem($0.name) == name }).bytes
                let midi = try MidiFile(bytes: bytes)
                let fluid = try Self.renderFluid(path, midi)
                let floor = try #require(Self.floors["\(font)/\(name)"])
                for semitones in [12, 1] {
                    let synth = try Synthesizer(soundFont: soundFont, settings: SynthesizerSettings(sampleRate: sampleRate, gain: gain, velocityToFilterModulator: false).withoutEffects)
                    var transposing = TransposingSynthesizer(synth: synth, semitones: semitones)
                    let wrong = WholeRender.render(&transposing, midiFile: midi, excerpt: excerpt)
                    let result = comparison.compare(wrong, fluid)
                    print("engine comparison \(font)/\(name) transposed \(semitones): \(result)")
                    #expect(result.envelopeCorrelation < floor.correlation || result.logSpectralDistance > floor.distance,
                            "\(font)/\(name) transposed by \(semitones) passed: \(result)")
                }
            }
        }
    }
}

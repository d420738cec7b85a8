import AttaccaAnalysis
import AttaccaAssets
import AttaccaCore
import AttaccaFluid
import AttaccaVorbis
import Glibc
import Testing

private let fluidR3Mono = "/usr/share/sounds/sf3/FluidR3Mono_GM.sf3"
private let hasFluidR3Mono = access(fluidR3Mono, R_OK) == 0

/// SF3 (Ogg Vorbis samples): the header fix-ups against hand-made expectations, and a real GM SF3
/// (Debian fluidr3mono-gm-soundfont, which has no SF2 version) rendered natively against
/// FluidSynth playing the same file.
@Suite struct SF3Tests {
    /// Stands in for Vorbis: each byte of the "stream" becomes one point of value byte × 10.
    struct ByteDecoder: CompressedSampleDecoder {
        func decode(_ stream: UnsafeRawBufferPointer) throws -> [Int16] { stream.map { Int16($0) * 10 } }
    }

    /// Two compressed samples at byte offsets 0...4 and 5...11 of smpl (end inclusive, as
    /// FluidSynth reads them), loops counted from each decoded sample's start.
    @Test func decompressionRewritesHeadersToPoints() throws {
        let bytes: [UInt8] = Array(1...12)
        let points = stride(from: 0, to: 12, by: 2).map { Int16(bitPattern: UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8) }
        let a = SampleHeader(name: "a", start: 0, end: 4, loopStart: 1, loopEnd: 4, sampleRate: 44100,
                             originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 0x11)
        let b = SampleHeader(name: "b", start: 5, end: 11, loopStart: 6, loopEnd: 2, sampleRate: 44100,
                             originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 0x11)
        var zone = Zone()
        zone.generators[.sampleID] = 0
        var presetZone = Zone()
        presetZone.generators[.instrument] = 0
        var info = SoundFontInfo()
        info.versionMajor = 3
        let font = SoundFont(info: info, presets: [Preset(name: "p", bank: 0, program: 0, zones: [presetZone])],
                             instruments: [Instrument(name: "i", zones: [zone])], samples: [a, b], sampleData: points)
        #expect(font.hasCompressedSamples)
        #expect(throws: SynthesizerError.compressedSamples) { _ = try Synthesizer(soundFont: font) }

        let decoded = try font.decompressed(with: ByteDecoder())
        #expect(!decoded.hasCompressedSamples)
        let first = decoded.samples[0], second = decoded.samples[1]
        #expect((first.start, first.end, first.loopStart, first.loopEnd) == (0, 5, 1, 4))
        // b: 7 points after a's 5 and its 46 zeros; loop 6...2 swapped to 2...6.
        #expect((second.start, second.end, second.loopStart, second.loopEnd) == (51, 58, 53, 57))
        #expect(first.sampleType == 1 && second.sampleType == 1)
        #expect(Array(decoded.sampleData[0..<5]) == [10, 20, 30, 40, 50])
        #expect(Array(decoded.sampleData[51..<58]) == [60, 70, 80, 90, 100, 110, 120])
        #expect(decoded.sampleData[5..<51].allSatisfy { $0 == 0 } && decoded.sampleData.count == 58 + 46)
        _ = try Synthesizer(soundFont: decoded)

        let outside = SampleHeader(name: "c", start: 30, end: 40, loopStart: 0, loopEnd: 0, sampleRate: 44100,
                                   originalPitch: 60, pitchCorrection: 0, sampleLink: 0, sampleType: 0x11)
        let broken = SoundFont(info: info, presets: font.presets, instruments: font.instruments, samples: [outside], sampleData: points)
        #expect(throws: CompressedSampleError.self) { _ = try broken.decompressed(with: ByteDecoder()) }
        #expect(throws: CompressedSampleError.self) { _ = try font.decompressed(with: VorbisDecoder()) }  // not Ogg
    }

    static let decoded: SoundFont? = hasFluidR3Mono ? try? SoundFont(path: fluidR3Mono).decompressed(with: VorbisDecoder(), concurrently: .allCores) : nil

    /// The example files' first 3 s, native (with FluidSynth's event timing and pitch arithmetic)
    /// against FluidSynth on the same SF3: envelope correlation at least 0.97, log-spectral
    /// distance at most 2 dB (dense.mid is left out: minutes in a debug build).
    @Test(.enabled(if: hasFluidR3Mono, "fluidr3mono-gm-soundfont is not installed"))
    func realSF3RendersAsFluidSynthRendersIt() throws {
        let font = try #require(Self.decoded)
        #expect(font.samples.count > 1000)
        let comparison = AudioComparison(sampleRate: 48000)
        for example in ExampleMidiFiles.all() where example.name != "dense.mid" {
            let midi = try MidiFile(bytes: example.bytes)
            let synth = try Synthesizer(soundFont: font, settings: SynthesizerSettings(
                sampleRate: 48000, gain: 0.5, velocityToFilterModulator: false, pitchArithmetic: .fluidSynth).withoutEffects)
            var native = BlockQuantizedEngine(synth)
            var fluid = try FluidSynthEngine(soundFontPath: fluidR3Mono, sampleRate: 48000, gain: 0.5)
            let result = comparison.compare(WholeRender.render(&native, midiFile: midi, excerpt: 3),
                                            WholeRender.render(&fluid, midiFile: midi, excerpt: 3))
            print("sf3 comparison \(example.name): \(result)")
            // Measured: 0.9999-1.0000 and 0.08-1.03 dB (scale, chords-sustain, drums, a440).
            #expect(result.envelopeCorrelation >= 0.97, "\(example.name): \(result)")
            #expect(result.logSpectralDistance <= 2, "\(example.name): \(result)")
            #expect(result.envelopeFrames > 20)
        }
    }
}
